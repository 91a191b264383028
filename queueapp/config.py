"""Configuration from QUEUEAPP_* environment variables, read when the app is created."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ASYNC_MODES = ("threading", "gevent", "eventlet")


def instance_path() -> Path:
    """Where the SQLite file and the generated secret key live (default ./instance)."""
    return Path(os.environ.get("QUEUEAPP_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def _secret_key(folder: Path) -> str:
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load(folder: Path, environ=os.environ) -> dict:
    """The app's settings. Unset values get safe defaults for the embedded SQLite setup."""
    async_mode = environ.get("QUEUEAPP_ASYNC_MODE", "threading")
    if async_mode not in ASYNC_MODES:
        raise ValueError(f"QUEUEAPP_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}")
    return {
        "DATABASE_URL": environ.get("QUEUEAPP_DATABASE_URL") or f"sqlite:///{folder / 'queueapp.db'}",
        "SECRET_KEY": environ.get("QUEUEAPP_SECRET_KEY") or _secret_key(folder),
        "REDIS_URL": environ.get("QUEUEAPP_REDIS_URL") or None,
        # Processes of one deployment share a channel; separate deployments on one Redis don't.
        "REDIS_CHANNEL": environ.get("QUEUEAPP_REDIS_CHANNEL") or "queueapp",
        "PUBLIC_URL": (environ.get("QUEUEAPP_PUBLIC_URL") or "").rstrip("/") or None,
        "ASYNC_MODE": async_mode,
        "DB_POOL_SIZE": int(environ.get("QUEUEAPP_DB_POOL_SIZE", "5")),
        "DB_MAX_OVERFLOW": int(environ.get("QUEUEAPP_DB_MAX_OVERFLOW", "10")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": int(environ.get("QUEUEAPP_SESSION_MINUTES", "600")) * 60,
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "LANGUAGES": ("id", "en"),
    }
