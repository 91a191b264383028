"""HTTP helpers every blueprint shares: reading a JSON body and its fields, dates and
times in requests, the absolute links responses carry, and the session cookie."""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import BadRequest

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


def public_url(path: str) -> str:
    """An absolute URL for QR codes and links: PUBLIC_URL when set, else this request's host."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")
    return f"{base}{path}"


def with_links(ticket: dict) -> dict:
    """A ticket view with its status page and printable PDF."""
    return {**ticket, "status_url": public_url(f"/t/{ticket['token']}"),
            "pdf_url": public_url(f"/tickets/{ticket['token']}/ticket.pdf")}


def booking_links(view: dict) -> dict:
    """An appointment view with its manage page, QR, PDF and calendar file."""
    base = f"/booking/a/{view['manage_token']}"
    return {**view, "manage_url": public_url(base), "qr_url": public_url(base + "/qr.png"),
            "pdf_url": public_url(base + "/confirmation.pdf"), "ics_url": public_url(base + "/appointment.ics")}


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the signer for a request that
    brings no session cookie (every kiosk, display and phone request): it costs more than
    a small JSON answer."""

    def open_session(self, app, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        # An empty session nobody read or changed has nothing to write, nor a Vary to add
        # (Flask's own would reach the same after reading six cookie settings).
        if not session and not session.modified and not session.accessed:
            return
        super().save_session(app, session, response)
