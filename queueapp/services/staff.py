"""Staff accounts (create, change, deactivate, reset a password), the password rule with
its list of common passwords, API tokens, and who stands behind a token or a session (log-in
and sessions: services.staff_login). Every change is checked against the permission
table and writes one audit entry in its own transaction."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from ..db import Database, UnitOfWork
from ..domain import errors, setup
from ..domain.audit import AuditAction
from ..domain.errors import N_
from ..domain.permissions import RANK, Actor, Permission, Role, may_grant, require, scope
from ..models import MAX_ROW_ID, ApiToken, StaffSession, StaffUser, Zone
from . import audit
from .devices import TOKEN_PREFIX as DEVICE_TOKEN_PREFIX
from .login_throttle import LoginThrottle

# What a staff account's fields may hold.
MAX_DISPLAY_NAME = 100
MAX_TOKEN_NAME = 100
# An API token's lifetime (QUEUEAPP_API_TOKEN_DAYS gives the web's default).
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
# A token's last_used_at is written at most this often: a script's every request need not write.
LAST_USED_STEP = timedelta(minutes=5)
EDITABLE = frozenset({"role", "zone_id", "display_name", "active", "password"})
# Every live socket of a staff member is in this room (realtime); closing it disconnects them.
SOCKET_ROOM_PREFIX = "user:"


@dataclass(frozen=True)
class StaffMember:
    """A staff member as the web session, a socket and a bearer token know them (no ORM
    object outlives its transaction)."""

    id: int
    username: str
    display_name: str
    role: str
    office_id: int | None
    zone_id: int | None = None
    # A session remembers the version it was made with; a reset or deactivation ends it.
    session_version: int = 1

    @classmethod
    def of(cls, user: StaffUser) -> StaffMember:
        return cls(id=user.id, username=user.username, display_name=user.display_name,
                   role=user.role.value, office_id=user.office_id, zone_id=user.zone_id,
                   session_version=user.session_version)

    def actor(self) -> Actor:
        return Actor(staff_id=self.id, office_id=self.office_id, role=self.role, zone_id=self.zone_id,
                     username=self.username)


def socket_room(staff_id: int, session_id: int | None = None) -> str:
    """The Socket.IO room holding every live socket of one staff member, or those opened
    with one of their log-in sessions (staff_login)."""
    return f"{SOCKET_ROOM_PREFIX}{staff_id}" + (f":{session_id}" if session_id is not None else "")


def ends_sessions(fields: dict[str, Any]) -> bool:
    """Whether a change with these fields ends the member's sessions and sockets (a new
    role, zone or password, or deactivation): callers then disconnect the live sockets."""
    return bool({"role", "zone_id", "password"} & set(fields)) or fields.get("active") is False


# --- Checks shared by the use cases ---

@cache
def common_passwords() -> frozenset[str]:
    """The common passwords the password rule refuses (domain/common_passwords.txt)."""
    text = resources.files("queueapp.domain").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def checked_password(value, username: str, office_slug: str | None) -> str:
    """setup.password with the shipped list of common passwords. Raises InvalidInput."""
    return setup.password(value, username=username, office=office_slug or "", common=common_passwords())


def _role(value) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise errors.InvalidInput(N_("role must be one of %(roles)s"), field="role",
                                  roles=", ".join(r.value for r in Role)) from None


def _zone(uow: UnitOfWork, office_id: int | None, zone_id) -> int | None:
    """A zone of the office, or None (the whole office). Raises InvalidInput, ZoneNotFound."""
    zone_id = setup.whole_number(zone_id, "zone_id", minimum=1, maximum=MAX_ROW_ID, optional=True)
    if zone_id is None:
        return None
    zone = uow.session.get(Zone, zone_id)
    if zone is None or office_id is None or zone.office_id != office_id:
        raise errors.ZoneNotFound(zone=zone_id)
    return zone_id


def _grant(actor: Actor | None, role: Role, zone_id: int | None) -> None:
    """Unless `actor` may give `role` in `zone_id` (domain.permissions.may_grant): RoleNotAllowed
    for a role above its own, PermissionDenied for a zone beyond its own."""
    if actor is None or may_grant(actor, role, zone_id):
        return
    if RANK[role] > RANK[actor.role]:
        raise errors.RoleNotAllowed("role above the actor's own", role=role.value)
    raise errors.PermissionDenied("zone beyond the actor's own", zone=zone_id)


def _managed(uow: UnitOfWork, actor: Actor | None, staff_id) -> StaffUser:
    """The account, locked, when `actor` may manage it: same office and zone, and a role
    not above the actor's. Raises StaffNotFound, PermissionDenied, RoleNotAllowed."""
    if isinstance(staff_id, bool) or not isinstance(staff_id, int) or not 0 < staff_id <= MAX_ROW_ID:
        raise errors.StaffNotFound(staff=staff_id)
    user = uow.session.get(StaffUser, staff_id)
    if user is None:
        raise errors.StaffNotFound(staff=staff_id)
    if user.office_id is not None:
        uow.lock_office(user.office_id)
    # Read again under the lock: a change committed since the first read is seen.
    user = uow.session.execute(select(StaffUser).where(StaffUser.id == staff_id).with_for_update()
                               .execution_options(populate_existing=True)).scalar_one()
    if actor is not None:
        require(actor, Permission.MANAGE_STAFF, user.office_id, scope(user.zone_id))
        if RANK[user.role] > RANK[actor.role]:
            raise errors.RoleNotAllowed("above the actor's role", role=user.role.value)
    return user


