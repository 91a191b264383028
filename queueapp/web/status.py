"""The citizen's ticket: the live status page `/t/<token>`, leaving the queue, and the
ticket as PDF and QR. The token is the only key: whoever holds the paper holds the ticket."""
from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..domain import errors, local_time
from ..domain.kiosk import DEFAULT_PAPER, check_paper
from ..domain.states import Action, TicketStatus
from ..extensions import csrf, get_db, now
from ..printing import TicketDocument, qr_svg, render_pdf
from ..queries import service_counters
from ..queries.kiosks import TicketPage, ticket_page
from ..services import tickets as ticket_ops
from .http import public_url
from .labels import holder_status, label, service_name
from .waits import client_texts as wait_texts
from .waits import wait_text, wait_value

bp = Blueprint("status", __name__)
# Leaving needs the ticket's unguessable token, which a forging site cannot know; a CSRF
# token would only add an expiry that strands a citizen who kept the page open for hours.
csrf.exempt(bp)

REFRESH_SECONDS = 30

# The part of the status page that applies to each state of the ticket: one section each.
PHASES = {
    TicketStatus.WAITING: "waiting", TicketStatus.TRANSFERRED: "waiting", TicketStatus.ON_HOLD: "held",
    TicketStatus.CALLED: "called", TicketStatus.SERVING: "serving", TicketStatus.DONE: "finished",
    TicketStatus.CANCELLED: "ended", TicketStatus.NO_SHOW: "ended",
}


def phase(status: str | TicketStatus) -> str:
    return PHASES[TicketStatus(status)]


def status_url(token: str) -> str:
    return public_url(f"/t/{token}")


def ticket_document(page: TicketPage, paper: int = DEFAULT_PAPER) -> TicketDocument:
    """The paper ticket in the request's language."""
    ticket = page.ticket
    details = []
    if ticket["position"] is not None:
        details = [_("People ahead: %(count)s", count=ticket["position"]), wait_text(ticket)]
    priority = None
    if ticket["priority"]:
        priority = _("PRIORITY: %(group)s", group=label(ticket["priority"], "PriorityGroup"))
    return TicketDocument(
        office=page.office["name"], service=service_name(ticket["service"]), number=ticket["number"],
        issued=page.issued_local.strftime("%d-%m-%Y %H:%M %Z"), status_url=status_url(ticket["token"]),
        instruction=_("Scan the QR code to follow your queue on your phone."),
        details=tuple(details), priority=priority, paper=paper)


def _page_or_404(token: str):
    try:
        return ticket_page(get_db(), token, now=now()), None
    except errors.TicketNotFound:
        return None, (render_template("status/not_found.html"), 404)


def client_texts() -> dict:
    """What the page's script needs to word a change, in the page's language."""
    return {
        "status": {status.value: holder_status(status) for status in TicketStatus},
        "phases": {status.value: name for status, name in PHASES.items()},
        "waits": wait_texts(),
        "called_title": _("Your number is called"),
        "go_to": _("Please go to"),
        "offline": _("Connection lost. Reconnecting..."),
    }


@bp.get("/t/<token>")
def page(token: str):
    found, not_found = _page_or_404(token)
    if not_found:
        return not_found
    ticket = found.ticket
    counters = []
    if phase(ticket["status"]) in ("waiting", "held"):
        counters = service_counters.for_office(get_db(), found.office["slug"], ticket["service"]["code"])
    return render_template("status/status.html", page=found, ticket=ticket, phase=phase(ticket["status"]),
                           counters=counters, issued=local_time.moment(found.issued_at, found.office["timezone"],
                                                                       str(get_locale() or "id")),
                           service=service_name(ticket["service"]),
                           status_label=holder_status(ticket["status"]),
                           priority=label(ticket["priority"], "PriorityGroup") if ticket["priority"] else None,
                           wait=wait_value(ticket), refresh=REFRESH_SECONDS, texts=client_texts(),
                           # Leaving is offered while waiting; once called, the citizen goes to the counter.
                           can_leave=Action.CANCEL.value in ticket["actions"] and phase(ticket["status"]) == "waiting",
                           left=request.args.get("left") == "1")


@bp.get("/t/<token>/leave")
def confirm_leave(token: str):
    found, not_found = _page_or_404(token)
    if not_found:
        return not_found
    return render_template("status/leave.html", ticket=found.ticket, service=service_name(found.ticket["service"]))


@bp.post("/t/<token>/leave")
def leave(token: str):
    try:
        ticket_ops.cancel_by_token(get_db(), token, now=now())
    except errors.TicketNotFound:
        return render_template("status/not_found.html"), 404
    return redirect(url_for("status.page", token=token, left=1), code=303)


@bp.get("/tickets/<token>/ticket.pdf")
def pdf(token: str):
    paper = check_paper(request.args.get("paper", DEFAULT_PAPER))
    found = ticket_page(get_db(), token, now=now())
    body = render_pdf(ticket_document(found, paper))
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{found.ticket["number"]}.pdf"',
        "Cache-Control": "no-store"})


@bp.get("/tickets/<token>/qr.svg")
def qr(token: str):
    ticket_page(get_db(), token, now=now())   # unknown or expired tokens get no QR
    return Response(qr_svg(status_url(token)), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=86400"})
