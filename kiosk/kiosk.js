/*
 * The touch kiosk: choose a service, choose a priority group (UU 25/2009), get a ticket
 * with its QR, printed either by the browser (the PDF in a hidden frame; Chromium with
 * --kiosk-printing prints it silently) or by the server on the kiosk's ESC/POS printer.
 *
 * - Service buttons stay live through live.js (room {office: slug}): an event carries
 *   the rows of the services it changed (waiting, ETA, open, quota left); nothing is read
 *   back (a fresh snapshot comes only after a gap or a reconnect).
 * - One idempotency key per attempt: a double tap or a retry after a lost answer gets
 *   the same ticket, never a second one.
 * - "I have an appointment": a code typed on the on-screen keys or by a keyboard-wedge
 *   scanner (characters + Enter, also caught on the start screen) is checked in.
 * - Printing that cannot be confirmed (the print hook throws or does not finish in time, the
 *   kiosk's ESC/POS printer reports a problem, staff marked the kiosk out of paper) is said
 *   on screen: the number and the QR stay large for a photo, and the printer's state goes to
 *   the server (POST .../kiosk/printer), which alerts the staff.
 * - Back to the start screen after a while without touches (and to Indonesian).
 * - Only a kiosk paired with a device token (an HttpOnly cookie set by its pairing link)
 *   issues tickets: an unpaired one shows why instead of its services.
 *
 * An ES module: the live client and the helpers come from the app's shared scripts.
 */
import {$, pageData, setText} from "/static/shared/dom.js";
import {postJson} from "/static/shared/http.js";
import {fill, label, serviceName} from "/static/shared/i18n.js";
import {connect} from "/static/shared/live.js";
import {waitText} from "/static/shared/wait.js";

var config = pageData("k-config");
var texts = config.texts;
var slug = config.office.slug;
var state = {service: null, key: null, ticket: null, busy: false, retry: null, services: config.services,
             fallback: false, printerState: config.printer_state};
var idleTimer = null, reprintTimer = null, scanBuffer = "", scanTimer = null;

function newKey() {
  if (window.crypto && crypto.randomUUID) { return "kiosk-" + crypto.randomUUID(); }
  return "kiosk-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
}

// --- screens -------------------------------------------------------------------------
function show(name) {
  if (name === "start" && state.reload) {   // the office was reconfigured: take its new settings
    location.reload();
    return;
  }
  if (name === "start" && !config.paired) { name = "unpaired"; }   // only a paired kiosk issues tickets
  var screens = document.querySelectorAll(".k-screen");
  for (var i = 0; i < screens.length; i++) { screens[i].hidden = screens[i].id !== "screen-" + name; }
  state.screen = name;
  armIdle();
  if (name === "appointment") { $("k-code").focus(); }
}

function reset() {
  state.service = null; state.key = null; state.ticket = null; state.busy = false; state.retry = null;
  state.fallback = false;
  clearTimeout(reprintTimer);
  setLarge(false);
  if (config.locale !== "id") {   // the next citizen starts in Bahasa Indonesia
    location.replace(location.pathname + "?lang=id" + (config.kiosk ? "&kiosk=" + encodeURIComponent(config.kiosk) : ""));
    return;
  }
  $("k-code").value = "";
  $("k-code-error").hidden = true;
  show("start");
}

function armIdle() {
  clearTimeout(idleTimer);
  if (state.screen === "start" || state.screen === "unpaired") { return; }
  var seconds = state.screen !== "ticket" ? config.idle_seconds :
    state.fallback ? config.fallback_seconds : config.ticket_seconds;
  idleTimer = setTimeout(reset, seconds * 1000);
}

function message(title, text, retry) {
  setText("k-message-title", title);
  setText("k-message", text);
  state.retry = retry || null;
  $("k-retry").hidden = !retry;
  show("message");
}

// --- services ------------------------------------------------------------------------
function serviceState(service) {
  if (service.open) { return null; }
  if (!service.active) { return texts.inactive; }
  if (service.quota_left === 0) { return texts.quota; }
  return texts.closed;
}

