/*
 * dashboard.js: the supervisor's live dashboard (an ES module).
 *
 * State is the dashboard snapshot (queries/dashboard.py): first the one embedded in the
 * page, then GET /api/v1/offices/<office>/dashboard. Live through the staff room
 * (live.js, {office, staff: true}): a call or a start puts its ticket at its counter at
 * once, a counter update its state, the board rows of an event (`services`) the waiting
 * counts and estimates; every event then asks for a fresh snapshot, at most once a second,
 * for the rest (served, idle, longest waits, alerts). A seq gap or a reconnect brings the
 * staff room's snapshot, which also asks for a fresh dashboard snapshot.
 * Durations tick every second from the snapshot's instants, against the server's clock.
 */
import {$, make, pageData} from "/static/shared/dom.js";
import {postJson, requestJson} from "/static/shared/http.js";
import {fill, label, serviceName} from "/static/shared/i18n.js";
import {connect} from "/static/shared/live.js";

var root = $("dashboard");
var office = root.dataset.office;
var config = pageData("dashboard-config");
var texts = config.texts;
var state = null;
var skew = 0;            // server clock minus this browser's clock, in ms
var fetching = false, again = false, lastFetch = 0, timer = null;
var AT_COUNTER = ["called", "serving"];
var REFETCH_MS = 1000;

function word(kind, value) { return label(config.labels, kind, value); }

function say(text, isError) {
  var box = $("message");
  box.textContent = text || "";
  box.className = "message" + (isError ? " error" : "");
}

function serverNow() { return Date.now() + skew; }

