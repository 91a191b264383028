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
    # The longest period (days) one report may cover: a bigger one is refused (422).
    Variable("REPORT_MAX_DAYS", "REPORT_MAX_DAYS", 366, _count),
)

# Settings no variable changes.
FIXED = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
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