function serviceButton(box, code) {
  // Buttons are updated in place, never replaced: a tap landing during an update counts.
  var button = box.querySelector('.k-service[data-service="' + code + '"]');
  if (button) { return button; }
  // Each service is an item: its button, and a slot (.k-service-extra) where another module
  // may put a small button of its own (the service's requirements); it hears "kiosk:service".
  var item = document.createElement("div");
  item.className = "k-service-item";
  item.setAttribute("data-service-item", code);
  button = document.createElement("button");
  button.type = "button";
  button.className = "k-service";
  button.setAttribute("data-service", code);
  button.innerHTML = '<span class="k-service-code"></span><span class="k-service-name"></span>' +
    '<span class="k-service-meta"></span><span class="k-service-state"></span>';
  var extra = document.createElement("div");
  extra.className = "k-service-extra";
  item.appendChild(button);
  item.appendChild(extra);
  box.appendChild(item);
  document.dispatchEvent(new CustomEvent("kiosk:service", {detail: {code: code, item: item, slot: extra}}));
  return button;
}

function renderServices(services) {
  state.services = services;
  var box = $("k-services");
  var officeClosed = services.length > 0;
  var codes = {};
  services.forEach(function (service) {
    var button = serviceButton(box, service.code);
    var reason = serviceState(service);
    var eta = waitText(service.eta_minutes, null, texts.soon_or_about);
    codes[service.code] = true;
    button.disabled = !!reason;
    button.children[0].textContent = service.code;
    button.children[1].textContent = serviceName(service, config.locale);
    button.children[2].textContent = fill(texts.waiting, {count: service.waiting}) + " · " + eta;
    button.children[3].textContent = reason || "";
    if (service.open || !service.active || service.quota_left === 0) { officeClosed = false; }
  });
  Array.prototype.slice.call(box.children).forEach(function (item) {
    if (!codes[item.getAttribute("data-service-item")]) { box.removeChild(item); }
  });
  var banner = $("k-closed");
  banner.hidden = !officeClosed;
  var closedText = config.office.holiday ? texts.closed_today
    : config.office.opens ? texts.office_closed : texts.closed_all_day;
  banner.textContent = officeClosed ? fill(closedText, config.office) : "";
}

// A kiosk of one zone (an agency of an MPP) offers that zone's services only.
function shown(services) {
  var only = config.shown_services || [];
  return only.length ? services.filter(function (s) { return only.indexOf(s.code) >= 0; }) : services;
}

function applyServices(rows) {
  var byCode = {};
  rows.forEach(function (row) { byCode[row.code] = row; });
  renderServices(state.services.map(function (row) { return byCode[row.code] || row; }));
}

// --- issuing -------------------------------------------------------------------------
function officeApi(path, body, headers) {
  return postJson("/api/v1/offices/" + encodeURIComponent(slug) + path, body,
                  {headers: headers, fallback: texts.network});
}

function issue(priority) {
  if (state.busy) { return; }             // a double tap while the first is under way
  state.busy = true;
  state.priority = priority;
  state.key = state.key || newKey();       // kept for retries: the server answers with the same ticket
  // The browser's pairing cookie says which kiosk asks; the server sets the channel.
  officeApi("/tickets", {service: state.service, priority: priority || null}, {"Idempotency-Key": state.key})
    .then(function (ticket) {
      state.busy = false;
      showTicket(ticket);
    }, function (error) {
      state.busy = false;
      if (error.code === "network") {
        message(texts.sorry, texts.network, function () { issue(state.priority); });
        return;
      }
      state.key = null;                    // refused: a new attempt is a new request
      if (error.status === 401) {          // unpaired meanwhile (revoked in the admin area)
        config.paired = false;
        show("start");
        return;
      }
      message(texts.sorry, error.message);
    });
}

function checkIn(code) {
  code = (code || "").trim();
  if (!code || state.busy) { return; }
  state.busy = true;
  officeApi("/check-in", {code: code})
    .then(function (ticket) {
      state.busy = false;
      showTicket(ticket);
    }, function (error) {
      state.busy = false;
      if (error.code === "network") { message(texts.sorry, texts.network); return; }
      var box = $("k-code-error");
      box.innerHTML = "<strong></strong><span></span>";
      box.children[0].textContent = error.status === 404 ? texts.unknown_code : "";
      box.children[1].textContent = error.message;
      box.hidden = false;
      if (state.screen !== "appointment") { show("appointment"); }
      $("k-code").value = code;            // kept: the citizen corrects it rather than typing it again
      $("k-code").focus();
    });
}

