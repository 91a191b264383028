/*
 * display.js: the lobby board. Live state from live.js (room office:<slug>); calls are
 * shown at once and handed to the announcer (announcer.js).
 *
 * What is announced: calls that arrive after the display started. Calls already in the
 * first snapshot are only shown. A later snapshot (reconnect, resync after a gap) may
 * hold calls this display never heard of: those are announced, oldest first; calls it
 * announced already are not (dedupe by call_id).
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("display-config").textContent);
  var texts = config.texts;
  var english = config.lang === "en";
  var calls = [];            // newest first, filtered
  var started = false;
  var firstSnapshot = true;
  var servicesTimer = null;
  var office = null;

  function $(id) { return document.getElementById(id); }

  function shown(call) {
    var f = config.filters;
    if (f.services.length && f.services.indexOf(call.service) < 0) { return false; }
    if (f.counters.length && (!call.counter || f.counters.indexOf(call.counter.number) < 0)) { return false; }
    return true;
  }

  function counterLabel(call) {
    return call.counter ? texts.counter + " " + call.counter.number : "";
  }

  function fetchPlan(call) {
    var url = config.announce_url + "?lang=" + encodeURIComponent(config.lang) +
      "&number=" + encodeURIComponent(call.number) + "&counter=" + encodeURIComponent(call.counter.number);
    function attempt(left) {
      return fetch(url, {headers: {"Accept": "application/json"}}).then(function (response) {
        if (!response.ok) { throw new Error("announce " + response.status); }
        return response.json();
      }).catch(function (error) {
        if (left <= 0) { throw error; }
        return new Promise(function (resolve) { setTimeout(resolve, 700); }).then(function () { return attempt(left - 1); });
      });
    }
    return attempt(3);
  }

  var announcer = window.QueueAnnouncer.create({plan: fetchPlan, repeat: config.repeat, speech: config.speech});
  window.__displayAnnouncer = announcer;

  function renderLatest(highlight) {
    var latest = calls[0];
    $("latest-number").textContent = latest ? latest.number : "—";
    $("latest-counter").textContent = latest ? counterLabel(latest) : texts.no_call;
    if (highlight) {
      var box = $("latest");
      box.classList.remove("flash");
      void box.offsetWidth;   // restart the animation
      box.classList.add("flash");
    }
  }

  function renderHistory() {
    var list = $("history");
    list.textContent = "";
    var seen = {};
    if (calls[0]) { seen[calls[0].number] = true; }
    calls.slice(1).forEach(function (call) {
      if (seen[call.number] || list.children.length >= config.history) { return; }
      seen[call.number] = true;
      var li = document.createElement("li");
      li.dataset.callId = call.call_id;
      var number = document.createElement("span");
      number.textContent = call.number;
      var counter = document.createElement("span");
      counter.className = "counter";
      counter.textContent = counterLabel(call);
      li.appendChild(number);
      li.appendChild(counter);
      list.appendChild(li);
    });
  }

  function renderServices(services) {
    var list = $("services");
    list.textContent = "";
    services.forEach(function (service) {
      if (config.filters.services.length && config.filters.services.indexOf(service.code) < 0) { return; }
      var li = document.createElement("li");
      li.dataset.service = service.code;
      li.innerHTML = '<span class="code"></span><span class="name"></span><span class="count"></span>';
      li.querySelector(".code").textContent = service.code;
      li.querySelector(".name").textContent = english ? service.name_en : service.name;
      li.querySelector(".count").textContent = service.waiting + " " + texts.waiting;
      list.appendChild(li);
    });
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
    $("date").textContent = new Intl.DateTimeFormat(locale, {timeZone: zone, weekday: "long", day: "numeric",
      month: "long", year: "numeric"}).format(now);
    $("clock").textContent = new Intl.DateTimeFormat(locale, {timeZone: zone, hour: "2-digit", minute: "2-digit",
      second: "2-digit", hourCycle: "h23"}).format(now).replace(/\./g, ":");
  }

  function refreshServices() {
    // Events carry no counts: re-read the board (debounced, so a burst costs one request).
    if (servicesTimer) { return; }
    servicesTimer = setTimeout(function () {
      servicesTimer = null;
      fetch("/api/v1/offices/" + encodeURIComponent(config.office) + "/board", {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (board) { if (board) { renderServices(board.services); } })
        .catch(function () { /* the next event or snapshot brings them */ });
    }, 300);
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
    renderServices(state.services);
    tickClock();
    document.body.dataset.seq = String(snapshot.seq);
  }

  function onEvent(room, event) {
    if ((event.type === "ticket.called" || event.type === "ticket.recalled") && event.call_id && event.ticket) {
      var call = {call_id: event.call_id, number: event.ticket.number, service: event.ticket.service.code,
                  counter: event.ticket.counter, recall: event.type === "ticket.recalled", seq: event.seq};
      if (call.counter && shown(call)) {
        calls.unshift(call);
        calls = calls.slice(0, 20);
        renderLatest(true);
        renderHistory();
        announcer.add(call);
      }
    }
    refreshServices();
  }

  function start() {
    if (started) { return; }
    started = true;
    $("start").hidden = true;
    window.__displayLive = window.QueueLive.connect({
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

  tickClock();
  setInterval(tickClock, 1000);
  var auto = config.autostart === null ? autoplayAllowed() : config.autostart;
  if (auto) { start(); } else { $("start").hidden = false; $("start-button").focus(); }
})();
