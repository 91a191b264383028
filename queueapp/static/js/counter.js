/*
 * counter.js: the clerk's workstation. State comes from live.js (room counter:<id>,
 * refreshed whenever anything happens in the office's staff room); every action is a
 * POST to the JSON API with the session cookie and the X-CSRFToken header.
 */
(function () {
  "use strict";

  var root = document.getElementById("workstation");
  var counterId = Number(root.dataset.counterId);
  var office = root.dataset.office;
  var english = root.dataset.locale === "en";
  var texts = JSON.parse(document.getElementById("counter-texts").textContent);
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var counterRoom = "counter:" + counterId;
  var state = null;
  var live = null;
  var refreshTimer = null;

  function $(id) { return document.getElementById(id); }

  function format(text, params) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return params[key]; });
  }

  function say(text, isError) {
    var box = $("message");
    box.textContent = text || "";
    box.className = "message" + (isError ? " error" : "");
  }

  function api(path, body) {
    return fetch("/api/v1" + path, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) { return data; }
        var error = new Error((data.error && data.error.message) || texts.network);
        error.code = data.error ? data.error.code : "network";
        throw error;
      });
    }, function () {
      var error = new Error(texts.network);
      error.code = "network";
      throw error;
    });
  }

  function clock(seconds) {
    if (seconds < 0 || isNaN(seconds)) { seconds = 0; }
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = Math.floor(seconds % 60);
    var mm = (h ? String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }

  function since(iso, until) {
    return ((until ? Date.parse(until) : Date.now()) - Date.parse(iso)) / 1000;
  }

  function serviceName(service) {
    return service.code + " · " + (english ? service.name_en : service.name);
  }

  function tick() {
    var t = state && state.current;
    $("current-waited").textContent = t ? clock(since(t.issued_at, t.called_at)) : "—";
    $("current-serving").textContent = t && t.started_at ? clock(since(t.started_at)) : "—";
  }

  function ticketRow(item, withResume) {
    var li = document.createElement("li");
    li.dataset.number = item.number;
    li.textContent = item.number + " ";
    if (item.priority) {
      var tag = document.createElement("span");
      tag.className = "prio";
      tag.textContent = texts["priority_" + item.priority] || texts.priority;
      li.appendChild(tag);
    }
    if (withResume) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = texts.resume;
      button.addEventListener("click", function () { act("/tickets/" + item.id + "/resume"); });
      li.appendChild(button);
    }
    return li;
  }

  function renderCurrent(t) {
    var status = t ? t.status : "";
    $("current-number").textContent = t ? t.number : "—";
    $("current-number").dataset.status = status;
    $("current-service").textContent = t ? serviceName(t.service) : texts.none;
    $("current-priority").textContent = t && t.priority ? (texts["priority_" + t.priority] || t.priority) : "—";
    $("current-status").textContent = t ? (texts["status_" + status] || status) : "—";
    var buttons = root.querySelectorAll("[data-needs]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = !t || buttons[i].dataset.needs.split(" ").indexOf(status) < 0;
    }
  }

  function renderLine(waiting, held) {
    var counts = {};
    waiting.forEach(function (item) { counts[item.service] = (counts[item.service] || 0) + 1; });
    $("waiting-total").textContent = String(waiting.length);
    var countList = $("service-counts");
    countList.textContent = "";
    state.counter.services.forEach(function (link) {
      var li = document.createElement("li");
      li.dataset.service = link.code;
      li.textContent = link.code + ": " + (counts[link.code] || 0);
      countList.appendChild(li);
    });
    var list = $("waiting-list");
    list.textContent = "";
    if (!waiting.length) { list.appendChild(Object.assign(document.createElement("li"), {textContent: texts.empty})); }
    waiting.forEach(function (item) { list.appendChild(ticketRow(item, false)); });
    var heldList = $("held-list");
    heldList.textContent = "";
    held.forEach(function (item) { heldList.appendChild(ticketRow(item, true)); });
  }

  function render(snapshotState) {
    state = snapshotState;
    $("counter-state").textContent = texts["state_" + state.counter.state] || state.counter.state;
    renderCurrent(state.current);
    renderLine(state.waiting, state.on_hold);
    tick();
  }

  function refresh() {
    // Any change in the office may change this counter's line: take a fresh snapshot.
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      if (live) { live.resync(counterRoom); }
    }, 100);
  }

  function act(path, body) {
    return api(path, body).then(function (result) {
      say(result && result.number ? result.number + " · " + (texts["status_" + result.status] || texts.done) : texts.done);
      refresh();
      return result;
    }).catch(function (error) { say(error.message, true); throw error; });
  }

  function current() { return state && state.current; }

  function callNext() {
    var path = "/counters/" + counterId + "/call-next";
    return api(path).catch(function (error) {
      var t = current();
      if (error.code !== "counter_busy" || !t) { throw error; }
      if (!window.confirm(format(texts.confirm_busy, {number: t.number}))) { return null; }
      return api("/tickets/" + t.id + "/finish").then(function () { return api(path); });
    }).then(function (result) {
      if (result) { say(result.number + " · " + texts.status_called); }
      refresh();
    }).catch(function (error) { say(error.message, true); });
  }

  function ticketAction(action) {
    var t = current();
    if (!t) { return; }
    act("/tickets/" + t.id + "/" + action).catch(function () { /* shown already */ });
  }

  root.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.dataset.action === "call-next") { callNext(); } else { ticketAction(button.dataset.action); }
    });
  });

  root.querySelectorAll("[data-state]").forEach(function (button) {
    button.addEventListener("click", function () {
      act("/counters/" + counterId + "/state", {state: button.dataset.state}).catch(function () {});
    });
  });

  $("transfer-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var t = current();
    if (t) { act("/tickets/" + t.id + "/transfer", {service: $("transfer-service").value}).catch(function () {}); }
  });

  $("call-form").addEventListener("submit", function (event) {
    event.preventDefault();
    act("/counters/" + counterId + "/call", {number: $("call-number").value.trim()})
      .then(function () { $("call-number").value = ""; }).catch(function () {});
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) { return; }
    var button = root.querySelector('[data-key="' + event.key.toLowerCase() + '"]');
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });

  setInterval(tick, 1000);

  live = window.QueueLive.connect({
    rooms: [{counter: counterId}, {office: office, staff: true}],
    onSnapshot: function (room, snapshot) { if (room === counterRoom) { render(snapshot.state); } },
    onEvent: function () { refresh(); },
    onStatus: function (status) { $("connection").hidden = status !== "offline"; },
    onError: function (error) { say(error.message || error.code, true); }
  });
  window.__counterLive = live;
})();
