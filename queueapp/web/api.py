"""JSON API v1: parse, call one service function, return JSON. Errors map in web.errors."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import select, text
from werkzeug.exceptions import BadRequest

from .. import queries
from ..domain import errors
from ..extensions import csrf, get_db, now
from ..models import Office
from ..services import counters as counter_ops
from ..services import tickets as ticket_ops
from ..services.access import office_by_slug, ticket_by_token
from .auth import staff_required
from .openapi import spec

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # staff writes with a cookie session are checked in staff_required


def json_body() -> dict:
    body = request.get_json(silent=True)
    if body is None and request.content_length:
        raise BadRequest()
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise BadRequest()
    return body


def optional_str(body: dict, name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise errors.InvalidInput(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise errors.InvalidInput(f"{name} must be a string")
    return value


def public_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")
    return f"{base}{path}"


def with_links(ticket: dict) -> dict:
    return {**ticket, "status_url": public_url(f"/t/{ticket['token']}"),
            "pdf_url": public_url(f"/tickets/{ticket['token']}/ticket.pdf")}


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.get("/health")
def health():
    try:
        with get_db().read() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        current_app.logger.warning("health check: database unreachable")
        return jsonify({"status": "unavailable"}), 503
    return jsonify({"status": "ok"})


@bp.get("/offices")
def offices():
    with get_db().read() as session:
        rows = session.execute(select(Office).order_by(Office.name)).scalars()
        return jsonify([{"slug": o.slug, "name": o.name, "timezone": o.timezone, "address": o.address,
                         "open": ticket_ops.office_is_open(o, now())} for o in rows])


@bp.get("/offices/<slug>/services")
def services(slug: str):
    moment = now()
    with get_db().read() as session:
        office = office_by_slug(session, slug)
        return jsonify(queries.services_overview(session, office, moment,
                                                 office_open=ticket_ops.office_is_open(office, moment)))


@bp.get("/offices/<slug>/counters")
def counters(slug: str):
    with get_db().read() as session:
        return jsonify(queries.counters_overview(session, office_by_slug(session, slug)))


@bp.get("/offices/<slug>/board")
def board(slug: str):
    moment = now()
    with get_db().read() as session:
        office = office_by_slug(session, slug)
        return jsonify(queries.board_snapshot(session, office, moment,
                                              office_open=ticket_ops.office_is_open(office, moment)))


@bp.post("/offices/<slug>/tickets")
def issue(slug: str):
    body = json_body()
    service = optional_str(body, "service", required=True)
    priority = optional_str(body, "priority")
    channel = optional_str(body, "channel") or "kiosk"
    if channel not in ("kiosk", "online", "staff"):
        raise errors.InvalidInput("channel must be kiosk, online or staff")
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key is not None and len(key) > 64:
        raise errors.InvalidInput("Idempotency-Key is longer than 64 characters")
    ticket = ticket_ops.issue_ticket(get_db(), slug, service, now=now(), priority=priority,
                                     channel=channel, idempotency_key=key)
    replayed = ticket.pop("replayed", False)
    return jsonify(with_links(ticket)), 200 if replayed else 201


@bp.get("/tickets/<token>")
def ticket_status(token: str):
    with get_db().read() as session:
        return jsonify(with_links(queries.ticket_view(session, ticket_by_token(session, token), now())))


@bp.post("/tickets/<token>/leave")
def leave(token: str):
    """The citizen cancels their own ticket; the token is the key."""
    return jsonify(with_links(ticket_ops.cancel_by_token(get_db(), token, now=now())))


@bp.post("/counters/<int:counter_id>/call-next")
@staff_required
def call_next(counter_id: int):
    return jsonify(with_links(counter_ops.call_next(get_db(), g.actor, counter_id, now=now())))


@bp.post("/counters/<int:counter_id>/call")
@staff_required
def call_number(counter_id: int):
    number = optional_str(json_body(), "number", required=True)
    return jsonify(with_links(counter_ops.call_specific(get_db(), g.actor, counter_id, number, now=now())))


@bp.post("/counters/<int:counter_id>/state")
@staff_required
def counter_state(counter_id: int):
    state = optional_str(json_body(), "state", required=True)
    return jsonify(counter_ops.set_counter_state(get_db(), g.actor, counter_id, state, now=now()))


TICKET_ACTIONS = {
    "recall": ticket_ops.recall,
    "start": ticket_ops.start,
    "finish": ticket_ops.finish,
    "no-show": ticket_ops.no_show,
    "hold": ticket_ops.hold,
    "resume": ticket_ops.resume,
    "cancel": ticket_ops.cancel,
}


@bp.post("/tickets/<int:ticket_id>/<any(recall, start, finish, 'no-show', hold, resume, cancel):action>")
@staff_required
def ticket_action(ticket_id: int, action: str):
    return jsonify(with_links(TICKET_ACTIONS[action](get_db(), g.actor, ticket_id, now=now())))


@bp.post("/tickets/<int:ticket_id>/transfer")
@staff_required
def transfer(ticket_id: int):
    body = json_body()
    service = optional_str(body, "service", required=True)
    position = optional_str(body, "position") or "keep"
    return jsonify(with_links(ticket_ops.transfer(get_db(), g.actor, ticket_id, service, now=now(),
                                                  position=position)))