def _state(user: StaffUser) -> dict[str, Any]:
    """What the audit log shows of an account."""
    return {"role": user.role, "zone_id": user.zone_id, "display_name": user.display_name, "active": user.active}


def slug_of(user: StaffUser) -> str | None:
    """The account's office slug (None for an owner)."""
    return user.office.slug if user.office is not None else None


def audit_target(user: StaffUser) -> str:
    return f"staff:{user.username}"


# --- Accounts ---

def create_user(db: Database, username: str, password: str, *, office_slug: str | None, role: str,
                display_name: str = "", zone_id: int | None = None, actor: Actor | None = None,
                now: datetime | None = None) -> int:
    """Create a staff account; returns its id. An owner has no office (office_slug None);
    every other role needs one, and `zone_id` must be a zone of it. `actor` None: the
    trusted command line. Raises InvalidInput, AlreadyExists (username), OfficeNotFound,
    ZoneNotFound, PermissionDenied, RoleNotAllowed."""
    role_value = _role(role)
    password = checked_password(password, str(username or "").strip().lower(), office_slug)
    username = setup.username(username)
    display_name = setup.text(display_name, "display_name", max_length=MAX_DISPLAY_NAME)
    now = now or datetime.now(timezone.utc)
    if role_value is Role.OWNER and (office_slug is not None or zone_id is not None):
        raise errors.InvalidInput(N_("an owner belongs to no office or zone"), field="office")
    if role_value is not Role.OWNER and office_slug is None:
        raise errors.InvalidInput(N_("%(role)s needs an office"), field="office", role=role_value.value)
    try:
        with db.write() as uow:
            office = uow.lock_office_by_slug(office_slug) if office_slug is not None else None
            office_id = office.id if office else None
            zone = _zone(uow, office_id, zone_id)
            if actor is not None:
                require(actor, Permission.MANAGE_STAFF, office_id, scope(zone))
            _grant(actor, role_value, zone)
            if uow.session.execute(select(StaffUser.id).where(StaffUser.username == username)).first():
                raise errors.AlreadyExists(value=username, what="username")
            user = StaffUser(username=username, password_hash=generate_password_hash(password), role=role_value,
                             office_id=office_id, zone_id=zone, display_name=display_name or username,
                             active=True, session_version=1)
            uow.session.add(user)
            uow.session.flush()
            audit.record(uow, actor, AuditAction.STAFF_CREATED, now, office_id=office_id, zone_id=zone,
                         target=audit_target(user), after={"username": username, **_state(user)})
            return user.id
    except IntegrityError:  # the same name created at the same moment
        raise errors.AlreadyExists(value=username, what="username") from None


def _action(before: dict, after: dict) -> AuditAction:
    if before["active"] and not after["active"]:
        return AuditAction.STAFF_DEACTIVATED
    if after["active"] and not before["active"]:
        return AuditAction.STAFF_REACTIVATED
    return AuditAction.STAFF_UPDATED


