"""Staff accounts and API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import Database
from ..domain import errors
from ..models import ApiToken, Role, StaffUser
from . import access

MIN_PASSWORD = 8


def create_user(db: Database, username: str, password: str, *, office_slug: str, role: str,
                display_name: str = "") -> int:
    """Create a staff account. Raises InvalidInput (bad role, short password, taken name)."""
    try:
        role_value = Role(role)
    except ValueError:
        raise errors.InvalidInput("role must be admin, supervisor or clerk") from None
    if len(password) < MIN_PASSWORD:
        raise errors.InvalidInput(f"password must have at least {MIN_PASSWORD} characters")
    username = username.strip().lower()
    if not username:
        raise errors.InvalidInput("username is empty")
    with db.write() as uow:
        office = access.office_by_slug(uow.session, office_slug)
        if uow.session.execute(select(StaffUser).where(StaffUser.username == username)).first():
            raise errors.InvalidInput(f"username {username} is taken")
        user = StaffUser(username=username, password_hash=generate_password_hash(password),
                         role=role_value, office_id=office.id, display_name=display_name or username)
        uow.session.add(user)
        uow.session.flush()
        return user.id


def authenticate(db: Database, username: str, password: str) -> StaffUser | None:
    with db.read() as session:
        user = session.execute(select(StaffUser).where(
            StaffUser.username == username.strip().lower())).scalar_one_or_none()
        if user is None or not user.active or not check_password_hash(user.password_hash, password):
            return None
        return user


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


def user_for_token(db: Database, token: str) -> StaffUser | None:
    with db.read() as session:
        row = session.execute(select(StaffUser).join(ApiToken, ApiToken.user_id == StaffUser.id)
                              .where(ApiToken.token_hash == _hash(token))).scalar_one_or_none()
        return row if row is not None and row.active else None


def user_by_id(db: Database, user_id: int) -> StaffUser | None:
    with db.read() as session:
        return session.get(StaffUser, user_id)
