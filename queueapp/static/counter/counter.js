/*
 * counter.js: the clerk's workstation (an ES module). State comes from live.js (room
 * counter:<id>): whenever a change touches this counter's line, its event brings the
 * counter's whole `screen` (nothing is read back); the staff room brings a fresh snapshot
 * when an administrator changes the office. Every action is a POST to the JSON API with
 * the session cookie and the X-CSRFToken header.
 * The action buttons follow the current ticket's `actions` (what the state table allows).
 * After each action the message bar says what happened in words of its own (config.done);
 * calling from a break asks first, and so does the recall that would turn into a no-show.
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
  root.querySelectorAll("[data-since]").forEach(function (span) {
    span.textContent = fill(texts.waited, {time: clock(since(span.dataset.since))});
  });
}

/* The sentence the message bar says after `kind` succeeded for ticket `number`. */
function confirmation(kind, number, extra) {
  return fill(config.done[kind] || texts.done, Object.assign({number: number}, extra || {}));
}

function ticketRow(item, withResume) {
  var li = make("li", "", "");
  li.dataset.number = item.number;
  li.dataset.channel = item.channel;
  li.appendChild(make("strong", "number", item.number));
  if (item.priority) { li.appendChild(make("span", "prio", word("PriorityGroup", item.priority))); }
  li.appendChild(make("span", "channel", word("Channel", item.channel)));
  if (item.name) { li.appendChild(make("span", "name", item.name)); }
  var waited = make("span", "waited", "");
  waited.dataset.since = item.issued_at;
  li.appendChild(waited);
  if (withResume && item.actions.indexOf("resume") >= 0) {
    var button = make("button", "", word("Action", "resume"));
    button.type = "button";
    button.addEventListener("click", function () {
      act(actionPath(item, "resume"), undefined, "resume").catch(function () {});
    });
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
  setText("current-calls", t ? fill(texts.calls, {calls: t.call_count, max: state.max_calls}) : "—");
  var recall = root.querySelector('[data-action="recall"]');
  if (recall) { recall.classList.toggle("last-call", Boolean(t && lastCall(t))); }
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

/* The next recall of `t` would mark it as a no-show (services.tickets.recall). */
function lastCall(t) { return state && state.max_calls && t.status === "called" && t.call_count >= state.max_calls; }

function render(snapshotState) {
  state = snapshotState;
  window.__counterState = state;
  root.dataset.counterState = state.counter.state;
  setText("counter-state", word("CounterState", state.counter.state));
  setText("served-today", state.served_today === undefined ? "—" : state.served_today);
  setText("served-by-me", state.served_by_staff ? state.served_by_staff[config.staff_id] || 0 : "—");
  renderCurrent(state.current);
  renderLine(state.waiting, state.on_hold);
  tick();
}

/* Other scripts of the workstation (the #counter-extras tools) hear each action that
   succeeded: a "counter:action" event on #workstation with {kind, ticket} (ticket: the API's
   answer, e.g. the ticket just finished); the screen's state is window.__counterState. */
function announce(kind, ticket) {
  root.dispatchEvent(new CustomEvent("counter:action", {detail: {kind: kind, ticket: ticket}}));
}

/* POST an action; the message bar then says `kind`'s confirmation (extra: its placeholders). */
function act(path, body, kind, extra) {
  return api(path, body).then(function (result) {
    var number = result && result.number;
    if (kind === "recall" && result && result.status === "no_show") { kind = "auto_no_show"; }
    say(kind ? confirmation(kind, number, extra) : texts.done);
    announce(kind, result);
    return result;
  }).catch(function (error) { say(error.message, true); throw error; });
}

function current() { return state && state.current; }

function callNext() {
  var path = "/counters/" + counterId + "/call-next";
  // The server ends a break when a clerk calls (API clients rely on it): the screen asks first.
  if (state && state.counter.state === "paused" && !window.confirm(texts.confirm_paused)) { return Promise.resolve(); }
  return api(path).catch(function (error) {
    var t = current();
    if (error.code !== "counter_busy" || !t) { throw error; }
    if (!window.confirm(fill(texts.confirm_busy, {number: t.number}))) { return null; }
    return api(actionPath(t, "finish")).then(function () { return api(path); });
  }).then(function (result) {
    if (result) { say(confirmation("call", result.number)); announce("call", result); }
  }).catch(function (error) { say(error.message, true); });
}

function ticketAction(action) {
  var t = current();
  if (!t) { return; }
  if (action === "recall" && lastCall(t) &&
      !window.confirm(fill(texts.confirm_last_recall, {number: t.number, calls: t.call_count}))) { return; }
  act(actionPath(t, action), undefined, action).catch(function () { /* shown already */ });
}

root.querySelectorAll("button[type=button][data-action]").forEach(function (button) {
  button.addEventListener("click", function () {
    if (button.dataset.action === CALL_NEXT) { callNext(); } else { ticketAction(button.dataset.action); }
  });
});

root.querySelectorAll("[data-state]").forEach(function (button) {
  button.addEventListener("click", function () {
    act("/counters/" + counterId + "/state", {state: button.dataset.state}, "state_" + button.dataset.state)
      .catch(function () {});
  });
});

$("transfer-form").addEventListener("submit", function (event) {
  event.preventDefault();
  var t = current();
  var select = $("transfer-service");
  if (t) {
    act(actionPath(t, "transfer"), {service: select.value}, "transfer",
        {service: select.options[select.selectedIndex].text}).catch(function () {});
  }
});

$("call-form").addEventListener("submit", function (event) {
  event.preventDefault();
  act("/counters/" + counterId + "/call", {number: $("call-number").value.trim()}, "call")
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