def _apply(uow: UnitOfWork, actor: Actor | None, user: StaffUser, fields: dict[str, Any]) -> None:
    """Check and set role, zone, display name and active on the locked account."""
    role = _role(fields["role"]) if "role" in fields else user.role
    zone = _zone(uow, user.office_id, fields["zone_id"]) if "zone_id" in fields else user.zone_id
    if (role is Role.OWNER) != (user.role is Role.OWNER):
        raise errors.InvalidInput(N_("an owner's role cannot change; create a new account"), field="role")
    if role is Role.OWNER and zone is not None:
        raise errors.InvalidInput(N_("an owner belongs to no office or zone"), field="zone_id")
    if "active" in fields and not isinstance(fields["active"], bool):
        raise errors.InvalidInput(N_("%(field)s must be true or false"), field="active")
    if actor is not None and actor.staff_id == user.id and (
            fields.get("active") is False or RANK[role] < RANK[user.role] or zone != user.zone_id):
        raise errors.InvalidInput(N_("you may not deactivate, demote or move your own account"), field="role")
    if (role, zone) != (user.role, user.zone_id):
        _grant(actor, role, zone)
    if "display_name" in fields:
        user.display_name = setup.text(fields["display_name"], "display_name", max_length=MAX_DISPLAY_NAME,
                                       required=True)
    user.role, user.zone_id = role, zone
    user.active = fields.get("active", user.active)


