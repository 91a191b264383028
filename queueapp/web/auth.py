"""Who is calling: a staff session (Flask-Login) or an API bearer token. What they may do
is decided by the use cases (domain.permissions), not here."""
from __future__ import annotations

import logging
from dataclasses import asdict
from functools import wraps

from flask import g, request
from flask_login import UserMixin, current_user
from werkzeug.exceptions import Unauthorized

from ..extensions import csrf, get_db, login_manager, socketio
from ..services import staff
from ..services.staff import StaffMember


class StaffLogin(UserMixin, StaffMember):
    """The logged-in staff member as Flask-Login keeps it."""

    @classmethod
    def from_user(cls, member: StaffMember) -> StaffLogin:
        return cls(**asdict(member))

    def get_id(self) -> str:
        # The session holds id and version: a password reset or deactivation (version + 1)
        # ends every session made before it.
        return f"{self.id}:{self.session_version}"


@login_manager.user_loader
def _load_user(session_id: str):
    user_id, _, version = str(session_id).partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    member = staff.member_by_id(get_db(), int(user_id))
    if member is None or member.session_version != int(version):
        return None
    return StaffLogin.from_user(member)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_staff() -> StaffMember | None:
    """The staff member behind this request, by bearer token or session cookie."""
    token = bearer_token()
    if token:
        return staff.member_for_token(get_db(), token)
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


def end_live_sessions(staff_id: int) -> None:
    """After a commit that ended a member's sessions (deactivation, a password reset, a
    new role or zone, a revoked token): disconnect their live sockets in every process
    (realtime makes closing the member's room do that). Never fails the request."""
    try:
        socketio.close_room(staff.socket_room(staff_id))
    except Exception:  # noqa: BLE001 - the sockets' next subscription is refused anyway
        logging.getLogger(__name__).exception("disconnecting the sockets of staff %s failed", staff_id)
