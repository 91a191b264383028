/*
 * counter_survey.js: on the clerk's workstation, after a ticket is finished, offers
 * "Survei untuk warga": the survey of that ticket in a second window (a tablet or second
 * screen turned to the citizen). The survey page shows only thanks after sending, so the
 * clerk never sees the answers. counter.js announces a finished ticket with the
 * "ticket-finished" event on #workstation; the link's words come from the page.
 */
var root = document.getElementById("workstation");
var link = document.getElementById("survey-for-citizen");

if (root && link) {
  root.addEventListener("ticket-finished", function (event) {
    var ticket = event.detail;
    if (!ticket || !ticket.token) { return; }
    link.href = "/t/" + encodeURIComponent(ticket.token) + "/survei?loket=1";
    link.textContent = link.getAttribute("data-label") + " (" + ticket.number + ")";
    link.hidden = false;
  });
  link.addEventListener("click", function () {
    // One survey per finished ticket: the offer goes once it is opened.
    setTimeout(function () { link.hidden = true; }, 0);
  });
}
