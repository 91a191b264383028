// The screens of bench_fanout.py: raw WebSocket clients in one Node process (the `ws`
// package), speaking Engine.IO v4 / Socket.IO v5 by hand like queueapp/static/shared/live.js
// does in the browser, so the client side costs little next to the server it measures.
//
//   node bench/fanout_clients.mjs CONFIG.json
//
// CONFIG: {"urls": [...], "office": "demo", "boards": N, "tokens": [...], "parallel": 200,
//          "timeout_s": 600}
// - boards: displays and kiosks, subscribed to {"office": office};
// - one phone per token: a citizen's status page, subscribed to {"ticket": token} and
//   {"office": office} (queueapp/static/status/status.js).
// Screens take the URLs in turn. Like live.js they answer pings, re-subscribe after every
// reconnect (backoff 250 ms, 500 ms, 1 s, then 2 s, + up to 250 ms of jitter), and take a
// fresh snapshot on a seq gap in an office room.
//
// Lines on stdout: `READY {...}` once every screen has its first snapshots (or failed);
// then on stdin `STORM` arms the reconnect watch: `STORM {...}` follows once every screen
// has dropped and has all its snapshots again (or after `storm_timeout_s`); `DONE` prints
// `RESULT {...}` and exits. Times are epoch milliseconds (Date.now()) or milliseconds.
import {readFileSync} from "node:fs";
import {createInterface} from "node:readline";
import WebSocket from "ws";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const GAPLESS = /^(office|staff):/;
const CALLED = "ticket.called";

function roomName(spec) {
  return spec.ticket ? "ticket:" + spec.ticket : "office:" + spec.office;
}

class Screen {
  constructor(url, rooms, kind) {
    this.url = url.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket";
    this.rooms = rooms;
    this.kind = kind;                    // "board" | "phone"
    this.seq = {};
    this.pending = {};
    this.asked = {};                     // room -> when its subscribe was sent
    this.backoff = 0;
    this.leaving = false;
    this.first = null;                   // resolves once every room has its first snapshot
    this.ready = new Promise((resolve) => { this.first = resolve; });
    this.snapshotted = new Set();        // rooms snapshotted since the last (re)connect
    this.called = [];                    // [seq, ms] of ticket.called in the office room
    this.places = [];                    // ms of a ticket room's `place` update
    this.snapshotMs = [];                // subscribe -> snapshot, every snapshot
    this.resyncs = 0;
    this.drops = 0;
    this.problem = null;
    this.downAt = null;                  // first drop since the storm was armed
    this.backAt = null;                  // all rooms snapshotted again after it
  }

