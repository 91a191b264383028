"""Who is calling: a staff session (Flask-Login) or an API bearer token. What they may do
is decided by the use cases (domain.permissions), not here."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request, session
from flask_login import UserMixin, current_user, login_user, logout_user
from werkzeug.exceptions import Unauthorized

from ..extensions import csrf, get_db, login_manager, now, socketio
from ..services import staff, staff_login
from ..services.login_throttle import LoginThrottle
from ..services.staff import StaffMember


THROTTLE = "queueapp.login_throttle"


@dataclass(frozen=True)
class StaffLogin(UserMixin, StaffMember):
    """The logged-in staff member as Flask-Login keeps it, with the server-side session
    (services.staff_login) that this browser's cookie names."""

    session_id: int = 0
    session_key: str = ""

    @classmethod
    def from_user(cls, member: StaffMember, session: staff_login.Session | None = None) -> StaffLogin:
        fields = {f.name: getattr(member, f.name) for f in dataclass_fields(StaffMember)}
        return cls(**fields, session_id=session.id if session else 0, session_key=session.key if session else "")

    def get_id(self) -> str:
        # id, version and the session's key: logging out deletes the session (a copied
        # cookie stops working); a password reset or deactivation (version + 1) ends all.
        return f"{self.id}:{self.session_version}:{self.session_key}"


def _lifetime() -> timedelta:
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    return lifetime if isinstance(lifetime, timedelta) else timedelta(seconds=lifetime)


@login_manager.user_loader
def _load_user(session_id: str):
    user_id, version, key = (str(session_id).split(":", 2) + ["", ""])[:3]
    if not user_id.isdigit() or not version.isdigit() or not key:
        return None
    found = staff_login.member_for_session(get_db(), int(user_id), int(version), key, now=now(),
                                              lifetime=_lifetime())
    if found is None:
        return None
    member, row_id = found
    return StaffLogin.from_user(member, staff_login.Session(row_id, key))


def start_session(member: StaffMember) -> StaffLogin:
    """Log the member in on this browser: a new server-side session, a fresh cookie."""
    session.clear()
    # Permanent: the session then ends PERMANENT_SESSION_LIFETIME after the last request.
    session.permanent = True
    login = StaffLogin.from_user(member, staff_login.start(get_db(), member, now=now(), lifetime=_lifetime()))
    login_user(login)
    return login


def end_session() -> None:
    """Log out on this browser: the server forgets the session, so a copy of the cookie no
    longer works, and the sockets opened with it are disconnected."""
    if current_user.is_authenticated:
        member = current_user._get_current_object()
        ended = staff_login.end(get_db(), member.session_key)
        if ended is not None:
            end_live_sockets(staff.socket_room(member.id, ended))
    logout_user()
    session.clear()


def install_login_throttle(app) -> None:
    """Give the app its counts of failed log-ins, in the rate limits' storage (Redis when
    set), once while it is built: made lazily, two first log-ins at once could each make
    their own and count apart."""
    app.extensions[THROTTLE] = LoginThrottle.of(app.config["RATELIMIT_STORAGE_URI"],
                                                lockout=app.config.get("LOGIN_LOCKOUT") or "",
                                                per_address=app.config.get("LOGIN_RATE_LIMIT") or "")


def remember_cookie_only_with_a_session(app) -> None:
    """Flask-Login looks at every response for a remember-me cookie to set or clear; it acts
    only on a session holding "_remember" (login_user and logout_user put it there) or with
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST. An empty session (every kiosk, display and phone
    request) has nothing for it: its hook is skipped, one look at the session instead of three."""
    if app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
        return
    funcs = app.after_request_funcs.get(None, [])
    hook = login_manager._update_remember_cookie

    def update_remember_cookie(response):
        return hook(response) if session else response
    funcs[:] = [update_remember_cookie if f == hook else f for f in funcs]


def login_throttle() -> LoginThrottle:
    """The app's counts of failed log-ins (install_login_throttle)."""
    return current_app.extensions[THROTTLE]


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_staff() -> StaffMember | None:
    """The staff member behind this request, by bearer token or session cookie."""
    token = bearer_token()
    if token:
        return staff.member_for_token(get_db(), token, now=now())
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
    end_live_sockets(staff.socket_room(staff_id))


def end_live_sockets(room: str) -> None:
    """Disconnect the sockets of a member's room (staff.socket_room) in every process."""
    try:
        socketio.close_room(room)
    except Exception:  # noqa: BLE001 - the sockets' next subscription is refused anyway
        logging.getLogger(__name__).exception("disconnecting the sockets of %s failed", room)
