/*
 * The citizen's status page (an ES module): keeps the server-rendered ticket current
 * through live.js; without it (no JavaScript, or no modules) the page refreshes itself.
 * Rooms: {ticket: token} for the ticket's own changes and, when others move the line,
 * the ticket's new `place` (people ahead, wait): nothing is read back. {office: slug}
 * brings a fresh snapshot when an administrator changes the office. When called: the counter in big type, a chime, a vibration and a
 * notification through the service worker if the citizen allowed them (status/notify.js). "Leave the queue" shows while the ticket's
 * `actions` hold "cancel".
 * The page has one section per phase (waiting, held, called, serving, finished, ended; the
 * server maps each status to its phase in texts.phases): render shows the ticket's own
 * section and hides the others, as the server does on the first load.
 */
import {$, pageData, setText} from "/static/shared/dom.js";
import {fill} from "/static/shared/i18n.js";
import {connect} from "/static/shared/live.js";
import {waitText} from "/static/shared/wait.js";
import {showCalled} from "/static/status/notify.js";

var root = $("ticket");
var texts = pageData("texts");
var token = root.getAttribute("data-token");
var ticketRoom = "ticket:" + token;
var lastCall = null;
var rendered = false;
var audio = null;
var shownTicket = null;
var live;

function chime() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    [660, 880].forEach(function (freq, i) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      var start = audio.currentTime + i * 0.35;
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.3, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.6);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(start); osc.stop(start + 0.6);
    });
  } catch (err) { /* no audio on this device */ }
}

function alertCalled(ticket) {
  chime();
  if (navigator.vibrate) { navigator.vibrate([400, 200, 400, 200, 400]); }
  showCalled(texts.called_title + ": " + ticket.number, texts.go_to + " " + (ticket.counter ? ticket.counter.name : ""));
}

function showPhase(ticket) {
  var phase = texts.phases[ticket.status] || "waiting";
  root.setAttribute("data-phase", phase);
  root.querySelectorAll("section.phase").forEach(function (section) {
    section.hidden = section.getAttribute("data-phase") !== phase;
  });
  root.querySelectorAll("#phase-ended [data-status]").forEach(function (line) {
    line.hidden = line.getAttribute("data-status") !== ticket.status;
  });
}

/* A counter of the ticket's service opened, paused or closed (an office room event). */
function counterChanged(counter) {
  if (!counter || !counter.state) { return; }
  root.querySelectorAll('.serving-counter[data-counter-id="' + counter.id + '"]').forEach(function (item) {
    item.setAttribute("data-state", counter.state);
  });
}

function render(ticket) {
  shownTicket = ticket;
  root.setAttribute("data-status", ticket.status);
  setText("number", ticket.number);
  setText("status", texts.status[ticket.status] || ticket.status);
  showPhase(ticket);
  setText("counter", ticket.counter ? ticket.counter.name : "");
  setText("serving-counter", ticket.counter ? ticket.counter.name : "");
  var waiting = ticket.position !== null && ticket.position !== undefined;
  $("wait").hidden = !waiting;
  if (waiting) {
    setText("position", ticket.position);
    setText("eta", waitText(ticket.eta_minutes, ticket.eta_range, texts.waits));
  }
  var leave = $("leave-line");
  if (leave) { leave.hidden = ticket.actions.indexOf("cancel") < 0; }
  var call = ticket.status === "called" ? ticket.called_at + "/" + ticket.call_count : null;
  // A new call or a recall alerts; the first render only shows what is already so.
  if (rendered && call !== null && call !== lastCall) { alertCalled(ticket); }
  rendered = true;
  lastCall = call;
}

function apply(event) {
  if (event.ticket) { render(event.ticket); }
  if (event.place && shownTicket) {
    var place = event.place;
    render(Object.assign({}, shownTicket, {position: place.position, eta_minutes: place.eta_minutes,
                                           eta_range: place.eta_range}));
  }
}

live = connect({
  rooms: [{ticket: token}, {office: root.getAttribute("data-office")}],
  onSnapshot: function (room, snap) {
    if (room === ticketRoom) { render(snap.state.ticket); }
  },
  onEvent: function (room, event) {
    if (room === ticketRoom) { apply(event); } else { counterChanged(event.counter); }
  },
  onStatus: function (status) {
    $("live").hidden = status !== "offline";
    setText("live", status === "offline" ? texts.offline : "");
  }
});
window.__statusLive = live;

var notify = $("notify");
if (notify) { notify.addEventListener("click", chime); }   // a tap also unlocks sound for the call
