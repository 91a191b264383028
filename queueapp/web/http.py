"""HTTP helpers every blueprint shares: reading a JSON body and its fields, dates and
times in requests, the absolute links responses carry, and the session cookie."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from flask import current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.exceptions import BadRequest
from werkzeug.sansio.utils import get_current_url

from ..domain import errors


def json_body() -> dict:
    """The request's JSON object ({} when there is no body); 400 for anything else."""
    body = request.get_json(silent=True)
    if body is None and request.content_length:
        raise BadRequest()
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise BadRequest()
    return body


def optional_str(body: dict, name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise errors.InvalidInput(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise errors.InvalidInput(f"{name} must be a string")
    return value


def parse_start(value: str | None) -> datetime:
    """ISO 8601 with an offset ("2026-11-24T08:00:00+07:00")."""
    value = (value or "").strip()
    if "T" in value:  # a "+" left unescaped in a query string arrives as a space
        value = value.replace(" ", "+")
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        raise errors.InvalidInput("start must be ISO 8601, e.g. 2026-11-24T08:00:00+07:00") from None
    if start.tzinfo is None:
        raise errors.InvalidInput("start must carry its UTC offset, e.g. +07:00")
    return start


def parse_day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise errors.InvalidInput("date must be YYYY-MM-DD") from None


@lru_cache(maxsize=64)
def _host_url(scheme: str, host: str) -> str:
    """request.host_url, kept per scheme and host (decoding the host costs more than the rest
    of a ticket's links)."""
    return get_current_url(scheme, host).rstrip("/")


def _base_url() -> str:
    public = current_app.config.get("PUBLIC_URL")
    if public:
        return public
    req = request._get_current_object()   # once: every request.x through the proxy costs
    return _host_url(req.scheme, req.host)


def public_url(path: str) -> str:
    """An absolute URL for QR codes and links: PUBLIC_URL when set, else this request's host."""
    return f"{_base_url()}{path}"


def with_links(ticket: dict) -> dict:
    """A ticket view with its status page and printable PDF."""
    base, token = _base_url(), ticket["token"]
    return {**ticket, "status_url": f"{base}/t/{token}", "pdf_url": f"{base}/tickets/{token}/ticket.pdf"}


def booking_links(view: dict) -> dict:
    """An appointment view with its manage page, QR, PDF and calendar file."""
    base = f"{_base_url()}/booking/a/{view['manage_token']}"
    return {**view, "manage_url": base, "qr_url": base + "/qr.png",
            "pdf_url": base + "/confirmation.pdf", "ics_url": base + "/appointment.ics"}


class FreshSession(SecureCookieSession):
    """The session of a request that brought no session cookie. Flask counts any look at
    `flask.session` as an access, and Flask-Login looks at every response (for a remember-me
    cookie this app never sets), so every API answer would get `Vary: Cookie` and go through
    the cookie writer. Here only reading a value counts: a page that asks who is logged in
    still varies by cookie, and a session written to is saved as always."""

    read = False

    def __getitem__(self, key):
        self.read = True
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read = True
        return super().get(key, default)

    def setdefault(self, key, default=None):
        self.read = True
        return super().setdefault(key, default)

    def pop(self, key, *default):
        self.read = True
        return super().pop(key, *default)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the signer for a request that
    brings no session cookie (every kiosk, display and phone request): it costs more than
    a small JSON answer."""

    def open_session(self, app, request):
        if app.secret_key and ("HTTP_COOKIE" not in request.environ   # no cookies to parse
                               or not request.cookies.get(self.get_cookie_name(app))):
            return FreshSession()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        # An empty session nobody read or changed has nothing to write, nor a Vary to add
        # (Flask's own would reach the same after reading six cookie settings). A fresh
        # session counts only reads of its values (FreshSession), any other every look.
        if not session and not session.modified and (
                not session.read if isinstance(session, FreshSession) else not session.accessed):
            return
        super().save_session(app, session, response)
