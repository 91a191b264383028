"""Staff log-in: the password check (with the log-in limits), the sessions kept on the
server, and a member changing their own password.

The session cookie holds the member's id, the account's session_version and a random key;
the server keeps the key's hash. Logging out deletes the row, so a copy of the cookie made
before stops working at once, while the member's other log-ins (another browser, another
counter) go on. A password reset, deactivation or a new role or zone deletes every row of
the member (services.staff)."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache

from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import Database
from ..domain import errors
from ..domain.audit import AuditAction
from ..domain.errors import N_
from ..models import StaffSession, StaffUser
from . import audit, staff
from .login_throttle import LoginThrottle
from .staff import StaffMember

# What the audit log shows for a failed log-in with a name that matches no account (the
# name typed is not kept: it may be a password typed into the wrong field).
UNKNOWN_ACCOUNT = "(unknown account)"
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


# --- Log-in and one's own password ---

def change_own_password(db: Database, member: StaffMember, current: str, new: str, *, keep_session: int | None,
                        now: datetime, address: str = "", throttle: LoginThrottle | None = None) -> list[int]:
    """A member sets their own password, proving the current one (a wrong one counts as a
    failed log-in). Every other session of theirs ends; `keep_session`, the one they use,
    goes on. Returns the ids of the sessions ended (their sockets are then disconnected).
    Raises WrongPassword, InvalidInput, LoginLocked, StaffNotFound."""
    if throttle is not None:
        throttle.attempt(member.username, address)
    with db.read() as session:
        user = session.get(StaffUser, member.id)
        if user is None or not user.active:
            raise errors.StaffNotFound(staff=member.id)
        stored, slug = user.password_hash, staff.slug_of(user)
    if not check_password_hash(stored, current or ""):
        raise errors.WrongPassword(N_("the current password is not right"), field="current_password")
    if throttle is not None:
        throttle.succeeded(member.username, address)
    new = staff.checked_password(new, member.username, slug)
    with db.write() as uow:
        user = uow.session.execute(select(StaffUser).where(StaffUser.id == member.id).with_for_update()
                                   .execution_options(populate_existing=True)).scalar_one()
        if user.password_hash != stored or not user.active:  # reset or deactivated meanwhile
            raise errors.WrongPassword(N_("the current password is not right"), field="current_password")
        user.password_hash = generate_password_hash(new)
        others = delete(StaffSession).where(StaffSession.user_id == user.id)
        if keep_session is not None:
            others = others.where(StaffSession.id != keep_session)
        ended = list(uow.session.execute(others.returning(StaffSession.id)).scalars())
        audit.record(uow, member.actor(), AuditAction.PASSWORD_CHANGED, now, office_id=user.office_id,
                     zone_id=user.zone_id, target=staff.audit_target(user), after={"sessions_ended": len(ended)})
        return ended


@cache
def _decoy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def authenticate(db: Database, username: str, password: str, *, now: datetime | None = None,
                 address: str = "", throttle: LoginThrottle | None = None) -> StaffMember | None:
    """The active member with this username and password, or None. Writes staff.login or
    staff.login_failed (with the client's address, never the password; a name that matches
    no account is not kept: it may be a password typed in the wrong field) and sets
    last_login_at. With a `throttle`, the attempt is counted against the account and the
    address first, and a locked one raises LoginLocked before anything is read or hashed; a
    success takes the attempt back and clears the account's count. The slow password check runs outside any transaction; the write after
    it is one short INSERT and UPDATE."""
    now = now or datetime.now(timezone.utc)
    name = str(username or "").strip().lower()
    if throttle is not None:
        throttle.attempt(name, address)
    with db.read() as session:
        user = session.execute(select(StaffUser).where(StaffUser.username == name[:64])).scalar_one_or_none()
        member = StaffMember.of(user) if user is not None else None
        active = bool(user and user.active)
        stored = user.password_hash if user is not None else _decoy_hash()
    # Unknown names cost a hash check too: the answer's timing tells no one which names exist.
    correct = check_password_hash(stored, password or "")
    ok = member is not None and correct and active
    if throttle is not None and ok:
        throttle.succeeded(name, address)
    # A failure that used up a limit says so: the log shows when a lock began.
    lock = {"locked": True} if throttle is not None and not ok and throttle.used_up(name, address) else {}
    with db.write() as uow:
        if member is None:
            audit.record(uow, None, AuditAction.LOGIN_FAILED, now, office_id=None, username=UNKNOWN_ACCOUNT,
                         address=address, after={"reason": "unknown_user", **lock})
            return None
        reason = {} if ok else {"reason": "inactive" if correct else "wrong_password", **lock}
        audit.record(uow, member.actor() if ok else None, AuditAction.LOGIN if ok else AuditAction.LOGIN_FAILED,
                     now, office_id=member.office_id, zone_id=member.zone_id, target=f"staff:{member.username}",
                     username=member.username, address=address, after=reason)
        if ok:
            uow.session.execute(update(StaffUser).where(StaffUser.id == member.id).values(last_login_at=now))
    return member if ok else None
