"""JSON API v1, the queue: parse, call one use case, return the read side's view.
Errors map in web.errors; appointments are in web.api_booking, printing in web.kiosk."""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from ..domain import errors
from ..extensions import csrf, get_db, limiter, now
from ..health import report as health_report
from ..queries import boards
from ..queries import tickets as ticket_views
from ..services import counters as counter_ops
from ..services import tickets as ticket_ops
from .auth import staff_required
from .http import json_body, optional_str, with_links
from .issuers import Issuer, issuer, required_issuer
from .limits import setting_limit
from .openapi import spec

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # staff writes with a cookie session are checked in staff_required


def _changed(change, *, staff: bool = True):
    view = ticket_views.changed(get_db(), change, staff=staff)
    view.pop("replayed")
    return jsonify(with_links(view))


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.get("/health")
def health():
    """503 only when the database fails; Redis or the disk make it "degraded" (queueapp.health)."""
    document, status = health_report(get_db(), redis_url=current_app.config["REDIS_URL"],
                                     folder=Path(current_app.config["INSTANCE_PATH"]),
                                     min_free_mb=current_app.config["HEALTH_MIN_FREE_MB"])
    return jsonify(document), status


@bp.get("/offices")
def offices():
    return jsonify(boards.offices(get_db(), now()))


@bp.get("/offices/<slug>/services")
def services(slug: str):
    return jsonify(boards.office_state(get_db(), slug, now(), part="services"))


@bp.get("/offices/<slug>/counters")
def counters(slug: str):
    return jsonify(boards.office_state(get_db(), slug, now(), part="counters"))


@bp.get("/offices/<slug>/board")
def board(slug: str):
    return jsonify(boards.office_state(get_db(), slug, now(), part="board"))


_ADDRESS_LIMIT, _NO_ADDRESS_LIMIT = setting_limit("TICKET_RATE_LIMIT")
_DEVICE_LIMIT, _NO_DEVICE_LIMIT = setting_limit("TICKET_DEVICE_RATE_LIMIT")


def _device_key() -> str:
    found = issuer()
    return found.key if found is not None else "anonymous"


def _not_per_device() -> bool:
    """Anonymous callers are counted by address only (and then refused). When the database
    cannot say who calls, the request itself answers 503 at its own look-up: the limiter
    does not count it (nor log a swallowed error)."""
    if _NO_DEVICE_LIMIT():
        return True
    try:
        return issuer() is None
    except SQLAlchemyError:
        return True


def _request_hash(who: Issuer, body: dict) -> str:
    """The request an Idempotency-Key stands for: method, path, canonical body and caller."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256("\n".join((request.method, request.path, who.key, canonical)).encode()).hexdigest()


@bp.post("/offices/<slug>/tickets")
@limiter.limit(_ADDRESS_LIMIT, exempt_when=_NO_ADDRESS_LIMIT, scope="tickets-address")
@limiter.limit(_DEVICE_LIMIT, key_func=_device_key, exempt_when=_not_per_device, scope="tickets-device")
def issue(slug: str):
    """A paired kiosk or staff take a number (401 for anyone else); the channel follows
    the caller, a priority group is theirs to choose."""
    who = required_issuer()
    body = json_body()
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key is not None and len(key) > 64:
        raise errors.InvalidInput("Idempotency-Key is longer than 64 characters")
    change = ticket_ops.issue_ticket(get_db(), slug, optional_str(body, "service", required=True), now=now(),
                                     priority=optional_str(body, "priority"), channel=who.channel.value,
                                     idempotency_key=key, request_hash=_request_hash(who, body) if key else None,
                                     replay_window=timedelta(hours=current_app.config["IDEMPOTENCY_HOURS"]),
                                     actor=who.actor, kiosk_office_id=who.kiosk.office_id if who.kiosk else None)
    return _changed(change, staff=False), 200 if change.replayed else 201


@bp.get("/tickets/<token>")
def ticket_status(token: str):
    return jsonify(with_links(ticket_views.by_token(get_db(), token)))


@bp.post("/tickets/<token>/leave")
def leave(token: str):
    """The citizen cancels their own ticket; the token is the key."""
    return _changed(ticket_ops.cancel_by_token(get_db(), token, now=now()), staff=False)


@bp.post("/counters/<int:counter_id>/call-next")
@staff_required
def call_next(counter_id: int):
    return _changed(counter_ops.call_next(get_db(), g.actor, counter_id, now=now()))


@bp.post("/counters/<int:counter_id>/call")
@staff_required
def call_number(counter_id: int):
    number = optional_str(json_body(), "number", required=True)
    return _changed(counter_ops.call_specific(get_db(), g.actor, counter_id, number, now=now()))


@bp.post("/counters/<int:counter_id>/state")
@staff_required
def counter_state(counter_id: int):
    state = optional_str(json_body(), "state", required=True)
    counter_ops.set_counter_state(get_db(), g.actor, counter_id, state, now=now())
    return jsonify(boards.counter(get_db(), counter_id))


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
    return _changed(TICKET_ACTIONS[action](get_db(), g.actor, ticket_id, now=now()))


@bp.post("/tickets/<int:ticket_id>/transfer")
@staff_required
def transfer(ticket_id: int):
    body = json_body()
    service = optional_str(body, "service", required=True)
    position = optional_str(body, "position") or "keep"
    return _changed(ticket_ops.transfer(get_db(), g.actor, ticket_id, service, now=now(), position=position))
