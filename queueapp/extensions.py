"""Extension objects, bound late to the app with init_app, and the app's runtime handles."""
from __future__ import annotations

from datetime import datetime, timezone

import flask_limiter
from flask import current_app, g
from flask_babel import Babel
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from .db import Database
from .message_queue import redis_options


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, stepping aside at once on a request that a request filter exempts (every
    request outside the limited blueprints and endpoints, and those whose limits are turned
    off: web.limits). The library would still resolve the view's name, look for meta limits,
    and make and clear an empty record of the request in each of its hooks and decorators: a
    tenth of a small JSON answer. The same outcome as long as no meta limits are set (the app
    sets none)."""

    def __init__(self, *args, **kwargs):
        self.exempting: list = []
        super().__init__(*args, **kwargs)

    def request_filter(self, fn):
        self.exempting.append(fn)
        return super().request_filter(fn)

    def init_app(self, app) -> None:
        hooks = ("after_request_funcs", "teardown_request_funcs")
        known = {key: list(getattr(app, key).get(None, ())) for key in hooks}
        super().init_app(app)
        for key in hooks:   # the library's own response and teardown hooks: only after a count
            funcs = getattr(app, key).get(None, [])
            funcs[:] = [f if any(f is old for old in known[key]) else _after_a_count(f) for f in funcs]

    def _check_request_limit(self, *args, **kwargs) -> None:
        # Asked in the request's hook and again by the view's decorator: decided once.
        kept = g._get_current_object()   # once: every g.x through the proxy costs
        exempt = kept.get("rate_limit_exempt")
        if exempt is None:
            exempt = kept.rate_limit_exempt = any(exempt() for exempt in self.exempting)
        if exempt:
            return
        kept.rate_limit_counted = True
        super()._check_request_limit(*args, **kwargs)


def _after_a_count(hook):
    """An after-request or teardown hook of the limiter, run only for a request it counted."""
    def hook_after_a_count(value=None):
        return hook(value) if g.get("rate_limit_counted") else value
    return hook_after_a_count


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
