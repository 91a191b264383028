/*
 * notify.js: notifications of the citizen's status page (an ES module), through the service
 * worker /sw.js: Android Chrome refuses `new Notification`, only a worker's
 * registration.showNotification works everywhere.
 *  - "Notify me" (a tap: browsers ask for the permission only then) registers the worker,
 *    subscribes to web push with the server's VAPID key and posts the subscription to
 *    POST /api/v1/tickets/<token>/push; the server then reaches the phone with the page closed.
 *  - Where there is no push service (some browsers, headless Chromium) the worker still shows
 *    the call while the page is open: showCalled(), called by status.js.
 *  - Without HTTPS (localhost counts as secure) or on an iPhone outside a home-screen web app
 *    the page says why instead.
 * Texts and settings come from <script type="application/json" id="notify-config">.
 */
import {$, pageData, setText} from "/static/shared/dom.js";
import {requestJson} from "/static/shared/http.js";

var config = pageData("notify-config");
var texts = config.texts;
var button = $("notify");
var stop = $("notify-stop");
var stopped = false;

function supported() {
  return "serviceWorker" in navigator && "Notification" in window;
}

function say(text) {
  var state = $("notify-state");
  if (!state) { return; }
  state.hidden = !text;
  setText("notify-state", text);
}

function isIphone() {
  var ua = navigator.userAgent || "";
  return /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
}

function standalone() {
  return navigator.standalone === true || (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches);
}

function register() {
  return navigator.serviceWorker.register(config.worker, {scope: "/"}).then(function () {
    return navigator.serviceWorker.ready;
  });
}

function askPermission() {
  if (Notification.permission !== "default") { return Promise.resolve(Notification.permission); }
  return new Promise(function (resolve) {
    // Older Safari takes a callback and returns nothing; newer browsers return a promise.
    var answer = Notification.requestPermission(resolve);
    if (answer && answer.then) { answer.then(resolve); }
  });
}

function keyBytes(base64url) {
  var padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
  var raw = atob(padded), bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
  return bytes;
}

/* Resolves to the push subscription sent to the server, or null where push is unavailable. */
function subscribe(registration) {
  if (!registration.pushManager || !config.public_key) { return Promise.resolve(null); }
  return registration.pushManager.getSubscription().then(function (existing) {
    return existing || registration.pushManager.subscribe({userVisibleOnly: true,
                                                           applicationServerKey: keyBytes(config.public_key)});
  }).then(function (subscription) {
    return requestJson(config.subscribe, {method: "POST", body: subscription.toJSON()}).then(function () {
      return subscription;
    });
  }).catch(function () { return null; });   // no push service here: the open page still notifies
}

function enable() {
  button.disabled = true;
  stopped = false;
  askPermission().then(function (answer) {
    if (answer !== "granted") { say(texts.denied); return null; }
    return register().then(subscribe).then(function (subscription) {
      button.hidden = true;
      stop.hidden = !subscription;
      say(subscription ? texts.on_push : texts.on_page);
    });
  }).catch(function () { say(texts.failed); }).then(function () { button.disabled = false; });
}

function disable() {
  stopped = true;
  stop.hidden = true;
  navigator.serviceWorker.ready.then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (subscription) {
    if (!subscription) { return null; }
    return requestJson(config.subscribe, {method: "DELETE", body: {endpoint: subscription.endpoint}});
  }).catch(function () { /* the server forgets it with the ticket anyway */ }).then(function () {
    say(texts.stopped);
    button.hidden = false;
  });
}

/* Shows "called" through the service worker while the page is open. Resolves to whether a
   notification was shown (not without the permission, or before the worker is registered). */
export function showCalled(title, body) {
  if (stopped || !supported() || Notification.permission !== "granted") { return Promise.resolve(false); }
  return navigator.serviceWorker.getRegistration("/").then(function (registration) {
    if (!registration) { return false; }
    // The same tag as the server's push for this ticket: one notification, not two.
    return registration.showNotification(title, {body: body, tag: config.tag, renotify: true, icon: config.icon,
                                                  vibrate: [400, 200, 400, 200, 400], data: {url: config.url}})
      .then(function () { return true; });
  }).catch(function () { return false; });
}

function setUp() {
  if (!button) { return; }   // a finished ticket offers only sharing
  if (!window.isSecureContext) { $("notify-insecure").hidden = false; return; }
  if (isIphone() && !standalone() && !("PushManager" in window)) { $("notify-ios").hidden = false; return; }
  if (!supported()) { say(texts.unsupported); return; }
  button.addEventListener("click", enable);
  stop.addEventListener("click", disable);
  if (Notification.permission === "denied") { say(texts.denied); return; }
  button.hidden = false;
  // Allowed on an earlier visit: the worker shows the call while the page is open, no tap needed.
  if (Notification.permission === "granted") { register().catch(function () {}); }
}

setUp();
