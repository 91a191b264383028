/*
 * counter.js: the clerk's workstation (an ES module). State comes from live.js (room
 * counter:<id>): whenever a change touches this counter's line, its event brings the
 * counter's whole `screen` (nothing is read back); the staff room brings a fresh snapshot
 * when an administrator changes the office. Every action is a POST to the JSON API with
 * the session cookie and the X-CSRFToken header.
 * The action buttons follow the current ticket's `actions` (what the state table allows).
 */
import {$, make, pageData, setText} from "/static/shared/dom.js";
import {postJson} from "/static/shared/http.js";
import {fill, label, serviceName} from "/static/shared/i18n.js";
import {connect} from "/static/shared/live.js";

var CALL_NEXT = "call-next";   // a counter's action, not one of a ticket's
var root = $("workstation");
var counterId = Number(root.dataset.counterId);
var office = root.dataset.office;
var config = pageData("counter-config");
var texts = config.texts;
var counterRoom = "counter:" + counterId;
var state = null;
var live = null;

function word(kind, value) { return label(config.labels, kind, value); }

function say(text, isError) {
  var box = $("message");
  box.textContent = text || "";
  box.className = "message" + (isError ? " error" : "");
}

function api(path, body) {
  return postJson("/api/v1" + path, body, {fallback: texts.network});
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

/* The API path of a ticket action: the Action value no_show is /no-show. */
function actionPath(ticket, action) {
  return "/tickets/" + ticket.id + "/" + action.replace(/_/g, "-");
}

function tick() {
  var t = state && state.current;
  setText("current-waited", t ? clock(since(t.issued_at, t.called_at)) : "—");
  setText("current-serving", t && t.started_at ? clock(since(t.started_at)) : "—");
}

function ticketRow(item, withResume) {
  var li = make("li", "", item.number + " ");
  li.dataset.number = item.number;
  if (item.priority) { li.appendChild(make("span", "prio", word("PriorityGroup", item.priority))); }
  if (withResume && item.actions.indexOf("resume") >= 0) {
    var button = make("button", "", word("Action", "resume"));
    button.type = "button";
    button.addEventListener("click", function () { act(actionPath(item, "resume")); });
    li.appendChild(button);
  }
  return li;
}

/* Every ticket action control is enabled when the state table allows its action now. */
function enableActions(t) {
  root.querySelectorAll("[data-action]").forEach(function (control) {
    var action = control.dataset.action;
    if (action !== CALL_NEXT) { control.disabled = !t || t.actions.indexOf(action) < 0; }
  });
}

function renderCurrent(t) {
  setText("current-number", t ? t.number : "—");
  $("current-number").dataset.status = t ? t.status : "";
  setText("current-service", t ? t.service.code + " · " + serviceName(t.service) : texts.none);
  setText("current-priority", t && t.priority ? word("PriorityGroup", t.priority) : "—");
  setText("current-status", t ? word("TicketStatus", t.status) : "—");
  enableActions(t);
}

function renderLine(waiting, held) {
  // The screen lists the first of the line; the counts cover all of it.
  var counts = state.waiting_counts || {};
  setText("waiting-total", state.waiting_total === undefined ? waiting.length : state.waiting_total);
  var countList = $("service-counts");
  countList.textContent = "";
  state.counter.services.forEach(function (link) {
    var li = make("li", "", link.code + ": " + (counts[link.code] || 0));
    li.dataset.service = link.code;
    countList.appendChild(li);
  });
  var list = $("waiting-list");
  list.textContent = "";
  if (!waiting.length) { list.appendChild(make("li", "", texts.empty)); }
  waiting.forEach(function (item) { list.appendChild(ticketRow(item, false)); });
  var heldList = $("held-list");
  heldList.textContent = "";
  held.forEach(function (item) { heldList.appendChild(ticketRow(item, true)); });
}

function render(snapshotState) {
  state = snapshotState;
  setText("counter-state", word("CounterState", state.counter.state));
  renderCurrent(state.current);
  renderLine(state.waiting, state.on_hold);
  tick();
}

function act(path, body) {
  return api(path, body).then(function (result) {
    say(result && result.number ? result.number + " · " + word("TicketStatus", result.status) : texts.done);
    if (result && result.status === "done") { root.dispatchEvent(new CustomEvent("ticket-finished", {detail: result})); }
    return result;
  }).catch(function (error) { say(error.message, true); throw error; });
}

function current() { return state && state.current; }

function callNext() {
  var path = "/counters/" + counterId + "/call-next";
  return api(path).catch(function (error) {
    var t = current();
    if (error.code !== "counter_busy" || !t) { throw error; }
    if (!window.confirm(fill(texts.confirm_busy, {number: t.number}))) { return null; }
    return api(actionPath(t, "finish")).then(function () { return api(path); });
  }).then(function (result) {
    if (result) { say(result.number + " · " + word("TicketStatus", result.status)); }
  }).catch(function (error) { say(error.message, true); });
}

function ticketAction(action) {
  var t = current();
  if (!t) { return; }
  act(actionPath(t, action)).catch(function () { /* shown already */ });
}

root.querySelectorAll("button[type=button][data-action]").forEach(function (button) {
  button.addEventListener("click", function () {
    if (button.dataset.action === CALL_NEXT) { callNext(); } else { ticketAction(button.dataset.action); }
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
  if (t) { act(actionPath(t, "transfer"), {service: $("transfer-service").value}).catch(function () {}); }
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

live = connect({
  rooms: [{counter: counterId}, {office: office, staff: true}],
  onSnapshot: function (room, snapshot) { if (room === counterRoom) { render(snapshot.state); } },
  onEvent: function (room, event) { if (room === counterRoom && event.screen) { render(event.screen); } },
  onStatus: function (status) { $("connection").hidden = status !== "offline"; },
  onError: function (error) { say(error.message || error.code, true); }
});
window.__counterLive = live;
