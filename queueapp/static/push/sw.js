/*
 * sw.js: the service worker of the citizen's status page, served at /sw.js so that its scope
 * is the whole site. It shows notifications (registration.showNotification: the only way
 * Android Chrome allows, `new Notification` is refused there) for two senders:
 *  - the server, by web push: a "push" event whose data is JSON
 *    {"title", "body", "url", "tag"} (queueapp.notifications.webpush), already in the
 *    citizen's language;
 *  - the open status page itself (notify.js calls registration.showNotification).
 * A tap on a notification focuses the ticket's status page, or opens it.
 * It caches nothing: the status page must always be live.
 */
self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (err) { data = {body: event.data ? event.data.text() : ""}; }
  var options = {
    body: data.body || "",
    tag: data.tag || undefined,
    renotify: Boolean(data.tag),
    requireInteraction: Boolean(data.urgent),
    icon: "/icons/icon-192.png",
    badge: "/icons/icon-192.png",
    vibrate: [400, 200, 400, 200, 400],
    data: {url: data.url || "/"}
  };
  event.waitUntil(self.registration.showNotification(data.title || "", options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) { target = new URL("/", self.location.origin); }
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true}).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      var client = windows[i];
      if (new URL(client.url).pathname === target.pathname && "focus" in client) { return client.focus(); }
    }
    return self.clients.openWindow ? self.clients.openWindow(target.href) : null;
  }));
});