// --- the ticket ----------------------------------------------------------------------
function showTicket(ticket) {
  state.ticket = ticket;
  setText("k-number", ticket.number);
  setText("k-service", serviceName(ticket.service, config.locale));
  $("k-priority-mark").hidden = !ticket.priority;
  setText("k-priority-mark", ticket.priority ?
    fill(texts.priority_mark, {group: label(config.labels, "PriorityGroup", ticket.priority)}) : "");
  var waiting = ticket.position !== null && ticket.position !== undefined;
  setText("k-ahead", waiting ? fill(texts.ahead, {count: ticket.position}) : "");
  setText("k-eta", !waiting ? "" : waitText(ticket.eta_minutes, ticket.eta_range, texts.waits));
  $("k-qr").src = "/tickets/" + encodeURIComponent(ticket.token) + "/qr.svg";
  showFallback(null);
  show("ticket");
  printTicket();
  // The kiosk may print this ticket again for a minute after its issue.
  var issued = Date.parse(ticket.issued_at);
  var left = config.reprint_seconds * 1000 - (isNaN(issued) ? 0 : Math.max(0, Date.now() - issued));
  clearTimeout(reprintTimer);
  reprintTimer = setTimeout(function () { $("k-reprint").hidden = true; },
                            Math.max(0, Math.min(left, config.reprint_seconds * 1000)));
}

function printStatus(text, failed) {
  var box = $("k-print-status");
  box.textContent = text;
  box.className = "k-print" + (failed ? " k-failed" : "");
  $("k-reprint").hidden = !failed;
}

// The ticket could not be printed (or will not be): say so, and keep the number and the QR
// large on screen, long enough to photograph them. null: the normal ticket screen.
function showFallback(text) {
  state.fallback = !!text;
  $("k-fallback").hidden = !text;
  $("k-fallback").textContent = text || "";
  $("screen-ticket").classList.toggle("k-photo", !!text);
  if (text) {
    printStatus(texts.print_failed, true);
    $("k-reprint").hidden = state.printerState === "marked_out";
    armIdle();
  }
}

// Tell the server what the browser's print path learnt ("ok", "unconfirmed"), once per
// change; a kiosk printing directly is checked by the server itself.
function reportPrinter(value) {
  if (config.direct_print || !config.paired || value === state.printerState) { return; }
  state.printerState = value;
  officeApi("/kiosk/printer", {state: value}).then(function (answer) {
    state.printerState = answer.state;
  }, function () { state.printerState = null; });   // not reported: try again next time
}

// Prints the PDF loaded in the hidden frame. Chromium started with --kiosk-printing sends
// it to the default printer without a dialog. A page may set window.kioskPrintFrame first
// to print another way (headless test browsers cannot print and are given a recorder); it
// may return a promise. What the browser can know is only that the call came back: not
// whether paper came out (docs/KIOSK.md). A call that throws, rejects or does not come back
// within print_timeout_seconds (window.kioskPrintTimeoutMs in tests) is "not confirmed".
var printFrame = window.kioskPrintFrame || function (frame) {
  frame.contentWindow.focus();
  frame.contentWindow.print();
};
var printTimeout = window.kioskPrintTimeoutMs || config.print_timeout_seconds * 1000;

function withTimeout(work, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("print timeout")); }, ms);
    Promise.resolve().then(work).then(function (value) { clearTimeout(timer); resolve(value); },
                                      function (err) { clearTimeout(timer); reject(err); });
  });
}

function printTicket() {
  var ticket = state.ticket;
  if (!ticket) { return; }
  if (state.printerState === "marked_out") {   // staff marked this kiosk out of paper
    showFallback(texts.paper_out);
    return;
  }
  printStatus(texts.printing, false);
  var done = function () {
    if (state.ticket !== ticket) { return; }
    showFallback(null);
    printStatus(texts.printed, false);
    $("k-reprint").hidden = false;
  };
  var failed = function () {
    if (state.ticket !== ticket) { return; }
    showFallback(texts.print_unconfirmed);
  };
  if (config.direct_print) {
    officeApi("/kiosk/print", {token: ticket.token, kiosk: config.kiosk}).then(done, failed);
    return;
  }
  // Browser printing: the PDF from this server (the path of pdf_url, so a public
  // PUBLIC_URL that the hall's network cannot reach does not matter).
  var url = new URL(ticket.pdf_url, location.href);
  fetch(url.pathname + "?paper=" + config.paper, {credentials: "same-origin"})
    .then(function (response) {
      if (!response.ok) { throw new Error("pdf " + response.status); }
      return response.blob();
    })
    .then(function (blob) {
      var frame = $("k-print-frame");
      frame.onload = function () {
        withTimeout(function () { return printFrame(frame); }, printTimeout)
          .then(function () { done(); reportPrinter("ok"); },
                function () { failed(); reportPrinter("unconfirmed"); });
      };
      if (frame.src && frame.src.indexOf("blob:") === 0) { URL.revokeObjectURL(frame.src); }
      frame.src = URL.createObjectURL(blob);
    })
    .catch(failed);
}

