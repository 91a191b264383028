"""Staff accounts, log-in, API tokens, and who stands behind a token or a session."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import repository
from ..db import Database
from ..domain import errors
from ..domain.permissions import Actor, Role
from ..models import ApiToken, StaffUser

MIN_PASSWORD = 8


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


def create_user(db: Database, username: str, password: str, *, office_slug: str, role: str,
                display_name: str = "") -> int:
    """Create a staff account. Raises InvalidInput (bad role, short password, taken name)."""
    try:
        role_value = Role(role)
    except ValueError:
        raise errors.InvalidInput(f"role must be one of {', '.join(r.value for r in Role)}") from None
    if len(password) < MIN_PASSWORD:
        raise errors.InvalidInput(f"password must have at least {MIN_PASSWORD} characters")
    username = username.strip().lower()
    if not username:
        raise errors.InvalidInput("username is empty")
    with db.write() as uow:
        office = repository.office_by_slug(uow.session, office_slug)
        if uow.session.execute(select(StaffUser).where(StaffUser.username == username)).first():
            raise errors.InvalidInput(f"username {username} is taken")
        user = StaffUser(username=username, password_hash=generate_password_hash(password),
                         role=role_value, office_id=office.id, display_name=display_name or username)
        uow.session.add(user)
        uow.session.flush()
        return user.id


def authenticate(db: Database, username: str, password: str) -> StaffMember | None:
    """The active member with this username and password, or None."""
    with db.read() as session:
        user = session.execute(select(StaffUser).where(
            StaffUser.username == username.strip().lower())).scalar_one_or_none()
        if user is None or not user.active or not check_password_hash(user.password_hash, password):
            return None
        return StaffMember.of(user)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: Database, username: str, *, now: datetime) -> str:
    """A new bearer token for the user; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with db.write() as uow:
        user = uow.session.execute(select(StaffUser).where(
            StaffUser.username == username.strip().lower())).scalar_one_or_none()
        if user is None:
            raise errors.NotFound(f"no user {username}")
        uow.session.add(ApiToken(user_id=user.id, token_hash=_hash(token), created_at=now))
    return token


def member_for_token(db: Database, token: str | None) -> StaffMember | None:
    """The active member a bearer token belongs to, or None."""
    if not token:
        return None
    with db.read() as session:
        row = session.execute(select(StaffUser).join(ApiToken, ApiToken.user_id == StaffUser.id)
                              .where(ApiToken.token_hash == _hash(token))).scalar_one_or_none()
        return StaffMember.of(row) if row is not None and row.active else None


def member_by_id(db: Database, user_id: int) -> StaffMember | None:
    """The active member with this id (a session's user), or None."""
    with db.read() as session:
        user = session.get(StaffUser, user_id)
        return StaffMember.of(user) if user is not None and user.active else None
