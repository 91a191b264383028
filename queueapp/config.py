"""Every setting of the app, read from QUEUEAPP_* environment variables when the app is created."""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "QUEUEAPP_"
ASYNC_MODES = ("threading", "gevent", "eventlet")
# The longest lifetime of an API token (ten years).
MAX_TOKEN_DAYS = 3650


class ConfigError(ValueError):
    """A QUEUEAPP_* variable holds a value the app cannot use; the message names the variable."""


def _async_mode(value: str) -> str:
    if value not in ASYNC_MODES:
        raise ValueError(f"must be one of {', '.join(ASYNC_MODES)}")
    return value


def _count(value: str) -> int:
    if not value.isdigit():
        raise ValueError("must be a whole number, 0 or more")
    return int(value)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ValueError("must be a whole number, 1 or more")
def _days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_TOKEN_DAYS:
        raise ValueError(f"must be a whole number of days from 1 to {MAX_TOKEN_DAYS}")
    return int(value)


def _minutes(value: str) -> int:
    return _count(value) * 60


def _rate_limit(value: str) -> str:
    """Flask-Limiter notation, e.g. "10 per minute;60 per hour"; empty turns the limit off."""
    if value:
        from limits import parse_many
        parse_many(value)
    return value


@dataclass(frozen=True)
class Variable:
    """QUEUEAPP_<name> sets app.config[key]. Unset (or empty, unless `empty_counts`) means
    `default`; a set value goes through `parse`, whose ValueError becomes a ConfigError."""

    name: str
    key: str
    default: Any = None
    parse: Callable[[str], Any] = str
    empty_counts: bool = False

    @property
    def variable(self) -> str:
        return PREFIX + self.name

    def read(self, environ: Mapping[str, str]) -> Any:
        raw = environ.get(self.variable)
        if raw is None or (raw.strip() == "" and not self.empty_counts):
            return self.default
        try:
            return self.parse(raw.strip())
        except ValueError as exc:
            raise ConfigError(f"{self.variable}={raw!r}: {exc}") from None


