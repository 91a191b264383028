"""Socket.IO: rooms, subscriptions, snapshots and the after-commit broadcast.

Rooms (every event carries the office's `seq`):
- office:<slug>   public board room (displays, kiosks): every event of the office,
                  without tokens; gapless, so a gap in seq means a missed event.
- staff:<slug>    staff view of the office: every event, full ticket data; gapless.
- ticket:<token>  one citizen's status page: that ticket's own events.
- counter:<id>    one counter screen: events of tickets at that counter and the
                  counter's own updates.

What a commit changed comes with its events (queries.projector), so no screen reads it back:
the board rooms' call events carry the `call` with its announcement, their last event of
the commit the `services` rows it changed; a ticket room's last message carries the
ticket's `place` (people ahead, ETA) when its line moved, a counter room's the counter's
`screen`. A room with no event of its own in the commit gets that state in a message of
type "state.updated" with the commit's last seq.
"""
from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import disconnect, emit, join_room
from socketio import PubSubManager
from sqlalchemy import bindparam, select

from . import messages, repository
from .commit_batches import CommitBatches
from .db import Database, PublishedEvent
from .domain import errors
from .domain.events import CALL_EVENT_TYPES
from .domain.permissions import Permission, require
from .extensions import get_db, now, socketio
from .models import MAX_ROW_ID, Office
from .queries import boards, projector, tickets
from .queries.projector import Projection
from .services import staff as staff_accounts
from .services.staff import StaffMember

log = logging.getLogger(__name__)

PUBLIC_TICKET_FIELDS = ("id", "number", "status", "service", "counter", "position", "eta_minutes",
                        "eta_range", "call_count", "called_at")


def public_ticket(ticket: dict | None) -> dict | None:
    """What a public screen may see: no token, no priority group, no personal data."""
    if ticket is None:
        return None
    return {key: ticket.get(key) for key in PUBLIC_TICKET_FIELDS} | {"priority": bool(ticket.get("priority"))}


def _payload(event: PublishedEvent, ticket: dict | None, counter: dict | None, room: str) -> dict:
    payload = {"seq": event.seq, "type": event.type, "office": event.office_slug,
               "at": event.at.isoformat(), "ticket": ticket, "room": room}
    if event.call_id:
        payload["call_id"] = event.call_id
    if counter is not None:
        payload["counter"] = counter
    return payload


def _rooms(event: PublishedEvent, ticket: dict | None, watching: projector.Watching) -> dict[str, dict | None]:
    """Each room the event goes to, with the ticket view that room may see. A ticket's or a
    counter's room that has no screen (`watching`, one process) gets nothing: a number just
    issued has no phone on its status page yet."""
    rooms = {f"office:{event.office_slug}": public_ticket(ticket), f"staff:{event.office_slug}": ticket}
    counter_ids = {event.counter_id}
    if ticket:
        if watching.tickets is None or ticket["token"] in watching.tickets:
            rooms[f"ticket:{ticket['token']}"] = ticket
        counter_ids.add((ticket.get("counter") or {}).get("id"))
    for counter_id in counter_ids - {None}:
        if watching.counters is None or counter_id in watching.counters:
            rooms[f"counter:{counter_id}"] = ticket
    return rooms


STATE_UPDATED = "state.updated"


def room_messages(projection: Projection, sent: set | frozenset = frozenset(),
                  watching: projector.Watching = projector.EVERYONE) -> dict[str, list[dict]]:
    """Each room's messages for one commit, in seq order; `sent`: (room, seq) of the events
    already sent (the commit's calls, announced first): what comes after them for that seq
    is a "state.updated" message; `watching`: the ticket and counter rooms with a screen."""
    rooms: dict[str, list[dict]] = {}
    for event, ticket, counter in projection.events:
        call = projection.calls.get(event.seq)
        for room, view in _rooms(event, ticket, watching).items():
            if (room, event.seq) in sent:
                continue
            payload = _payload(event, view, counter, room)
            if call is not None and not room.startswith(("ticket:", "counter:")):
                payload["call"] = call
            rooms.setdefault(room, []).append(payload)
    if not projection.events:
        return rooms
    last = projection.events[-1][0]
    board_rooms = (f"office:{last.office_slug}", f"staff:{last.office_slug}")

    def attach(room: str, state: dict) -> None:
        sent = rooms.get(room)
        if sent and sent[-1]["seq"] == last.seq:
            sent[-1].update(state)
        else:
            rooms.setdefault(room, []).append({"seq": last.seq, "type": STATE_UPDATED, "office": last.office_slug,
                                               "at": last.at.isoformat(), "ticket": None, "room": room, **state})
    if projection.services:
        for room in board_rooms:
            attach(room, {"services": projection.services})
    for token, place in projection.places.items():
        attach(f"ticket:{token}", {"place": place})
    for counter_id, screen in projection.screens.items():
        attach(f"counter:{counter_id}", {"screen": screen})
    return rooms