def update_staff(db: Database, actor: Actor | None, staff_id: int, fields: dict[str, Any], *,
                 now: datetime, throttle: LoginThrottle | None = None) -> None:
    """Change an account's role, zone_id, display_name or active (and password, which is
    reset_password in the same transaction, which ends a log-in lock when given the
    `throttle`). A new role or zone, or deactivation, ends the
    member's sessions (session_version + 1); deactivation also deletes their API tokens.
    One audit entry: staff.updated, staff.deactivated or staff.reactivated. Raises
    InvalidInput, StaffNotFound, ZoneNotFound, PermissionDenied, RoleNotAllowed."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise errors.InvalidInput(N_("%(field)s cannot be changed"), field=", ".join(sorted(unknown)))
    with db.write() as uow:
        user = _managed(uow, actor, staff_id)
        password = (checked_password(fields["password"], user.username, slug_of(user))
                    if "password" in fields else None)
        before = _state(user)
        _apply(uow, actor, user, fields)
        after = _state(user)
        deactivated = before["active"] and not after["active"]
        if deactivated or (after["role"], after["zone_id"]) != (before["role"], before["zone_id"]):
            _end_sessions(uow, user)
        if deactivated:
            revoked = uow.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id)).rowcount
            after = {**after, "tokens_revoked": revoked}
        audit.record(uow, actor, _action(before, after), now, office_id=user.office_id, zone_id=user.zone_id,
                     target=audit_target(user), before=before, after=after)
        if password is not None:
            _reset(uow, actor, user, password, now)
        username = user.username
    if password is not None and throttle is not None:
        throttle.clear(username)


def _end_sessions(uow: UnitOfWork, user: StaffUser) -> None:
    """Every log-in of the member ends: its session rows go, and a cookie of the old
    session_version is refused even if a row were left."""
    user.session_version += 1
    uow.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))


def _reset(uow: UnitOfWork, actor: Actor | None, user: StaffUser, password: str, now: datetime) -> None:
    user.password_hash = generate_password_hash(password)
    _end_sessions(uow, user)
    audit.record(uow, actor, AuditAction.PASSWORD_RESET, now, office_id=user.office_id, zone_id=user.zone_id,
                 target=audit_target(user))


def reset_password(db: Database, actor: Actor | None, staff_id: int, password: str, *, now: datetime,
                   throttle: LoginThrottle | None = None) -> None:
    """Set a new password; every session of the member ends (session_version + 1), and the
    account's failed log-ins are forgotten (a lock ends). Raises InvalidInput,
    StaffNotFound, PermissionDenied, RoleNotAllowed."""
    with db.write() as uow:
        user = _managed(uow, actor, staff_id)
        _reset(uow, actor, user, checked_password(password, user.username, slug_of(user)), now)
        username = user.username
    if throttle is not None:
        throttle.clear(username)


# --- API tokens ---

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _days(days) -> int:
    return setup.whole_number(days, "days", minimum=1, maximum=MAX_TOKEN_DAYS)


def _issue(uow: UnitOfWork, actor: Actor | None, user: StaffUser, name: str, now: datetime,
           days: int) -> tuple[int, str]:
    if not user.active:
        raise errors.InvalidInput(N_("this account is deactivated"), field="active")
    token = secrets.token_urlsafe(32)
    while token.startswith(DEVICE_TOKEN_PREFIX):  # would be read as a kiosk's device token
        token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_hash(token), created_at=now, name=name,
                   expires_at=now + timedelta(days=days))
    uow.session.add(row)
    uow.session.flush()
    audit.record(uow, actor, AuditAction.TOKEN_CREATED, now, office_id=user.office_id, zone_id=user.zone_id,
                 target=audit_target(user), after={"name": name, "id": row.id, "days": days})
    return row.id, token


def create_token(db: Database, username: str, *, now: datetime, name: str = "",
                 actor: Actor | None = None, days: int = DEFAULT_TOKEN_DAYS) -> str:
    """A new bearer token for the user, valid for `days`, shown once: only its hash is
    stored. Raises StaffNotFound, InvalidInput (deactivated, days), PermissionDenied,
    RoleNotAllowed."""
    name = setup.text(name, "name", max_length=MAX_TOKEN_NAME)
    days = _days(days)
    with db.write() as uow:
        staff_id = uow.session.execute(select(StaffUser.id).where(
            StaffUser.username == str(username).strip().lower())).scalar_one_or_none()
        if staff_id is None:
            raise errors.StaffNotFound(staff=username)
        return _issue(uow, actor, _managed(uow, actor, staff_id), name, now, days)[1]


def create_token_for(db: Database, actor: Actor | None, staff_id: int, *, now: datetime,
                     name: str = "", days: int = DEFAULT_TOKEN_DAYS) -> tuple[int, str]:
    """create_token for the account with this id; returns (token id, token)."""
    name = setup.text(name, "name", max_length=MAX_TOKEN_NAME, required=True)
    days = _days(days)
    with db.write() as uow:
        return _issue(uow, actor, _managed(uow, actor, staff_id), name, now, days)


def revoke_token(db: Database, actor: Actor | None, token_id: int, *, now: datetime) -> int:
    """Delete an API token (it stops working at once); returns its member's id. Raises
    NotFound, PermissionDenied, RoleNotAllowed."""
    with db.write() as uow:
        token = uow.session.get(ApiToken, token_id) if 0 < token_id <= MAX_ROW_ID else None
        if token is None:
            raise errors.NotFound(token=token_id)
        user = _managed(uow, actor, token.user_id)
        audit.record(uow, actor, AuditAction.TOKEN_REVOKED, now, office_id=user.office_id, zone_id=user.zone_id,
                     target=audit_target(user), after={"name": token.name, "id": token.id})
        uow.session.delete(token)
        return user.id


def member_for_token(db: Database, token: str | None, *, now: datetime | None = None) -> StaffMember | None:
    """The active member a bearer token belongs to, or None (a revoked token is gone).
    Notes when it was used (at most every LAST_USED_STEP). Raises TokenExpired past its
    expires_at."""
    if not token:
        return None
    now = now or datetime.now(timezone.utc)
    with db.read() as session:
        found = session.execute(select(StaffUser, ApiToken.id, ApiToken.expires_at, ApiToken.last_used_at)
                                .join(ApiToken, ApiToken.user_id == StaffUser.id)
                                .where(ApiToken.token_hash == _hash(token))).first()
        if found is None or not found[0].active:
            return None
        user, token_id, expires_at, last_used = found
        member = StaffMember.of(user)
    if now >= expires_at:
        raise errors.TokenExpired(expired=expires_at.isoformat())
    if last_used is None or now - last_used >= LAST_USED_STEP:
        with db.write() as uow:
            uow.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
    return member


def member_by_id(db: Database, user_id: int) -> StaffMember | None:
    """The active member with this id (a session's user), or None."""
    with db.read() as session:
        user = session.get(StaffUser, user_id)
        return StaffMember.of(user) if user is not None and user.active else None
