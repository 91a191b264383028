"""Who is calling: a staff session (Flask-Login) or an API bearer token."""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import g, request
from flask_login import UserMixin, current_user
from werkzeug.exceptions import Forbidden, Unauthorized

from ..extensions import csrf, get_db, login_manager
from ..services import staff
from ..services.access import Actor


@dataclass
class StaffLogin(UserMixin):
    """The logged-in staff member as Flask-Login keeps it (no ORM object in the session)."""

    id: int
    username: str
    display_name: str
    role: str
    office_id: int

    @classmethod
    def from_user(cls, user) -> StaffLogin:
        return cls(id=user.id, username=user.username, display_name=user.display_name,
                   role=user.role.value, office_id=user.office_id)

    def actor(self) -> Actor:
        return Actor(staff_id=self.id, office_id=self.office_id, role=self.role)


@login_manager.user_loader
def _load_user(user_id: str):
    user = staff.user_by_id(get_db(), int(user_id)) if str(user_id).isdigit() else None
    return StaffLogin.from_user(user) if user is not None and user.active else None


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def actor_from_token(token: str | None) -> StaffLogin | None:
    if not token:
        return None
    user = staff.user_for_token(get_db(), token)
    return StaffLogin.from_user(user) if user is not None else None


def current_staff() -> StaffLogin | None:
    """The staff member behind this request, by bearer token or session cookie."""
    token = bearer_token()
    if token:
        return actor_from_token(token)
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def staff_required(view):
    """401 without credentials. A cookie session must also carry the CSRF token on writes;
    a bearer token cannot be sent by another site, so it needs none."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        member = current_staff()
        if member is None:
            raise Unauthorized()
        if bearer_token() is None and request.method not in ("GET", "HEAD", "OPTIONS"):
            csrf.protect()
        g.staff = member
        g.actor = member.actor()
        return view(*args, **kwargs)
    return wrapper


def require_role(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if g.staff.role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)
        return wrapper
    return decorator