def _watching() -> projector.Watching:
    """The counter and ticket rooms with a screen in this process; behind a message queue
    other processes have screens too: all rooms count as watched."""
    manager = socketio.server.manager
    if isinstance(manager, PubSubManager):
        return projector.EVERYONE
    rooms = [room for room, members in manager.rooms.get("/", {}).items() if members and isinstance(room, str)]
    return projector.Watching(counters=frozenset(int(r[8:]) for r in rooms if r.startswith("counter:")),
                              tickets=frozenset(r[7:] for r in rooms if r.startswith("ticket:")))


def broadcaster(db: Database):
    """The after-commit listener: what each commit changed, to each room, in one read;
    commits made at the same moment are projected together (commit_batches), except that
    a commit with a call goes alone, so its call is announced before any estimate."""
    def project_batch(commits: list[list[PublishedEvent]]) -> None:
        together: list[PublishedEvent] = []
        for events in commits:
            if any(e.type in CALL_EVENT_TYPES for e in events):
                if together:
                    broadcast(together)
                    together = []
                broadcast(events)
            else:
                together.extend(events)
        if together:
            together.sort(key=lambda e: (e.office_id, e.seq))   # several commits: in seq order
            broadcast(together)

    def broadcast(events: list[PublishedEvent]) -> None:
        sent: set[tuple[str, int]] = set()
        watching = _watching()

        def announce(calls: Projection) -> None:
            for room, payloads in room_messages(calls, watching=watching).items():
                for payload in payloads:
                    socketio.emit("event", payload, to=room)
                    sent.add((room, payload["seq"]))
            # Under gevent or eventlet the screens' sockets are written by their own
            # greenlets: let them send the call now, before the estimates are replayed.
            socketio.sleep(0)
        for projection in projector.project(db, events, watching, announce):
            for room, payloads in room_messages(projection, sent, watching).items():
                for payload in payloads:
                    socketio.emit("event", payload, to=room)
    batches = CommitBatches(project_batch, socketio.server.eio.create_event, socketio.sleep)
    return batches.submit


def _staff() -> StaffMember | None:
    """The staff member of this socket: session cookie at connect, or a bearer token. Both
    are checked again at every subscription (Flask-Login reloads the session's member and
    its server-side session; the token is looked up again), so a deactivated member, a
    reset password, a logged-out session or a revoked or expired token joins nothing."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return _token_member(session.get("socket_token"))


def _token_member(token) -> StaffMember | None:
    try:
        return staff_accounts.member_for_token(get_db(), token, now=now())
    except errors.TokenExpired:
        return None


def _refuse(code: str, room: dict, error: errors.DomainError | None = None) -> None:
    text = messages.for_error(error) if error is not None else messages.for_code(code)
    emit("error", {"code": code, "message": text, "subscribe": room})


@socketio.on("connect")
def on_connect(auth=None):
    """Any client may connect; a staff client may prove itself with {"token": "..."}."""
    token = auth.get("token") if isinstance(auth, dict) else None
    member = _token_member(token)
    if member is not None:
        session["socket_token"] = token
    elif current_user.is_authenticated:
        member = current_user._get_current_object()
        # Logging out of this session (or changing the password from another) closes this
        # room, which disconnects the socket.
        join_room(staff_accounts.socket_room(member.id, member.session_id))
    if member is not None:
        # Ending the member's sessions closes this room, which disconnects the socket.
        join_room(staff_accounts.socket_room(member.id))


# What a subscription needs of its office before any snapshot: its identity and seq, without
# loading the ORM object (a reconnect storm runs this once per screen; the object is loaded
# only when a snapshot is built, once per room and seq). Statements built once.
_OFFICE = select(Office.id, Office.slug, Office.seq, Office.timezone)
_OFFICE_BY_SLUG = _OFFICE.where(Office.slug == bindparam("slug"))


def _office_by_slug(s, slug: str):
    """The office's (id, slug, seq, timezone) row; raises OfficeNotFound."""
    found = s.execute(_OFFICE_BY_SLUG, {"slug": slug}).first()
    if found is None:
        raise errors.OfficeNotFound(office=slug)
    return found


