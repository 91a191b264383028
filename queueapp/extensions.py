"""Extension objects, bound late to the app with init_app, and the app's runtime handles."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from .db import Database
from .message_queue import redis_options

socketio = SocketIO()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
# Per client address; limits are set per blueprint (web.limits), storage in create_app.
# Redis down: the counts go on in this process's memory (one warning line when it starts,
# one when Redis is back), never a 500; a Redis host that does not answer costs seconds, once.
limiter = Limiter(get_remote_address, key_prefix="queueapp-booking", strategy="fixed-window",
                  in_memory_fallback_enabled=True, swallow_errors=True,
                  storage_options=redis_options(timeout=2))


def get_db() -> Database:
    return current_app.extensions["queueapp.db"]


def now() -> datetime:
    """The current instant; tests may set QUEUEAPP_CLOCK to stand at any time."""
    clock = current_app.config.get("QUEUEAPP_CLOCK")
    return clock() if clock else datetime.now(timezone.utc)
