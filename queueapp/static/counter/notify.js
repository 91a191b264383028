/*
 * counter/notify.js: reaching the citizen at this counter without a message provider (an ES
 * module beside counter.js). Whenever another ticket stands at the counter (#current-number
 * changes), it asks GET /api/v1/counters/<id>/contact: the phone the citizen left (booking or
 * consent) and a prefilled wa.me link the clerk opens. The phone comes only from that staff
 * endpoint, never from a live event. The form records the consent of a citizen without a
 * smartphone (POST /api/v1/tickets/<id>/notify, with the page's CSRF token).
 * Texts come from the page (templates/counter/_notify.html).
 */
import {$, setText} from "/static/shared/dom.js";
import {postJson, requestJson} from "/static/shared/http.js";

var box = $("reach");
var counterId = box.dataset.counterId;
var ticketId = null;
var shown = null;

function say(text, isError) {
  var line = $("reach-message");
  line.textContent = text || "";
  line.className = "message" + (isError ? " error" : "");
}

function show(contact) {
  var ticket = contact.ticket;
  if (!ticket || ticket.id !== ticketId) { say(""); }
  ticketId = ticket ? ticket.id : null;
  box.hidden = !ticket;
  if (!ticket) { return; }
  $("reach-whatsapp-row").hidden = !contact.whatsapp_url;
  $("reach-none").hidden = Boolean(contact.whatsapp_url);
  $("reach-whatsapp").href = contact.whatsapp_url || "#";
  setText("reach-phone", contact.phone || "");
}

function refresh() {
  return requestJson("/api/v1/counters/" + counterId + "/contact").then(show).catch(function () {
    box.hidden = true;
  });
}

$("reach-consent").addEventListener("submit", function (event) {
  event.preventDefault();
  if (ticketId === null) { return; }
  postJson("/api/v1/tickets/" + ticketId + "/notify",
           {channel: box.querySelector("input[name=reach-channel]:checked").value, phone: $("reach-consent-phone").value.trim()})
    .then(function () {
      $("reach-consent-phone").value = "";
      say(box.dataset.saved);
      return refresh();
    })
    .catch(function (error) { say(error.message, true); });
});

new MutationObserver(function () {
  var number = $("current-number").textContent;
  if (number !== shown) { shown = number; refresh(); }
}).observe($("current-number"), {childList: true, characterData: true, subtree: true});

refresh();
