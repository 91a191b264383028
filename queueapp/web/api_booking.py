"""JSON API v1 for appointments: slots, book, cancel, reschedule, check-in, join from home,
holidays (staff). Registered with the booking pages and their rate limits by `register`."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, current_app, g, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from ..domain import errors
from ..extensions import csrf, get_db, now
from ..services import appointments, checkin, holidays
from ..services.access import office_by_slug
from .api import json_body, optional_str, public_url, with_links
from .auth import require_role, staff_required

bp = Blueprint("api_booking", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # public JSON endpoints without cookies; staff ones use staff_required

def _limit_name() -> str:
    if request.endpoint == "api_booking.check_in":
        return "CHECKIN_RATE_LIMIT"
    return "BOOKING_READ_RATE_LIMIT" if request.method in ("GET", "HEAD") else "BOOKING_RATE_LIMIT"


def _limit() -> str:
    return current_app.config.get(_limit_name()) or "1000000 per second"


def _no_limit() -> bool:
    return not current_app.config.get(_limit_name())


def register(app) -> None:
    """The booking pages and API, behind a per-client rate limit (Flask-Limiter): in
    memory, or in Redis when REDIS_URL is set so every process shares the counts."""
    from . import booking
    limiter = Limiter(get_remote_address, app=app, storage_uri=app.config.get("REDIS_URL") or "memory://",
                      key_prefix="queueapp-booking", strategy="fixed-window")
    for blueprint in (bp, booking.bp):
        limiter.limit(_limit, exempt_when=_no_limit)(blueprint)
        app.register_blueprint(blueprint)
    app.extensions["queueapp.booking_limiter"] = limiter


def booking_links(view: dict) -> dict:
    base = f"/booking/a/{view['manage_token']}"
    return {**view, "manage_url": public_url(base), "qr_url": public_url(base + "/qr.png"),
            "pdf_url": public_url(base + "/confirmation.pdf"), "ics_url": public_url(base + "/appointment.ics")}


def parse_start(value: str | None) -> datetime:
    """ISO 8601 with an offset ("2026-11-24T08:00:00+07:00")."""
    value = (value or "").strip()
    if "T" in value:  # a "+" left unescaped in a query string arrives as a space
        value = value.replace(" ", "+")
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        raise errors.InvalidInput("start must be ISO 8601, e.g. 2026-11-24T08:00:00+07:00") from None
    if start.tzinfo is None:
        raise errors.InvalidInput("start must carry its UTC offset, e.g. +07:00")
    return start


def parse_day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise errors.InvalidInput("date must be YYYY-MM-DD") from None


@bp.get("/offices/<slug>/services/<service>/slots")
def slots(slug: str, service: str):
    day = parse_day(request.args.get("date"))
    return jsonify(appointments.slots(get_db(), slug, service, day, now=now()))


@bp.post("/offices/<slug>/appointments")
def book(slug: str):
    body = json_body()
    start = parse_start(optional_str(body, "start", required=True))
    view = appointments.book(get_db(), slug, optional_str(body, "service", required=True), start,
                             name=optional_str(body, "name", required=True),
                             phone=optional_str(body, "phone", required=True),
                             nik=optional_str(body, "nik"), now=now(),
                             secret_key=current_app.config["SECRET_KEY"])
    return jsonify(booking_links(view)), 201


@bp.get("/appointments/<token>")
def appointment(token: str):
    return jsonify(booking_links(appointments.get(get_db(), token)))


@bp.post("/appointments/<token>/cancel")
def cancel(token: str):
    return jsonify(booking_links(appointments.cancel(get_db(), token, now=now())))


@bp.post("/appointments/<token>/reschedule")
def reschedule(token: str):
    start = parse_start(optional_str(json_body(), "start", required=True))
    return jsonify(booking_links(appointments.reschedule(get_db(), token, start, now=now()))), 201


@bp.post("/offices/<slug>/check-in")
def check_in(slug: str):
    code = optional_str(json_body(), "code", required=True)
    ticket = checkin.check_in(get_db(), slug, code, now=now())
    replayed = ticket.pop("replayed", False)
    return jsonify(with_links(ticket)), 200 if replayed else 201


@bp.post("/offices/<slug>/services/<service>/join")
def join(slug: str, service: str):
    phone = optional_str(json_body(), "phone", required=True)
    ticket = checkin.join_online(get_db(), slug, service, phone, now=now(),
                                 secret_key=current_app.config["SECRET_KEY"])
    return jsonify(with_links(ticket)), 201


def _own_office(slug: str) -> None:
    with get_db().read() as session:
        office = office_by_slug(session, slug)
    if office.id != g.actor.office_id:
        raise errors.PermissionDenied("outside your office")


@bp.get("/offices/<slug>/holidays")
@staff_required
def list_holidays(slug: str):
    _own_office(slug)
    return jsonify(holidays.list_holidays(get_db(), slug))


@bp.post("/offices/<slug>/holidays")
@staff_required
@require_role("admin", "supervisor")
def add_holidays(slug: str):
    """{"holidays": [{"date": "2026-12-25", "name": "..."}]}"""
    _own_office(slug)
    items = json_body().get("holidays")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise errors.InvalidInput("holidays must be a list of {date, name}")
    entries = [(parse_day(i.get("date")), str(i.get("name") or "Libur")) for i in items]
    added = holidays.import_holidays(get_db(), slug, entries)
    return jsonify({"added": added, "holidays": holidays.list_holidays(get_db(), slug)}), 201


@bp.delete("/offices/<slug>/holidays/<day>")
@staff_required
@require_role("admin", "supervisor")
def remove_holiday(slug: str, day: str):
    _own_office(slug)
    if not holidays.remove_holiday(get_db(), slug, parse_day(day)):
        raise errors.NotFound("no holiday on that date")
    return jsonify({"removed": day})
