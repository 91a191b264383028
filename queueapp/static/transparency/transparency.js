/*
 * The public performance page (an ES module): keeps the "waiting now" table current
 * through live.js (the office room's snapshot, then the service rows each event carries);
 * without it the page refreshes itself (<noscript> meta refresh). Texts come from the page.
 */
import {$, pageData} from "/static/shared/dom.js";
import {fill} from "/static/shared/i18n.js";
import {connect} from "/static/shared/live.js";

var root = $("transparency");
var texts = pageData("texts");

function etaText(minutes) {
  if (minutes === null || minutes === undefined) { return texts.no_eta; }
  if (minutes === 0) { return texts.no_wait; }
  return fill(texts.eta, {minutes: minutes});
}

function apply(rows) {
  (rows || []).forEach(function (service) {
    var row = root.querySelector('#live tr[data-code="' + service.code + '"]');
    if (!row) { return; }
    row.querySelector('[data-field="waiting"]').textContent = String(service.waiting);
    row.querySelector('[data-field="eta"]').textContent = etaText(service.eta_minutes);
  });
}

connect({
  rooms: [{office: root.getAttribute("data-office")}],
  onSnapshot: function (room, snap) {
    apply(snap.state && snap.state.services);
    root.setAttribute("data-live", "synced");      // the table now follows the office's events
  },
  onEvent: function (room, event) { if (event.services) { apply(event.services); } },
  onStatus: function (status) {
    var note = $("live-status");
    note.hidden = status !== "offline";
    note.textContent = status === "offline" ? texts.offline : "";
  }
});
