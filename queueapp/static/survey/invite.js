/*
 * invite.js: on the citizen's status page, shows the satisfaction survey's invitation when
 * the ticket is finished. status.js keeps #ticket's data-status current from the live
 * events; this module only watches that attribute (no request, no socket of its own).
 */
var ticket = document.getElementById("ticket");
var invite = document.getElementById("survey-invite");

function follow() {
  invite.hidden = ticket.getAttribute("data-status") !== "done";
}

if (ticket && invite) {
  follow();
  new MutationObserver(follow).observe(ticket, {attributes: true, attributeFilter: ["data-status"]});
}
