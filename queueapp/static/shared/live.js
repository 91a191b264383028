/*
 * live.js: the real-time client of every screen (display, kiosk, counter, status page),
 * an ES module.
 *
 * It speaks the Socket.IO protocol (Engine.IO v4, WebSocket transport only) to the
 * app's own /socket.io endpoint: no CDN, no polling, no sticky sessions needed, and
 * small enough for the citizen's status page budget.
 *
 *   import {connect} from "/static/shared/live.js";
 *   var live = connect({
 *     rooms: [{office: "demo"}],            // what to subscribe to, re-sent on every reconnect
 *     auth: {token: "..."},                 // optional: staff bearer token
 *     onSnapshot: function (room, snap) {}, // full state + seq, after (re)subscribing or resync
 *     onEvent: function (room, event) {},   // one change, in seq order, never twice (a commit's
 *                                           // calls first, then a "state.updated" of the same seq)
 *     onStatus: function (status) {},       // "connecting" | "online" | "offline"
 *     onError: function (error) {},         // refused subscription: {code, message}
 *     onConfigured: function (room, event) {} // an administrator changed the office: a
 *                                           // fresh snapshot of every room follows
 *   });
 *
 * Guarantees: reconnects with backoff (capped low, so a display is back within a few
 * seconds of the server); after a reconnect it re-subscribes and takes a fresh snapshot;
 * on a seq gap in a gapless room (office:*, staff:*) it takes a fresh snapshot; a
 * watchdog re-subscribes when nothing arrived for `watchdogMs`.
 */
var global = window;
var GAPLESS = /^(office|staff):/;

function socketUrl(base) {
  var loc = global.location;
  var origin = base || (loc.protocol + "//" + loc.host);
  return origin.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket";
}

function LiveClient(options) {
  this.options = options;
  this.rooms = (options.rooms || []).slice();
  this.seq = {};          // room name -> last applied seq
  this.pending = {};      // room name -> true while a resync is asked
  this.backoff = 0;
  this.closed = false;
  this.lastMessage = Date.now();
  this.lastEvent = Date.now();
  this.watchdogMs = options.watchdogMs || 60000;
  this.open();
  var self = this;
  this.timer = global.setInterval(function () { self.watch(); }, 1000);
}

LiveClient.prototype.status = function (value) {
  this.state = value;
  if (this.options.onStatus) { this.options.onStatus(value); }
};

LiveClient.prototype.open = function () {
  var self = this;
  this.status("connecting");
  var ws;
  try {
    ws = new global.WebSocket(socketUrl(this.options.url));
  } catch (err) {
    this.retry();
    return;
  }
  this.ws = ws;
  ws.onmessage = function (message) { self.receive(String(message.data)); };
  ws.onclose = function () {
    if (self.ws === ws) { self.ws = null; self.status("offline"); self.retry(); }
  };
  ws.onerror = function () { try { ws.close(); } catch (err) { /* closing anyway */ } };
};

LiveClient.prototype.retry = function () {
  if (this.closed || this.retrying) { return; }
  var self = this;
  // 250 ms, 500 ms, 1 s, then every 2 s (+ jitter so a hall of screens does not stampede).
  var delay = Math.min(2000, 250 * Math.pow(2, this.backoff)) + Math.random() * 250;
  this.backoff += 1;
  this.retrying = true;
  global.setTimeout(function () { self.retrying = false; if (!self.closed) { self.open(); } }, delay);
};

LiveClient.prototype.send = function (text) {
  if (this.ws && this.ws.readyState === 1) { this.ws.send(text); }
};

LiveClient.prototype.emit = function (name, data) {
  this.send("42" + JSON.stringify([name, data]));
};

LiveClient.prototype.receive = function (text) {
  this.lastMessage = Date.now();
  var type = text.charAt(0);
  if (type === "0") {                       // Engine.IO open: join the default namespace
    var auth = this.options.auth ? JSON.stringify(this.options.auth) : "";
    this.send("40" + auth);
  } else if (type === "2") {                // ping -> pong
    this.send("3");
  } else if (type === "1") {                // server closes
    if (this.ws) { this.ws.close(); }
  } else if (type === "4") {
    this.packet(text.slice(1));
  }
};

LiveClient.prototype.packet = function (text) {
  var kind = text.charAt(0);
  if (kind === "0") {                       // namespace connected
    this.backoff = 0;
    this.status("online");
    this.subscribeAll();
  } else if (kind === "4") {                // namespace refused
    this.fail({code: "connect_refused", message: text.slice(1)});
  } else if (kind === "2") {
    var parsed;
    try { parsed = JSON.parse(text.slice(1)); } catch (err) { return; }
    this.dispatch(parsed[0], parsed[1]);
  }
};

LiveClient.prototype.subscribeAll = function () {
  for (var i = 0; i < this.rooms.length; i++) { this.emit("subscribe", this.rooms[i]); }
};

LiveClient.prototype.dispatch = function (name, data) {
  if (name === "snapshot") {
    this.seq[data.room] = data.seq;
    delete this.pending[data.room];
    this.lastEvent = Date.now();
    if (this.options.onSnapshot) { this.options.onSnapshot(data.room, data); }
  } else if (name === "event") {
    this.lastEvent = Date.now();
    this.event(data);
  } else if (name === "error") {
    this.fail(data);
  }
};

LiveClient.prototype.event = function (event) {
  var room = event.room;
  var last = this.seq[room];
  if (last === undefined || this.pending[room]) { return; }   // a snapshot is on its way
  // Already in the snapshot; a commit's calls come first, then (same seq) what they changed.
  if (event.seq < last || (event.seq === last && event.type !== "state.updated")) { return; }
  if (GAPLESS.test(room) && event.seq > last + 1) {           // missed something: resync
    this.resync(room);
    return;
  }
  this.seq[room] = event.seq;
  if (event.type === "office.configured") {                  // services, hours, names changed
    if (this.options.onConfigured) { this.options.onConfigured(room, event); }
    this.resync();
    return;
  }
  if (this.options.onEvent) { this.options.onEvent(room, event); }
};

LiveClient.prototype.resync = function (room) {
  for (var i = 0; i < this.rooms.length; i++) {
    var name = roomName(this.rooms[i]);
    if (!room || name === room) { this.pending[name] = true; this.emit("subscribe", this.rooms[i]); }
  }
};

LiveClient.prototype.watch = function () {
  var now = Date.now();
  // Engine.IO pings every 25 s: silence for 60 s means a dead link the browser missed.
  if (this.ws && now - this.lastMessage > 60000) { this.ws.close(); return; }
  if (this.state === "online" && now - this.lastEvent > this.watchdogMs) {
    this.lastEvent = now;
    this.resync();
  }
};

LiveClient.prototype.fail = function (error) {
  if (this.options.onError) { this.options.onError(error); }
};

LiveClient.prototype.close = function () {
  this.closed = true;
  global.clearInterval(this.timer);
  if (this.ws) { this.ws.close(); }
};

export function roomName(spec) {
  if (spec.ticket) { return "ticket:" + spec.ticket; }
  if (spec.counter) { return "counter:" + spec.counter; }
  return (spec.staff ? "staff:" : "office:") + spec.office;
}

export function connect(options) { return new LiveClient(options); }