def _subscription(s, data: dict, moment) -> tuple[object, str, dict] | str:
    """The office (its seq and slug), room and state a subscription asks for, or the code
    of a refusal. Reads run in one read transaction, so the seq and the state agree."""
    if "ticket" in data:
        ticket = repository.ticket_by_token(s, str(data["ticket"]))
        return s.get(Office, ticket.office_id), f"ticket:{ticket.token}", {"ticket": tickets.ticket_view(s, ticket)}
    if "counter" in data:
        member = _staff()
        if member is None:
            return "unauthorized"
        counter_id = int(data["counter"])
        if not 0 < counter_id <= MAX_ROW_ID:
            raise ValueError("not a counter id")
        counter = repository.counter_for(s, member.actor(), counter_id)
        room = f"counter:{counter.id}"
        return counter.office, room, boards.shared_snapshot(s, counter.office, room, moment,
                                                            lambda: boards.counter_screen(s, counter, moment))
    if "office" in data:
        if not data.get("staff"):
            office = _office_by_slug(s, str(data["office"]))
            room = f"office:{office.slug}"
            return office, room, boards.shared_snapshot(
                s, office, room, moment, lambda: boards.board_snapshot(s, s.get(Office, office.id), moment))
        office = repository.office_by_slug(s, str(data["office"]))
        member = _staff()
        if member is None:
            return "unauthorized"
        require(member.actor(), Permission.VIEW_OFFICE, office.id)
        room = f"staff:{office.slug}"
        return office, room, boards.shared_snapshot(s, office, room, moment,
                                                    lambda: boards.staff_snapshot(s, office, moment))
    return "bad_request"


class SubscriptionBudget:
    """What one socket may still subscribe to: at most `max_rooms` rooms, and a token
    bucket of BURST subscriptions refilled at `per_second` (a screen subscribes to one to
    three rooms after each connect). `at` is a monotonic time in seconds."""

    BURST = 10

    def __init__(self, max_rooms: int, per_second: float, at: float):
        self.max_rooms, self.per_second = max_rooms, per_second
        self.tokens, self.at = float(self.BURST), at
        self.rooms: set[str] = set()

    def refusal(self, at: float) -> str | None:
        """None when one more subscription may go ahead (it spends a token), else the code."""
        if len(self.rooms) >= self.max_rooms:
            return "too_many_subscriptions"
        self.tokens = min(float(self.BURST), self.tokens + (at - self.at) * self.per_second)
        self.at = at
        if self.tokens < 1:
            return "rate_limited"
        self.tokens -= 1
        return None


# Per socket of this process (a socket stays with the process it connected to).
_budgets: dict[str, SubscriptionBudget] = {}


def _budget() -> SubscriptionBudget:
    budget = _budgets.get(request.sid)
    if budget is None:
        config = current_app.config
        budget = _budgets[request.sid] = SubscriptionBudget(
            config.get("SOCKET_MAX_ROOMS", 16), config.get("SOCKET_SUBSCRIBES_PER_MINUTE", 60) / 60,
            time.monotonic())
    return budget


def _over_budget(data) -> bool:
    """Refuse (and disconnect) a socket that subscribes to too many rooms or too fast: one
    socket's flood of subscriptions must not stall the process for every other screen.
    The socket is logged once, when it is cut off."""
    budget = _budget()
    code = budget.refusal(time.monotonic())
    if code is None:
        return False
    log.warning("socket %s from %s cut off: %s (%s rooms)", request.sid, request.remote_addr, code,
                len(budget.rooms))
    _refuse(code, data if isinstance(data, dict) else {})
    _budgets.pop(request.sid, None)
    disconnect()
    return True