function clock(seconds) {
  if (seconds === null || seconds === undefined || isNaN(seconds)) { return "—"; }
  seconds = Math.max(0, Math.floor(seconds));
  var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
  var mm = (h ? String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
  return h ? h + ":" + mm : mm;
}

function since(iso) { return iso ? (serverNow() - Date.parse(iso)) / 1000 : null; }

function cell(row, text, key) {
  var td = make("td", "", text);
  if (key) { td.dataset.cell = key; }
  row.appendChild(td);
  return td;
}

function renderTotals() {
  root.querySelectorAll("[data-total]").forEach(function (dd) {
    dd.textContent = String(state.totals[dd.dataset.total] || 0);
  });
}

/* The arrivals of the day as one bar per hour, up to the current hour (drawn lighter: it is
   still filling); the SVG's title lists them for a screen reader. */
function renderSparkline() {
  var svg = $("arrivals");
  var counts = state.arrivals_by_hour.slice(0, state.hour_now + 1);
  var max = Math.max.apply(null, counts.concat([1]));
  var ns = "http://www.w3.org/2000/svg";
  svg.textContent = "";
  counts.forEach(function (n, hour) {
    var height = Math.max(n ? 2 : 0, Math.round(n / max * 36));
    var bar = document.createElementNS(ns, "rect");
    bar.setAttribute("x", String(hour * 10 + 1));
    bar.setAttribute("y", String(40 - height));
    bar.setAttribute("width", "8");
    bar.setAttribute("height", String(height));
    bar.setAttribute("class", hour === state.hour_now ? "bar now" : "bar");
    bar.dataset.hour = String(hour);
    bar.dataset.count = String(n);
    svg.appendChild(bar);
  });
  var title = document.createElementNS(ns, "title");
  title.textContent = counts.map(function (n, hour) { return hour + ":00 " + n; })
    .filter(function (_, hour) { return counts[hour] > 0; }).join(", ");
  svg.appendChild(title);
  svg.dataset.total = String(counts.reduce(function (a, b) { return a + b; }, 0));
}

function renderAlerts() {
  var list = $("alerts");
  list.textContent = "";
  if (!state.alerts.length) { list.appendChild(make("li", "muted", texts.no_alerts)); return; }
  state.alerts.forEach(function (alert) {
    var values = alert.detail ? Object.assign({}, alert, {detail: word("PrinterState", alert.detail)}) : alert;
    var li = make("li", "alert", fill(texts[alert.kind] || alert.key, values));
    li.dataset.alert = alert.key;
    list.appendChild(li);
  });
}

function renderServices() {
  var body = $("services");
  body.textContent = "";
  state.services.forEach(function (s) {
    var row = make("tr");
    row.dataset.service = s.code;
    if (s.breach) { row.classList.add("breach"); }
    cell(row, s.code + " · " + serviceName(s));
    cell(row, s.waiting, "waiting");
    cell(row, clock(since(s.oldest_queued_at)), "longest");
    cell(row, fill(texts.minutes, {n: s.target_wait_minutes}), "target");
    cell(row, s.eta_minutes === null ? "—" : fill(texts.minutes, {n: s.eta_minutes}), "eta");
    cell(row, s.eta_one_more_minutes === null || s.eta_one_more_minutes === undefined ? "—" :
      fill(texts.minutes, {n: s.eta_one_more_minutes}), "eta-one-more");
    cell(row, s.served, "served");
    cell(row, s.no_show, "no_show");
    body.appendChild(row);
  });
}

function renderCounters() {
  var body = $("counters");
  body.textContent = "";
  var actions = $("counter-actions");
  state.counters.forEach(function (c) {
    var row = make("tr");
    row.dataset.counter = String(c.number);
    row.dataset.state = c.state;
    if (c.pause_breach) { row.classList.add("breach"); }
    cell(row, c.name);
    cell(row, word("CounterState", c.state), "state");
    cell(row, c.clerk ? c.clerk.name : texts.nobody, "clerk");
    var current = c.current;
    cell(row, current ? current.number + " · " + word("TicketStatus", current.status) : "—", "current");
    cell(row, current ? clock(since(current.started_at || current.called_at)) : "—", "serving");
    cell(row, c.idle_since ? clock(since(c.idle_since)) : "—", "idle");
    cell(row, c.served, "served");
    var td = cell(row, null, "actions");
    td.appendChild(actions.content.cloneNode(true));
    td.querySelectorAll("[data-state]").forEach(function (button) {
      button.disabled = button.dataset.state === c.state;
      button.addEventListener("click", function () { setCounterState(c, button.dataset.state); });
    });
    body.appendChild(row);
  });
}

function renderTickets() {
  var list = $("waiting-numbers");
  list.textContent = "";
  state.tickets.forEach(function (t) {
    var option = make("option");
    option.value = t.number;
    option.textContent = word("TicketStatus", t.status);
    list.appendChild(option);
  });
}

function render() {
  renderAlerts();
  renderTotals();
  renderSparkline();
  renderServices();
  renderCounters();
  renderTickets();
  root.dataset.seq = String(state.seq);
}

/* Only the durations, every second (no rebuild: a button being clicked stays). */
function tick() {
  if (!state) { return; }
  state.services.forEach(function (s) {
    var td = root.querySelector("tr[data-service='" + s.code + "'] [data-cell=longest]");
    if (td) { td.textContent = clock(since(s.oldest_queued_at)); }
  });
  state.counters.forEach(function (c) {
    var row = root.querySelector("tr[data-counter='" + c.number + "']");
    if (!row) { return; }
    row.querySelector("[data-cell=serving]").textContent =
      c.current ? clock(since(c.current.started_at || c.current.called_at)) : "—";
    row.querySelector("[data-cell=idle]").textContent = c.idle_since ? clock(since(c.idle_since)) : "—";
  });
}

function take(snapshot) {
  if (state && snapshot.seq < state.seq) { return; }   // an answer older than what is shown
  state = snapshot;
  skew = Date.parse(snapshot.now) - Date.now();
  render();
}

function refetch() {
  if (fetching) { again = true; return; }
  fetching = true;
  lastFetch = Date.now();
  requestJson("/api/v1/offices/" + encodeURIComponent(office) + "/dashboard", {fallback: texts.network})
    .then(take, function (error) { say(error.message, true); })
    .then(function () {
      fetching = false;
      if (again) { again = false; later(); }
    });
}

/* A fresh snapshot soon: at once when the last one is a second old, else when it will be. */
function later() {
  if (timer) { return; }
  var wait = Math.max(0, REFETCH_MS - (Date.now() - lastFetch));
  timer = setTimeout(function () { timer = null; refetch(); }, wait);
}

function counterOf(id) {
  return state.counters.filter(function (c) { return c.id === id; })[0];
}

/* What an event says that the dashboard can show at once, before the fresh snapshot. */
function apply(event) {
  var t = event.ticket;
  if (t && t.counter && AT_COUNTER.indexOf(t.status) >= 0) {
    var c = counterOf(t.counter.id);
    if (c) {
      c.current = {id: t.id, number: t.number, status: t.status, service: t.service.code,
                   called_at: t.called_at, started_at: t.started_at || null};
      c.idle_since = null;
    }
  }
  if (event.counter) {
    var counter = counterOf(event.counter.id);
    if (counter) { counter.state = event.counter.state; }
  }
  (event.services || []).forEach(function (row) {
    state.services.forEach(function (s) {
      if (s.code === row.code) { s.waiting = row.waiting; s.eta_minutes = row.eta_minutes; }
    });
  });
  state.seq = event.seq;
  render();
}

function setCounterState(c, value) {
  postJson("/api/v1/offices/" + encodeURIComponent(office) + "/dashboard/counters/" + c.id + "/state",
           {state: value}, {fallback: texts.network})
    .then(function () { say(c.name + " · " + word("CounterState", value)); later(); },
          function (error) { say(error.message, true); });
}

function chosenTicket() {
  var number = $("ticket-number").value.trim().toUpperCase();
  var found = state.tickets.filter(function (t) { return t.number === number; })[0];
  if (!found) { say(texts.unknown_ticket, true); }
  return found;
}

function ticketAction(ticket, action, body) {
  return postJson("/api/v1/offices/" + encodeURIComponent(office) + "/dashboard/tickets/" + ticket.id + "/" + action,
                  body, {fallback: texts.network})
    .then(function (result) {
      say(result.number + " · " + word("TicketStatus", result.status));
      $("ticket-number").value = "";
      later();
    }, function (error) { say(error.message, true); });
}

$("ticket-form").addEventListener("submit", function (event) {
  event.preventDefault();
  var t = chosenTicket();
  if (t) { ticketAction(t, "transfer", {service: $("move-service").value}); }
});

$("cancel-ticket").addEventListener("click", function () {
  var t = chosenTicket();
  if (t && window.confirm(fill(texts.confirm_cancel, {number: t.number}))) { ticketAction(t, "cancel"); }
});

take(pageData("dashboard-snapshot"));
setInterval(tick, 1000);

var live = connect({
  rooms: [{office: office, staff: true}],
  // After (re)subscribing, a seq gap or an administrator's change: the whole dashboard again.
  onSnapshot: function () { refetch(); },
  onEvent: function (room, event) {
    // A commit's calls come first, then (same seq) what they changed: "state.updated".
    if (!state || event.seq < state.seq || (event.seq === state.seq && event.type !== "state.updated")) { return; }
    apply(event);
    later();
  },
  onStatus: function (status) { $("connection").hidden = status !== "offline"; },
  onError: function (error) { say(error.message || error.code, true); }
});
window.__dashboardLive = live;
