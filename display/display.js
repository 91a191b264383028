/*
 * display.js: the lobby board. Live state from live.js (room office:<slug>); calls are
 * shown at once and handed to the announcer (announcer.js). Events carry what the board
 * shows: a call with what to say for it, the waiting counts of the services it changed;
 * nothing is read back (a fresh snapshot comes only after a gap or a reconnect).
 *
 * What is announced: calls that arrive after the display started. Calls already in the
 * first snapshot are only shown. A later snapshot (reconnect, resync after a gap) may
 * hold calls this display never heard of: those are announced, oldest first; calls it
 * announced already are not (dedupe by call_id).
 *
 * What is shown: the last `config.calls` calls (default 4), the newest highlighted in #latest,
 * the others in #history; a recall comes back to the top and is highlighted again. A zone
 * display shows only calls made for its services / to its counters (the server reports each
 * call with the service it was made for, so a ticket transferred in keeps its old call out).
 * Texts that do not fit are shrunk by fit.js, never below the legible minimum (display.css).
 *
 * An ES module: the live client and the helpers come from the app's shared scripts.
 */
import {$, make, pageData, setText} from "/static/shared/dom.js";
import {requestJson} from "/static/shared/http.js";
import {serviceName} from "/static/shared/i18n.js";
import {connect} from "/static/shared/live.js";
import {create as createAnnouncer} from "./announcer.js";
import {fit} from "./fit.js";

var config = pageData("display-config");
var texts = config.texts;
var english = config.lang === "en";
var calls = [];            // newest first, filtered
var started = false;
var firstSnapshot = true;
var services = [];
var office = null;

function shown(call) {
  var f = config.filters;
  if (f.services.length && f.services.indexOf(call.service) < 0) { return false; }
  if (f.counters.length && (!call.counter || f.counters.indexOf(call.counter.number) < 0)) { return false; }
  return true;
}

function counterLabel(call) {
  return call.counter ? texts.counter + " " + call.counter.number : "";
}

function clipUrl(name) {
  // The office's recorded voice has its own URL (format and version); else the generated clip.
  return (config.recorded && config.recorded[name]) || config.sounds_url + name + ".ogg";
}

// The languages each call is spoken in, in order ("id,en": Indonesian, then English).
var languages = config.languages && config.languages.length ? config.languages : [config.lang];

function planIn(call, lang) {
  // The call carries its phrase and clips; /announce answers for a call that does not.
  var said = call.announcement && call.announcement[lang];
  if (said) {
    return Promise.resolve({text: said.text, lang: lang, clips: said.clips.map(clipUrl)});
  }
  var url = config.announce_url + "?lang=" + encodeURIComponent(lang) +
    "&number=" + encodeURIComponent(call.number) + "&counter=" + encodeURIComponent(call.counter.number);
  function attempt(left) {
    return requestJson(url).catch(function (error) {
      if (left <= 0) { throw error; }
      return new Promise(function (resolve) { setTimeout(resolve, 700); }).then(function () { return attempt(left - 1); });
    });
  }
  return attempt(3);
}

function fetchPlan(call) {
  // One chime, then the call in each language.
  return Promise.all(languages.map(function (lang) { return planIn(call, lang); })).then(function (plans) {
    return plans.slice(1).reduce(function (all, next) {
      return {text: all.text + " " + next.text, lang: all.lang, clips: all.clips.concat(next.clips.slice(1))};
    }, plans[0]);
  });
}

var announcer = createAnnouncer({plan: fetchPlan, repeat: config.repeat, speech: config.speech});
window.__displayAnnouncer = announcer;

function renderLatest(highlight) {
  var latest = calls[0];
  var box = $("latest");
  setText("latest-number", latest ? latest.number : "—");
  setText("latest-counter", latest ? counterLabel(latest) : texts.no_call);
  box.dataset.callId = latest ? latest.call_id : "";
  box.classList.toggle("empty", !latest);
  if (highlight) {
    box.classList.remove("flash");
    void box.offsetWidth;   // restart the animation
    box.classList.add("flash");
  }
  fitCalls();
}

function renderHistory() {
  // The calls before the newest, one row per number (a recalled number moves up).
  var list = $("history");
  list.textContent = "";
  var seen = {};
  if (calls[0]) { seen[calls[0].number] = true; }
  calls.slice(1).forEach(function (call) {
    if (seen[call.number] || list.children.length >= config.calls - 1) { return; }
    seen[call.number] = true;
    var li = make("li");
    li.dataset.callId = call.call_id;
    li.appendChild(make("span", "number", call.number));
    li.appendChild(make("span", "counter", counterLabel(call)));
    list.appendChild(li);
  });
  fitCalls();
}

function fitCalls() {
  // The counter line fitted to the width, then the number to the room left; only when
  // even that does not fit, the counter line gives up height too.
  var box = $("latest");
  var to = document.querySelector("#latest .to");
  var lines = box.classList.contains("empty") ? 3 : 1;
  fit(to, {lines: lines});
  fit($("latest-number"), {lines: 1, box: box});
  if (box.scrollHeight > box.clientHeight + 0.5) { fit(to, {lines: lines, box: box}); }
  Array.prototype.forEach.call(document.querySelectorAll("#history span"), function (span) { fit(span, {lines: 1}); });
}

