"""Staff log-in sessions kept on the server. The session cookie holds the member's id, the
account's session_version and a random key; the server keeps the key's hash. Logging out
deletes the row, so a copy of the cookie made before stops working at once, while the
member's other log-ins (another browser, another counter) go on. A password reset,
deactivation or a new role or zone deletes every row of the member (services.staff)."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from ..db import Database
from ..models import StaffSession, StaffUser
from .staff import StaffMember

# last_seen_at is written at most once per this part of the session lifetime, so an
# active page does not write on every request.
TOUCH_FRACTION = 10
MAX_TOUCH = timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _touch(lifetime: timedelta) -> timedelta:
    return min(lifetime / TOUCH_FRACTION, MAX_TOUCH)


@dataclass(frozen=True)
class Session:
    """A live log-in: its row's id (the Socket.IO room of its sockets) and the key its cookie holds."""

    id: int
    key: str


def start(db: Database, member: StaffMember, *, now: datetime, lifetime: timedelta) -> Session:
    """A new session for the member (after a successful log-in). The member's sessions idle
    for longer than `lifetime` (their cookies have expired) are deleted on the way."""
    key = secrets.token_urlsafe(32)
    with db.write() as uow:
        uow.session.execute(delete(StaffSession).where(
            StaffSession.user_id == member.id, StaffSession.last_seen_at < now - lifetime - _touch(lifetime)))
        row = StaffSession(user_id=member.id, key_hash=_hash(key), created_at=now, last_seen_at=now)
        uow.session.add(row)
        uow.session.flush()
        return Session(row.id, key)


def member_for_session(db: Database, user_id: int, version: int, key: str, *, now: datetime,
                       lifetime: timedelta) -> tuple[StaffMember, int] | None:
    """The active member and the session's id, when the session still exists, was made
    with the account's current session_version and has not been idle for `lifetime`;
    otherwise None. Refreshes last_seen_at when it is older than a tenth of the lifetime
    (at most five minutes)."""
    if not key:
        return None
    with db.read() as s:
        found = s.execute(select(StaffUser, StaffSession.id, StaffSession.last_seen_at)
                          .join(StaffSession, StaffSession.user_id == StaffUser.id)
                          .where(StaffUser.id == user_id, StaffSession.key_hash == _hash(key))).first()
        if found is None:
            return None
        user, session_id, last_seen = found
        if not user.active or user.session_version != version or now - last_seen > lifetime + _touch(lifetime):
            return None
        member = StaffMember.of(user)
    if now - last_seen >= _touch(lifetime):
        with db.write() as uow:
            uow.session.execute(update(StaffSession).where(StaffSession.id == session_id).values(last_seen_at=now))
    return member, session_id


def end(db: Database, key: str) -> int | None:
    """Log out: delete the session with this key; returns its id (None if it was gone)."""
    if not key:
        return None
    with db.write() as uow:
        session_id = uow.session.execute(select(StaffSession.id).where(
            StaffSession.key_hash == _hash(key))).scalar_one_or_none()
        if session_id is not None:
            uow.session.execute(delete(StaffSession).where(StaffSession.id == session_id))
        return session_id
