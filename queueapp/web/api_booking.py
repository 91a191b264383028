"""JSON API v1 for appointments: slots, book, cancel, reschedule, check-in, join from home,
holidays (staff). Rate-limited per client with the booking pages (web.booking)."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request

from ..domain import errors
from ..extensions import csrf, get_db, limiter, now
from ..queries import booking as booking_views
from ..queries import tickets as ticket_views
from ..services import appointments, checkin, holidays
from .auth import staff_required
from .limits import booking_limit, no_booking_limit
from .http import booking_links, json_body, optional_str, parse_day, parse_start, with_links
from .notify_choice import notify_choice

bp = Blueprint("api_booking", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # public JSON endpoints without cookies; staff ones use staff_required


limiter.limit(booking_limit, exempt_when=no_booking_limit)(bp)


def _appointment(token: str, status: int = 200):
    return jsonify(booking_links(booking_views.get(get_db(), token))), status


def _ticket(change):
    view = ticket_views.changed(get_db(), change)
    replayed = view.pop("replayed")
    return jsonify(with_links(view)), 200 if replayed else 201


@bp.get("/offices/<slug>/services/<service>/slots")
def slots(slug: str, service: str):
    day = parse_day(request.args.get("date"))
    return jsonify(booking_views.slots(get_db(), slug, service, day, now=now()))


@bp.post("/offices/<slug>/appointments")
def book(slug: str):
    body = json_body()
    start = parse_start(optional_str(body, "start", required=True))
    token = appointments.book(get_db(), slug, optional_str(body, "service", required=True), start,
                              name=optional_str(body, "name", required=True),
                              phone=optional_str(body, "phone", required=True),
                              nik=optional_str(body, "nik"), now=now(),
                              secret_key=current_app.config["SECRET_KEY"], **notify_choice(body))
    return _appointment(token, 201)


@bp.get("/appointments/<token>")
def appointment(token: str):
    return _appointment(token)


@bp.post("/appointments/<token>/cancel")
def cancel(token: str):
    return _appointment(appointments.cancel(get_db(), token, now=now()))


@bp.post("/appointments/<token>/reschedule")
def reschedule(token: str):
    start = parse_start(optional_str(json_body(), "start", required=True))
    return _appointment(appointments.reschedule(get_db(), token, start, now=now()), 201)


@bp.post("/offices/<slug>/check-in")
def check_in(slug: str):
    code = optional_str(json_body(), "code", required=True)
    return _ticket(checkin.check_in(get_db(), slug, code, now=now()))


@bp.post("/offices/<slug>/services/<service>/join")
def join(slug: str, service: str):
    body = json_body()
    phone = optional_str(body, "phone", required=True)
    return _ticket(checkin.join_online(get_db(), slug, service, phone, now=now(),
                                       secret_key=current_app.config["SECRET_KEY"], **notify_choice(body)))


@bp.get("/offices/<slug>/holidays")
@staff_required
def list_holidays(slug: str):
    return jsonify(booking_views.holidays(get_db(), slug, actor=g.actor))


@bp.post("/offices/<slug>/holidays")
@staff_required
def add_holidays(slug: str):
    """{"holidays": [{"date": "2026-12-25", "name": "..."}]}"""
    items = json_body().get("holidays")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise errors.InvalidInput("holidays must be a list of {date, name}")
    entries = [(parse_day(i.get("date")), str(i.get("name") or "Libur")) for i in items]
    added = holidays.import_holidays(get_db(), slug, entries, actor=g.actor, now=now())
    return jsonify({"added": added, "holidays": booking_views.holidays(get_db(), slug, actor=g.actor)}), 201


@bp.delete("/offices/<slug>/holidays/<day>")
@staff_required
def remove_holiday(slug: str, day: str):
    if not holidays.remove_holiday(get_db(), slug, parse_day(day), actor=g.actor, now=now()):
        raise errors.NotFound("no holiday on that date")
    return jsonify({"removed": day})