  open() {
    let ws;
    try {
      ws = new WebSocket(this.url, {perMessageDeflate: false});
    } catch (err) {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.on("message", (data) => this.receive(data.toString()));
    ws.on("close", () => {
      if (this.ws !== ws) { return; }
      this.ws = null;
      if (this.leaving) { return; }
      this.drops += 1;
      if (storm.armed && this.downAt === null) { this.downAt = Date.now(); }
      this.snapshotted.clear();
      this.retry();
    });
    ws.on("error", (err) => {
      this.problem = "socket: " + (err.code || err.message);
      try { ws.terminate(); } catch (e) { /* closing anyway */ }
    });
  }

  retry() {
    if (this.leaving || this.retrying) { return; }
    const delay = Math.min(2000, 250 * Math.pow(2, this.backoff)) + Math.random() * 250;
    this.backoff += 1;
    this.retrying = true;
    setTimeout(() => { this.retrying = false; if (!this.leaving) { this.open(); } }, delay);
  }

  send(text) {
    if (this.ws && this.ws.readyState === 1) { this.ws.send(text); }
  }

  subscribe(spec) {
    this.asked[roomName(spec)] = Date.now();
    this.send("42" + JSON.stringify(["subscribe", spec]));
  }

  receive(text) {
    const type = text.charAt(0);
    if (type === "0") {
      this.send("40");
    } else if (type === "2") {
      this.send("3");
    } else if (type === "1") {
      if (this.ws) { this.ws.close(); }
    } else if (type === "4") {
      this.packet(text.slice(1));
    }
  }

  packet(text) {
    const kind = text.charAt(0);
    if (kind === "0") {
      this.backoff = 0;
      for (const spec of this.rooms) { this.subscribe(spec); }
    } else if (kind === "4") {
      this.problem = "connect refused";
    } else if (kind === "2") {
      let parsed;
      try { parsed = JSON.parse(text.slice(1)); } catch (err) { return; }
      this.dispatch(parsed[0], parsed[1]);
    }
  }

  dispatch(name, data) {
    if (name === "snapshot") {
      const now = Date.now();
      this.seq[data.room] = data.seq;
      delete this.pending[data.room];
      if (this.asked[data.room]) { this.snapshotMs.push(now - this.asked[data.room]); }
      this.snapshotted.add(data.room);
      if (this.snapshotted.size === this.rooms.length) {
        this.first();
        if (this.downAt !== null && this.backAt === null) { this.backAt = now; storm.check(); }
      }
    } else if (name === "event") {
      this.event(data);
    } else if (name === "error") {
      this.problem = "error: " + (data && data.code);
      this.first();
    }
  }

  event(event) {
    const arrived = Date.now();
    const room = event.room;
    const last = this.seq[room];
    if (last === undefined || this.pending[room]) { return; }
    if (event.seq < last || (event.seq === last && event.type !== "state.updated")) { return; }
    if (GAPLESS.test(room) && event.seq > last + 1) {
      this.resyncs += 1;
      this.pending[room] = true;
      this.subscribe(this.rooms.find((spec) => roomName(spec) === room));
      return;
    }
    this.seq[room] = event.seq;
    if (event.type === "office.configured") {
      for (const spec of this.rooms) { this.pending[roomName(spec)] = true; this.subscribe(spec); }
      return;
    }
    const ms = arrived - Date.parse(event.at);
    if (room.startsWith("office:") && event.type === CALLED) { this.called.push([event.seq, ms]); }
    if (room.startsWith("ticket:") && event.place) { this.places.push(ms); }
  }

  close() {
    this.leaving = true;
    if (this.ws) { this.ws.terminate(); }
  }
}

const storm = {
  armed: false,
  done: null,
  check() {
    if (!this.armed) { return; }
    if (screens.every((s) => s.backAt !== null)) { this.finish(); }
  },
  finish() {
    if (!this.armed) { return; }
    this.armed = false;
    clearTimeout(this.timer);
    const back = screens.filter((s) => s.backAt !== null);
    print("STORM", {
      screens: screens.length, dropped: screens.filter((s) => s.downAt !== null).length,
      back: back.length, down_at: screens.map((s) => s.downAt).filter((t) => t !== null),
      back_at: back.map((s) => s.backAt),
    });
  },
};

// A pipe's writes are asynchronous in Node: `then` runs once the line is flushed (a large
// RESULT would be cut short by an exit before that).
function print(prefix, data, then) {
  process.stdout.write(prefix + " " + JSON.stringify(data) + "\n", then);
}

const urls = config.urls;
const screens = [];
for (const token of config.tokens || []) {
  screens.push(new Screen(urls[screens.length % urls.length], [{ticket: token}, {office: config.office}], "phone"));
}
for (let i = 0; i < config.boards; i++) {
  screens.push(new Screen(urls[screens.length % urls.length], [{office: config.office}], "board"));
}

async function connectAll() {
  const started = Date.now();
  let next = 0;
  const timeoutMs = (config.connect_timeout_s || 60) * 1000;
  async function lane() {
    while (next < screens.length) {
      const screen = screens[next++];
      screen.open();
      await Promise.race([screen.ready, new Promise((r) => setTimeout(r, timeoutMs))]);
    }
  }
  await Promise.all(Array.from({length: config.parallel || 200}, lane));
  const ok = screens.filter((s) => s.snapshotted.size === s.rooms.length);
  print("READY", {connected: ok.length, failed: screens.length - ok.length, connect_ms: Date.now() - started,
                  snapshot_ms: screens.flatMap((s) => s.snapshotMs)});
}

function result(then) {
  const cpu = process.cpuUsage();
  const problems = {};
  for (const s of screens) { if (s.problem) { problems[s.problem] = (problems[s.problem] || 0) + 1; } }
  print("RESULT", {
    screens: screens.length,
    phones: screens.filter((s) => s.kind === "phone").length,
    received: screens.flatMap((s) => s.called),
    places_ms: screens.flatMap((s) => s.places),
    snapshot_ms: screens.flatMap((s) => s.snapshotMs),
    resyncs: screens.reduce((n, s) => n + s.resyncs, 0),
    dropped: screens.reduce((n, s) => n + s.drops, 0),
    problems,
    cpu_s: (cpu.user + cpu.system) / 1e6,
  }, then);
}

const lines = createInterface({input: process.stdin});
lines.on("line", (line) => {
  const command = line.trim();
  if (command === "STORM") {
    for (const s of screens) { s.downAt = null; s.backAt = null; }
    storm.armed = true;
    storm.timer = setTimeout(() => storm.finish(), (config.storm_timeout_s || 60) * 1000);
  } else if (command === "DONE") {
    for (const s of screens) { s.close(); }
    result(() => process.exit(0));
  }
});
lines.on("close", () => process.exit(0));
setTimeout(() => result(() => process.exit(1)), (config.timeout_s || 900) * 1000).unref();

connectAll();