function fitServices() {
  Array.prototype.forEach.call(document.querySelectorAll("#services li"), function (li) {
    fit(li.querySelector(".name"), {lines: 2, box: li});
    fit(li.querySelector(".count"), {lines: 1});
  });
}

function fitAll() {
  fit(document.querySelector(".bar .office"), {lines: 2});
  fitCalls();
  fitServices();
}

function renderServices(services) {
  var list = $("services");
  list.textContent = "";
  services.forEach(function (service) {
    if (config.filters.services.length && config.filters.services.indexOf(service.code) < 0) { return; }
    var li = make("li");
    li.dataset.service = service.code;
    li.appendChild(make("span", "code", service.code));
    li.appendChild(make("span", "name", serviceName(service, config.lang)));
    li.appendChild(make("span", "count", service.waiting + " " + texts.waiting));
    list.appendChild(li);
  });
  var before = document.body.dataset.tiles;
  layoutTiles();
  // More tiles give the calls less room: then the calls are fitted again too.
  if (document.body.dataset.tiles !== before) { fitAll(); } else { fitServices(); }
}

function layoutTiles() {
  // Few tiles: one column of wide tiles; more: two columns (a portrait TV's tiles are wide
  // enough for two up to twelve services), then three.
  var list = $("services");
  var count = list.children.length;
  var portrait = window.matchMedia && window.matchMedia("(orientation: portrait)").matches;
  list.style.setProperty("--columns", String(count <= 3 ? 1 : count <= (portrait ? 12 : 10) ? 2 : 3));
  document.body.dataset.tiles = count > 6 ? "many" : "few";
}

function renderOffice(info) {
  office = info;
  var ticker = $("running-text");
  ticker.textContent = info.running_text || "";
  ticker.style.setProperty("--ticker-seconds", Math.max(15, (info.running_text || "").length / 6) + "s");
}

function tickClock() {
  var zone = (office && office.timezone) || config.timezone;
  var locale = english ? "en-GB" : "id-ID";
  var now = new Date();
  setText("date", new Intl.DateTimeFormat(locale, {timeZone: zone, weekday: "long", day: "numeric",
    month: "long", year: "numeric"}).format(now));
  setText("clock", new Intl.DateTimeFormat(locale, {timeZone: zone, hour: "2-digit", minute: "2-digit",
    second: "2-digit", hourCycle: "h23"}).format(now).replace(/\./g, ":"));
}

function applyServices(rows) {
  // An event carries the rows of the services it changed: merge them by code.
  var byCode = {};
  rows.forEach(function (row) { byCode[row.code] = row; });
  services = services.map(function (row) { return byCode[row.code] || row; });
  renderServices(services);
}

function onSnapshot(room, snapshot) {
  var state = snapshot.state;
  renderOffice(state.office);
  var fresh = state.calls.filter(shown);
  // Oldest first, so calls missed while offline are spoken in the order they were made.
  fresh.slice().reverse().forEach(function (call) {
    if (firstSnapshot) { announcer.seen(call.call_id); } else { announcer.add(call); }
  });
  var newest = calls[0] && calls[0].call_id;
  calls = fresh;
  firstSnapshot = false;
  renderLatest(calls[0] && calls[0].call_id !== newest && newest !== undefined);
  renderHistory();
  services = state.services;
  renderServices(services);
  tickClock();
  document.body.dataset.seq = String(snapshot.seq);
}

function onEvent(room, event) {
  var call = event.call;
  if (call && call.counter && shown(call)) {
    calls.unshift(call);
    calls = calls.slice(0, 20);
    renderLatest(true);
    renderHistory();
    announcer.add(call);
  }
  if (event.services) { applyServices(event.services); }
  document.body.dataset.seq = String(event.seq);
}

function start() {
  if (started) { return; }
  started = true;
  $("start").hidden = true;
  window.__displayLive = connect({
    rooms: [{office: config.office}],
    onSnapshot: onSnapshot,
    onEvent: onEvent,
    onStatus: function (status) { $("status").hidden = status !== "offline"; },
    onError: function (error) { $("status").hidden = false; $("status").textContent = error.message || error.code; }
  });
}

function autoplayAllowed() {
  try {
    return !!(navigator.getAutoplayPolicy && navigator.getAutoplayPolicy("mediaelement") === "allowed");
  } catch (err) { return false; }
}

$("start-button").addEventListener("click", function () {
  // This tap is the gesture browsers want before they play sound: use it now.
  var unlock = new Audio(config.chime_url);
  unlock.volume = 0.01;
  var playing = unlock.play();
  if (playing && playing.catch) { playing.catch(function () {}); }
  if (document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(function () {});
  }
  start();
});

document.body.dataset.calls = String(config.calls);
fitAll();
window.addEventListener("resize", function () { layoutTiles(); fitAll(); });
if (document.fonts && document.fonts.ready) { document.fonts.ready.then(fitAll); }
tickClock();
setInterval(tickClock, 1000);
var auto = config.autostart === null ? autoplayAllowed() : config.autostart;
if (auto) { start(); } else { $("start").hidden = false; $("start-button").focus(); }