VARIABLES = (
    # Default ./instance of the working directory, and sqlite:///<instance>/queueapp.db: see load().
    Variable("INSTANCE_PATH", "INSTANCE_PATH", parse=lambda value: Path(value).resolve()),
    Variable("DATABASE_URL", "DATABASE_URL"),
    # None: create_app reads (or generates once) <instance>/secret_key.
    Variable("SECRET_KEY", "SECRET_KEY"),
    Variable("REDIS_URL", "REDIS_URL"),
    # Processes of one deployment share a channel; separate deployments on one Redis don't.
    Variable("REDIS_CHANNEL", "REDIS_CHANNEL", "queueapp"),
    Variable("PUBLIC_URL", "PUBLIC_URL", parse=lambda value: value.rstrip("/") or None),
    Variable("ASYNC_MODE", "ASYNC_MODE", "threading", _async_mode),
    Variable("DB_POOL_SIZE", "DB_POOL_SIZE", 5, _count),
    Variable("DB_MAX_OVERFLOW", "DB_MAX_OVERFLOW", 10, _count),
    Variable("SESSION_MINUTES", "PERMANENT_SESSION_LIFETIME", 600 * 60, _minutes),
    # gunicorn's access log (the gevent worker): a file, or "-" for standard output.
    Variable("ACCESS_LOG", "ACCESS_LOG"),
    # Per client address. Kiosks check in many citizens from one address, so check-in has
    # its own, higher limit. An empty value turns a limit off.
    Variable("BOOKING_RATE_LIMIT", "BOOKING_RATE_LIMIT", "10 per minute;60 per hour", _rate_limit, True),
    Variable("BOOKING_READ_RATE_LIMIT", "BOOKING_READ_RATE_LIMIT", "120 per minute", _rate_limit, True),
    Variable("CHECKIN_RATE_LIMIT", "CHECKIN_RATE_LIMIT", "60 per minute", _rate_limit, True),
    # The supervisor's dashboard: a counter paused longer than this alerts (0: never), and
    # how often a serving process checks the alerts (0: never; docs/DASHBOARD.md).
    Variable("PAUSE_ALERT_MINUTES", "PAUSE_ALERT_MINUTES", 15, _count),
    Variable("ALERT_CHECK_SECONDS", "ALERT_CHECK_SECONDS", 30, _count),
    # /health calls the instance folder's disk "low" (still 200, "degraded") under this many MB free.
    Variable("HEALTH_MIN_FREE_MB", "HEALTH_MIN_FREE_MB", 500, _count),
    # `queueapp backup`: the folder (default <instance>/backups) and how many backups it keeps.
    Variable("BACKUP_DIR", "BACKUP_DIR", parse=lambda value: Path(value).resolve()),
    Variable("BACKUP_KEEP", "BACKUP_KEEP", 14, _positive),
    # How many reverse proxies stand in front of the app (1 behind one nginx). Their
    # X-Forwarded-* headers (client address, scheme, host, port, prefix) are believed for
    # that many hops only; 0 believes none, as anyone can send those headers.
    Variable("TRUSTED_PROXIES", "TRUSTED_PROXIES", 0, _count),
    # Strict-Transport-Security max-age when PUBLIC_URL is https; 0 sends no header.
    Variable("HSTS_SECONDS", "HSTS_SECONDS", 365 * 24 * 3600, _count),
    # Personal data retention (UU 27/2022, docs/PRIVACY.md), in days: then anonymised.
    # An appointment's name, phone and NIK, after its slot.
    Variable("RETAIN_APPOINTMENT_DAYS", "RETAIN_APPOINTMENT_DAYS", 30, _count),
    # The phone's keyed hash of a ticket taken from home, after its issue.
    Variable("RETAIN_ONLINE_JOIN_DAYS", "RETAIN_ONLINE_JOIN_DAYS", 7, _count),
    # The client address of an audit entry (staff log-ins), after the entry.
    Variable("RETAIN_AUDIT_IP_DAYS", "RETAIN_AUDIT_IP_DAYS", 180, _count),
    # The free-text comment of a survey response, after the answer (the scores stay).
    Variable("RETAIN_SURVEY_COMMENT_DAYS", "RETAIN_SURVEY_COMMENT_DAYS", 365, _count),
    # Each server process purges what passed its retention this often (0: only from cron).
    Variable("PRIVACY_PURGE_HOURS", "PRIVACY_PURGE_HOURS", 24, _count),
    # Taking a number (POST /api/v1/offices/<office>/tickets): per client address (an
    # office's kiosks and clerks often share one), and per paired kiosk or staff member
    # (a person takes a number in about ten seconds at the fastest).
    Variable("TICKET_RATE_LIMIT", "TICKET_RATE_LIMIT", "60 per minute", _rate_limit, True),
    Variable("TICKET_DEVICE_RATE_LIMIT", "TICKET_DEVICE_RATE_LIMIT", "12 per minute;300 per hour", _rate_limit, True),
    # How long an Idempotency-Key replays the ticket of the same request; after it the key is new.
    Variable("IDEMPOTENCY_HOURS", "IDEMPOTENCY_HOURS", 24, _count),
    # The largest request body; the office logo upload in the admin area may send up to
    # its own limit (web.guards), whatever this says.
    Variable("MAX_BODY_KB", "MAX_BODY_KB", 64, _count),
    # One Socket.IO connection: how many rooms it may join, and its subscriptions per
    # minute (after a burst of 10); past either it is disconnected.
    Variable("SOCKET_MAX_ROOMS", "SOCKET_MAX_ROOMS", 16, _count),
    Variable("SOCKET_SUBSCRIBES_PER_MINUTE", "SOCKET_SUBSCRIBES_PER_MINUTE", 60, _count),
    # Failed staff log-ins: per account (known or not) and per client address. Over either,
    # log-in is refused until the window ends; an empty value turns a limit off.
    Variable("LOGIN_LOCKOUT", "LOGIN_LOCKOUT", "10 per 15 minutes", _rate_limit, True),
    Variable("LOGIN_RATE_LIMIT", "LOGIN_RATE_LIMIT", "30 per 10 minutes", _rate_limit, True),
    # A new API token's lifetime, unless its creator gives another.
    Variable("API_TOKEN_DAYS", "API_TOKEN_DAYS", 90, _days),
    # The longest period (days) one report may cover: a bigger one is refused (422).
    Variable("REPORT_MAX_DAYS", "REPORT_MAX_DAYS", 366, _count),
    # Days after a ticket is finished during which its satisfaction survey (SKM) may be answered.
    Variable("SURVEY_DAYS", "SURVEY_DAYS", 7, _positive),
    # Messages to citizens (docs/NOTIFICATIONS.md): the outbox worker inside `queueapp serve`
    # (0: only `queueapp worker` processes deliver), and each channel's provider.
    Variable("NOTIFY_WORKER", "NOTIFY_WORKER", 1, _count),
    Variable("WHATSAPP_API_URL", "WHATSAPP_API_URL", "https://graph.facebook.com/v21.0"),
    Variable("WHATSAPP_TOKEN", "WHATSAPP_TOKEN"),
    Variable("WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_PHONE_NUMBER_ID"),
    # "booked=my_booking_template,called=my_call" (others: queueapp_<kind>).
    Variable("WHATSAPP_TEMPLATES", "WHATSAPP_TEMPLATES", ""),
    Variable("SMS_URL", "SMS_URL"),
    Variable("SMS_TOKEN", "SMS_TOKEN"),
    # Web push: the contact (mailto: or https:) the push services see in every VAPID
    # signature; unset: PUBLIC_URL's https origin, else a mailto: placeholder.
    Variable("VAPID_SUBJECT", "VAPID_SUBJECT"),
)