@socketio.on("disconnect")
def on_disconnect(*_reason):
    _budgets.pop(request.sid, None)


@socketio.on("subscribe")
def on_subscribe(data):
    """Sent by every screen after (re)connecting. Replies `snapshot` (state + seq) or `error`
    (`too_many_subscriptions` or `rate_limited` also end the connection)."""
    if _over_budget(data):
        return None
    if not isinstance(data, dict):
        return _refuse("bad_request", {})
    if any(isinstance(value, str) and "\x00" in value for value in data.values()):
        return _refuse("bad_request", data)   # PostgreSQL cannot compare text holding NUL
    try:
        with get_db().read() as s:
            found = _subscription(s, data, now())
            if isinstance(found, str):
                return _refuse(found, data)
            office, room, state = found
            # Join before replying: an event committed after this snapshot is then sure to
            # arrive, and the client drops those with seq <= snapshot seq.
            join_room(room)
            if room.startswith("ticket:"):   # its next place is sent, whatever was sent before
                projector.snapshot_taken(get_db(), office.id, room[len("ticket:"):])
            _budget().rooms.add(room)
            emit("snapshot", {"room": room, "seq": office.seq, "office": office.slug, "state": state})
    except (errors.PermissionDenied, errors.NotFound) as exc:
        return _refuse(exc.code, data, exc)
    except (TypeError, ValueError):
        return _refuse("bad_request", data)
    except Exception:  # noqa: BLE001 - e.g. the database is out of connections: say so, never hang
        log.exception("subscribe failed")
        return _refuse("internal_error", data)
    log.debug("sid %s joined %s", request.sid, room)


def _disconnect_on_close(manager) -> None:
    """Closing a member's room (staff.socket_room, after deactivation, a password reset or a
    new role) disconnects its sockets in every process. python-socketio has no room-wide
    disconnect; its close_room reaches every process through the message queue and runs
    `basic_close_room` there, so each process disconnects its own members of the room."""
    close = manager.basic_close_room

    def basic_close_room(room, namespace):
        if str(room).startswith(staff_accounts.SOCKET_ROOM_PREFIX):
            for sid, _ in list(manager.get_participants(namespace, room)):
                manager.server.disconnect(sid, namespace=namespace, ignore_queue=True)
        return close(room, namespace)
    manager.basic_close_room = basic_close_room


DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> str:
    """scheme://host[:port] as a browser writes it in Origin: lower case, default port left out."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return f"{scheme}://{host}" if port in (None, DEFAULT_PORTS.get(scheme)) else f"{scheme}://{host}:{port}"


def accepted_origins(public_url: str | None):
    """The Origin check of the Socket.IO handshake (a browser's WebSocket is not bound by
    CORS, so this is what keeps other sites' pages off the staff rooms): the page must come
    from PUBLIC_URL or from the address the request was made to. That address is the
    request's own scheme and Host; forwarded headers count only when TRUSTED_PROXIES has
    already rewritten them into the request (ProxyFix), never on their own."""
    public = _origin(public_url) if public_url else None

    def accepted(origin: str, environ: dict) -> bool:
        scheme = environ.get("wsgi.url_scheme", "http")
        own = _origin(f"{scheme}://{environ.get('HTTP_HOST', '')}")
        try:
            return _origin(origin) in (public, own)
        except ValueError:      # not a URL: not an origin of ours
            return False
    return accepted


def socket_path_only(middleware):
    """Flask-SocketIO's middleware (set by init_app) for Socket.IO's own path only; every
    other request goes to the Flask app directly. On each request the middleware copies the
    WSGI environ and defines a class, about 3% of a ticket's CPU, for nothing that a page or
    the JSON API uses."""
    flask_app, prefix = middleware.wsgi_app, middleware.engineio_path

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(prefix):
            return middleware(environ, start_response)
        return flask_app(environ, start_response)
    return dispatch


def init(app) -> None:
    db = app.extensions["queueapp.db"]
    db.add_listener(broadcaster(db))
    _disconnect_on_close(socketio.server.manager)