// Large text and high contrast, for the citizen using the kiosk now.
function setLarge(on) {
  document.body.classList.toggle("k-large", on);
  $("k-contrast").setAttribute("aria-pressed", on ? "true" : "false");
}

// --- appointment keys and the scanner ------------------------------------------------
function buildKeys() {
  var keys = "1234567890QWERTYUIOPASDFGHJKL-ZXCVBNM".split("").concat(["⌫"]);
  var box = $("k-keys");
  keys.forEach(function (key) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = key;
    button.addEventListener("click", function () {
      var input = $("k-code");
      input.value = key === "⌫" ? input.value.slice(0, -1) : input.value + key;
      input.focus();
    });
    box.appendChild(button);
  });
}

function onKey(event) {
  armIdle();
  if (state.screen !== "start") { return; }
  // A keyboard-wedge scanner types fast and ends with Enter; nobody types on the start screen.
  if (event.key === "Enter") {
    if (scanBuffer.length >= 4) { checkIn(scanBuffer); }
    scanBuffer = "";
  } else if (event.key && event.key.length === 1) {
    scanBuffer += event.key;
    clearTimeout(scanTimer);
    scanTimer = setTimeout(function () { scanBuffer = ""; }, 400);
  }
}

// --- wiring --------------------------------------------------------------------------
$("k-services").addEventListener("click", function (event) {
  var button = event.target.closest(".k-service");
  if (!button || button.disabled) { return; }
  state.service = button.getAttribute("data-service");
  state.key = null;
  show("priority");
});
var choices = document.querySelectorAll("[data-priority]");
for (var i = 0; i < choices.length; i++) {
  choices[i].addEventListener("click", function (event) { issue(event.currentTarget.getAttribute("data-priority")); });
}
var backs = document.querySelectorAll("[data-back]");
for (var j = 0; j < backs.length; j++) { backs[j].addEventListener("click", reset); }
$("k-appointment").addEventListener("click", function () { show("appointment"); });
$("k-code-form").addEventListener("submit", function (event) { event.preventDefault(); checkIn($("k-code").value); });
$("k-reprint").addEventListener("click", printTicket);
$("k-contrast").addEventListener("click", function () { setLarge(!document.body.classList.contains("k-large")); });
$("k-retry").addEventListener("click", function () { if (state.retry) { state.retry(); } });
document.addEventListener("pointerdown", armIdle);
document.addEventListener("keydown", onKey);

function tick() {
  try {
    setText("k-clock", new Intl.DateTimeFormat(config.locale === "en" ? "en-GB" : "id-ID",
      {timeZone: config.office.timezone, hour: "2-digit", minute: "2-digit", weekday: "long",
       day: "numeric", month: "long"}).format(new Date()));
  } catch (err) { setText("k-clock", ""); }
}

setText("k-unpaired", texts.unpaired);
buildKeys();
renderServices(config.services);
tick();
setInterval(tick, 15000);
show("start");

var live = connect({
  rooms: [{office: slug}],
  onSnapshot: function (room, snap) { renderServices(shown(snap.state.services)); },
  // An administrator changed the office (hours, names, this kiosk's zone): the snapshot that
  // follows updates the buttons; the page itself reloads when no citizen is using it.
  onConfigured: function () {
    state.reload = true;
    if (state.screen === "start") { show("start"); }
  },
  onEvent: function (room, event) { if (event.services) { applyServices(event.services); } },
  onStatus: function (status) {
    $("k-offline").hidden = status !== "offline";
    setText("k-offline", status === "offline" ? texts.offline : "");
  }
});
