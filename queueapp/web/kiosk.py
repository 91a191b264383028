"""The touch kiosk `/kiosk/<office>` and ticket printing (kiosk and staff reprints).

The kiosk issues tickets through the JSON API (POST /api/v1/offices/<office>/tickets),
once paired: opening /kiosk/<office>?kiosk=NAME&pair=<device token> stores the token in
an HttpOnly cookie (web.issuers). This blueprint serves its page and assets and prints on
its ESC/POS printer.

A kiosk configured in the office's administration is named in its URL (?kiosk=NAME):
its paper, printer and zone (a kiosk of a zone offers that zone's services); ?paper=58
still overrides the paper width."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _

from .. import assets
from ..domain.errors import InvalidInput, PermissionDenied, PrintFailed
from ..domain.kiosk import check_paper
from ..domain.local_time import zone_name
from ..domain.printer import NOT_PRINTABLE, REPORTED, PrinterState
from ..domain.priority import PriorityGroup
from ..extensions import csrf, get_db, now
from ..i18n import COOKIE as LANG_COOKIE
from ..printing import print_escpos, printer_status
from ..queries import devices, kiosk_printers, kiosks
from ..services import devices as devices_ops, kiosk_printers as printer_ops
from .auth import staff_required
from .http import json_body, optional_str, public_url
from .issuers import COOKIE, pair_cookie, paired_kiosk, required_issuer
from .labels import for_script
from .status import ticket_document
from .waits import client_texts as wait_texts

bp = Blueprint("kiosk", __name__, static_folder=str(assets.folder("kiosk")), static_url_path="/kiosk/static")
csrf.exempt(bp)   # public JSON without a session; staff_required checks CSRF for cookie sessions

IDLE_SECONDS = 45          # back to the start screen when nobody touches the kiosk
TICKET_SECONDS = 30        # how long an issued ticket stays on screen
FALLBACK_SECONDS = 90      # how long a ticket that was not printed stays on screen (to photograph)
PRINT_TIMEOUT_SECONDS = 20  # a browser print call not finished by then is "not confirmed"


def pdf_path(token: str, paper: int) -> str:
    return url_for("status.pdf", token=token, paper=paper)


def _texts() -> dict:
    return {
        "waiting": _("%(count)s waiting"),
        "closed": _("Closed"),
        "quota": _("Today's quota is full"),
        "inactive": _("Not available"),
        "office_closed": _("The office is closed now. Opening hours: %(opens)s-%(closes)s."),
        "closed_today": _("The office is closed today: %(holiday)s."),
        "closed_all_day": _("The office does not open today."),
        "ahead": _("People ahead: %(count)s"),
        "waits": wait_texts(sentence=True),
        "soon_or_about": {"range": _("about %(minutes)s min"), "soon": _("served soon"), "none": _("no counter open yet")},
        "printing": _("Printing your ticket..."),
        "printed": _("Take your printed ticket."),
        "print_failed": _("The ticket could not be printed. Your number is still valid."),
        "offline": _("Connection lost. Reconnecting..."),
        "network": _("The kiosk cannot reach the server. Please try again."),
        "unknown_code": _("Unknown code"),
        "priority_mark": _("PRIORITY: %(group)s"),
        "sorry": _("Sorry"),
        "print_unconfirmed": _("The ticket could not be printed. Please take a photo of your number and "
                               "the QR code."),
        "paper_out": _("Out of paper, please take a photo of your number."),
        "unpaired": _("This kiosk is not paired yet. Ask the office's administrator to open this kiosk's "
                      "pairing link (Devices page of the admin area) in this browser."),
    }


def _pair(slug: str, name: str | None, token: str):
    """Open a pairing link once: a token of this kiosk pairs the browser (its cookie); any
    other token pairs nothing. Either way the plain URL follows, without the token."""
    plain = redirect(url_for("kiosk.page", slug=slug, kiosk=name, lang=request.args.get("lang"),
                             paper=request.args.get("paper")))
    kiosk = devices_ops.kiosk_for_token(get_db(), token)
    if kiosk is None or kiosk.office_slug != slug or kiosk.name != name:
        return plain
    return pair_cookie(plain, token)


@bp.get("/kiosk/<slug>")
def page(slug: str):
    name = request.args.get("kiosk") or None
    if request.args.get("pair"):
        return _pair(slug, name, request.args["pair"])
    settings = kiosks.kiosk_settings(get_db(), slug, name)
    paired = paired_kiosk()
    if name is None and paired is not None and paired.office_slug == slug:
        # A paired browser opened the office's kiosk without a name: it is that kiosk.
        return redirect(url_for("kiosk.page", slug=slug, kiosk=paired.name, lang=request.args.get("lang"),
                                paper=request.args.get("paper")))
    if not (request.args.get("lang") or request.cookies.get(LANG_COOKIE)):
        # A kiosk starts in Bahasa Indonesia whatever its browser's language is.
        return redirect(url_for("kiosk.page", slug=slug, lang="id", kiosk=name, paper=request.args.get("paper")))
    shown = devices.kiosk_services(get_db(), slug, name)
    paper = check_paper(request.args["paper"]) if request.args.get("paper") else settings.paper
    board, hours = kiosks.kiosk_board(get_db(), slug, now())
    printer = kiosk_printers.kiosk_printer(get_db(), slug, name)
    config = {
        "office": board["office"] | hours | {"zone": zone_name(board["office"]["timezone"])},
        "services": [s for s in board["services"] if not shown or s["code"] in shown],
        "shown_services": list(shown),
        "kiosk": name, "paper": paper, "direct_print": settings.printer.direct,
        # Only a paired kiosk issues tickets; an unpaired one says so instead of failing on a tap.
        "paired": paired is not None and paired.office_slug == slug and paired.name == name,
        "locale": str(get_locale()),
        "labels": for_script("PriorityGroup"),
        "idle_seconds": IDLE_SECONDS, "ticket_seconds": TICKET_SECONDS, "reprint_seconds": 60,
        "fallback_seconds": FALLBACK_SECONDS, "print_timeout_seconds": PRINT_TIMEOUT_SECONDS,
        # The printer's last known state; "marked_out": staff marked it out of paper.
        "printer_state": printer["state"] if printer else None,
        "texts": _texts(),
    }
    response = make_response(render_template("kiosk/kiosk.html", office=board["office"], config=config,
                                             priorities=list(PriorityGroup),
                                             logo=kiosk_printers.has_logo(get_db(), slug)))
    if config["paired"]:   # each page load keeps the pairing for another 400 days
        pair_cookie(response, request.cookies[COOKIE])
    return response


def _print(page, settings) -> dict:
    """Print on the kiosk's own printer, or tell a browser kiosk which PDF to print. A
    direct printer is asked its status first (ESC/POS DLE EOT): out of paper, cover open or
    offline, it is not sent the ticket (503 printer_failed) and the kiosk's state and the
    staff alert follow what it said."""
    path = pdf_path(page.ticket["token"], settings.paper)
    if not settings.printer.direct:
        return {"printed": False, "print": "browser", "pdf_url": public_url(path)}
    printer = kiosk_printers.kiosk_printer(get_db(), page.office["slug"], settings.name)
    if printer is not None and printer["state"] == PrinterState.MARKED_OUT.value:
        raise PrintFailed("marked out of paper")
    state = printer_status(settings.printer)
    if printer is not None and state is not None:
        state = printer_ops.record_printer_state(get_db(), printer["id"], state, now=now())
    if state in NOT_PRINTABLE:
        raise PrintFailed(state.value)
    print_escpos(ticket_document(page, settings.paper), settings.printer)
    return {"printed": True, "print": "escpos", "pdf_url": public_url(path)}


@bp.post("/api/v1/offices/<slug>/kiosk/print")
def kiosk_print(slug: str):
    """Print (or reprint) the ticket just issued at this kiosk, within a minute of issue."""
    body = json_body()
    token = optional_str(body, "token", required=True)
    page, settings = kiosks.kiosk_print_job(get_db(), slug, token, optional_str(body, "kiosk"), now=now())
    return jsonify(_print(page, settings))


@bp.post("/api/v1/tickets/<int:ticket_id>/reprint")
@staff_required
def staff_reprint(ticket_id: int):
    """Staff reprint any ticket of their office, on a kiosk's printer ({"kiosk": name})
    or from their own browser through the returned pdf_url."""
    kiosk = optional_str(json_body(), "kiosk")
    page, settings = kiosks.staff_print_job(get_db(), g.actor, ticket_id, kiosk)
    if kiosk is None:
        return jsonify({"printed": False, "print": "browser",
                        "pdf_url": public_url(pdf_path(page.ticket["token"], settings.paper))})
    return jsonify(_print(page, settings))



@bp.post("/api/v1/offices/<slug>/kiosk/printer")
def printer_report(slug: str):
    """A browser kiosk reports its printer (by its device token): "ok" when a print call
    finished, "unconfirmed" when it threw or did not finish in time. Answers the kiosk's
    state after the report ("marked_out" stays until staff lift it)."""
    caller = required_issuer()
    if caller.kiosk is None or caller.kiosk.office_slug != slug:
        raise PermissionDenied()
    value = optional_str(json_body(), "state", required=True)
    if value not in {s.value for s in REPORTED}:
        raise InvalidInput("state must be ok or unconfirmed")
    state = printer_ops.record_printer_state(get_db(), caller.kiosk.id, PrinterState(value), now=now())
    return jsonify({"kiosk": caller.kiosk.name, "state": state.value})