# Settings no variable changes.
FIXED = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Over HTTPS a form must also carry a Referer of this site (the pages send it: their
    # Referrer-Policy is same-origin).
    "WTF_CSRF_SSL_STRICT": True,
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    "LANGUAGES": ("id", "en"),
}


# Settings computed from others by load.
DERIVED = ("RATELIMIT_STORAGE_URI",)


def load(environ: Mapping[str, str] | None = None) -> dict:
    """Every setting, from `environ` (default os.environ) or its default. Reads no file:
    a missing SECRET_KEY stays None for create_app to fill from the instance folder.
    Raises ConfigError naming the variable whose value is not usable."""
    environ = os.environ if environ is None else environ
    settings = {variable.key: variable.read(environ) for variable in VARIABLES}
    settings["INSTANCE_PATH"] = settings["INSTANCE_PATH"] or (Path.cwd() / "instance").resolve()
    settings["DATABASE_URL"] = settings["DATABASE_URL"] or f"sqlite:///{settings['INSTANCE_PATH'] / 'queueapp.db'}"
    # Rate-limit counts live where the Socket.IO queue is, so all processes share them.
    settings["RATELIMIT_STORAGE_URI"] = settings["REDIS_URL"] or "memory://"
    return settings | FIXED


def https_settings(public_url: str | None) -> dict:
    """Settings that follow from the public address: behind HTTPS every cookie that carries a
    session (Flask's, Flask-Login's remember cookie; the CSRF token lives in the session) is
    sent over HTTPS only."""
    secure = bool(public_url) and public_url.lower().startswith("https://")
    return {"SESSION_COOKIE_SECURE": secure, "REMEMBER_COOKIE_SECURE": secure}


def secret_key(folder: Path) -> str:
    """The key kept in <folder>/secret_key, generated (readable by the owner only) on first use."""
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
