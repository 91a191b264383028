"""Socket.IO: rooms, subscriptions, snapshots and the after-commit broadcast.

Rooms (every event carries the office's `seq`):
- office:<slug>   public board room (displays, kiosks): every event of the office,
                  without tokens; gapless, so a gap in seq means a missed event.
- staff:<slug>    staff view of the office: every event, full ticket data; gapless.
- ticket:<token>  one citizen's status page: that ticket's own events.
- counter:<id>    one counter screen: events of tickets at that counter and the
                  counter's own updates.
"""
from __future__ import annotations

import logging
from dataclasses import asdict

from flask import request, session
from flask_login import current_user
from flask_socketio import emit, join_room

from . import queries
from .db import PublishedEvent
from .domain import errors
from .extensions import get_db, now, socketio
from .models import MAX_ROW_ID, Office
from .services import access
from .services.tickets import office_is_open

log = logging.getLogger(__name__)

PUBLIC_TICKET_FIELDS = ("id", "number", "status", "service", "counter", "position", "eta_minutes",
                        "eta_range", "call_count", "called_at")


def public_ticket(ticket: dict | None) -> dict | None:
    """What a public screen may see: no token, no priority group, no personal data."""
    if ticket is None:
        return None
    return {key: ticket.get(key) for key in PUBLIC_TICKET_FIELDS} | {"priority": bool(ticket.get("priority"))}


def _payload(event: PublishedEvent, ticket: dict | None, room: str) -> dict:
    payload = {"seq": event.seq, "type": event.type, "office": event.office_slug,
               "at": event.at.isoformat(), "ticket": ticket, "room": room}
    if event.call_id:
        payload["call_id"] = event.call_id
    if event.counter is not None:
        payload["counter"] = event.counter
    return payload


def broadcast(event: PublishedEvent) -> None:
    """Send one committed event to its rooms. Called by Database after commit."""
    public_view = public_ticket(event.ticket)
    rooms = {f"office:{event.office_slug}": public_view, f"staff:{event.office_slug}": event.ticket}
    counter_ids = {(event.counter or {}).get("id")}
    if event.ticket:
        rooms[f"ticket:{event.ticket['token']}"] = event.ticket
        counter_ids |= {(event.ticket.get("counter") or {}).get("id"), event.extra.get("counter_id")}
    for counter_id in counter_ids - {None}:
        rooms[f"counter:{counter_id}"] = event.ticket
    for room, ticket in rooms.items():
        socketio.emit("event", _payload(event, ticket, room), to=room)


def _staff():
    """The staff member of this socket: session cookie at connect, or a bearer token."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    staff = session.get("socket_staff")
    if staff:
        from .web.auth import StaffLogin
        return StaffLogin(**staff)
    return None


def _refuse(code: str, room: dict) -> None:
    from .web.errors import message
    emit("error", {"code": code, "message": message(code), "subscribe": room})


@socketio.on("connect")
def on_connect(auth=None):
    """Any client may connect; a staff client may prove itself with {"token": "..."}."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if token:
        from .web.auth import actor_from_token
        staff = actor_from_token(token)
        if staff is not None:
            session["socket_staff"] = asdict(staff)


@socketio.on("subscribe")
def on_subscribe(data):
    """Sent by every screen after (re)connecting. Replies `snapshot` (state + seq) or `error`."""
    if not isinstance(data, dict):
        return _refuse("bad_request", {})
    moment = now()
    try:
        with get_db().read() as s:
            if "ticket" in data:
                ticket = access.ticket_by_token(s, str(data["ticket"]))
                office = s.get(Office, ticket.office_id)
                room, state = f"ticket:{ticket.token}", {"ticket": queries.ticket_view(s, ticket, moment)}
            elif "counter" in data:
                staff = _staff()
                if staff is None:
                    return _refuse("unauthorized", data)
                counter_id = int(data["counter"])
                if not 0 < counter_id <= MAX_ROW_ID:
                    raise ValueError("not a counter id")
                counter = access.counter_for(s, staff.actor(), counter_id)
                office = counter.office
                room, state = f"counter:{counter.id}", queries.counter_screen(s, counter, moment)
            elif "office" in data:
                office = access.office_by_slug(s, str(data["office"]))
                if data.get("staff"):
                    staff = _staff()
                    if staff is None:
                        return _refuse("unauthorized", data)
                    if staff.office_id != office.id:
                        return _refuse("forbidden", data)
                    room = f"staff:{office.slug}"
                    state = queries.staff_snapshot(s, office, moment, office_open=office_is_open(office, moment))
                else:
                    room = f"office:{office.slug}"
                    state = queries.board_snapshot(s, office, moment, office_open=office_is_open(office, moment))
            else:
                return _refuse("bad_request", data)
            # Join before replying: an event committed after this snapshot is then sure to
            # arrive, and the client drops those with seq <= snapshot seq.
            join_room(room)
            emit("snapshot", {"room": room, "seq": office.seq, "office": office.slug, "state": state})
    except errors.PermissionDenied:
        return _refuse("forbidden", data)
    except errors.NotFound as exc:
        return _refuse(exc.code, data)
    except (TypeError, ValueError):
        return _refuse("bad_request", data)
    except Exception:  # noqa: BLE001 - e.g. the database is out of connections: say so, never hang
        log.exception("subscribe failed")
        return _refuse("internal_error", data)
    log.debug("sid %s joined %s", request.sid, room)


def init(app) -> None:
    app.extensions["queueapp.db"].add_listener(broadcast)
