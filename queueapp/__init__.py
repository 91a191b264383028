"""queueapp: electronic queue and appointment system for Indonesian public-service offices."""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from . import assets, config, i18n

if TYPE_CHECKING:
    from .db import Database

__version__ = "0.1.0"


class JSONAnswers(DefaultJSONProvider):
    """Flask's JSON, with the keys in the order their dicts were built (sorting every object's
    keys costs a tenth of a ticket's answer; the same code builds the same order), and a
    compact answer written by one encoder made once (json.dumps with Flask's arguments makes
    a new encoder per call)."""

    sort_keys = False

    def __init__(self, app: Flask):
        super().__init__(app)
        self._encoder = json.JSONEncoder(default=self.default, ensure_ascii=self.ensure_ascii,
                                         sort_keys=self.sort_keys, separators=(",", ":"))

    def response(self, *args, **kwargs):
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(*args, **kwargs)   # indented, as Flask's
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(f"{self._encoder.encode(obj)}\n", mimetype=self.mimetype)


class QueueApp(Flask):
    """Flask answering JSON with JSONAnswers, and asking once per function whether it is a
    coroutine function. Flask asks for every hook and view of every request (eleven times for
    a ticket, each through inspect); no function of this app or its extensions is one, but
    one added later still runs as Flask runs it."""

    json_provider_class = JSONAnswers
    KEPT = 4096   # hooks and views are a few hundred; a bound method made per call is not kept long

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plain: set = set()

    def ensure_sync(self, func):
        if func in self._plain:
            return func
        found = super().ensure_sync(func)
        if found is func:
            if len(self._plain) >= self.KEPT:
                self._plain.clear()
            self._plain.add(func)
        return found


def create_app(test_config: dict | None = None, *, database: Database | None = None) -> Flask:
    """Build the app. Settings come from config.load (QUEUEAPP_* variables, read now, never
    at import); `test_config` overrides any of them (e.g. {"ASYNC_MODE": "gevent"} from the
    server). `database` is the one way to hand in a ready Database; otherwise the app opens
    DATABASE_URL."""
    settings = config.load() | (test_config or {})
    settings = config.https_settings(settings["PUBLIC_URL"]) | settings
    folder = Path(settings["INSTANCE_PATH"])
    app = QueueApp(__name__, instance_path=str(folder), instance_relative_config=False,
                template_folder=str(assets.folder("templates")), static_folder="static")
    app.config.update(settings)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = config.secret_key(folder)
    # One catalog for every screen (queueapp/translations/<locale>/LC_MESSAGES/messages.po).
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(i18n.translations_folder())
    app.config["BABEL_DOMAIN"] = i18n.DOMAIN
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    from .db import Database
    app.extensions["queueapp.db"] = database or Database(
        app.config["DATABASE_URL"], pool_size=app.config["DB_POOL_SIZE"], max_overflow=app.config["DB_MAX_OVERFLOW"])

    from .extensions import babel, csrf, limiter, login_manager, socketio
    # Import the socket handlers before init_app: Flask-SocketIO keeps handlers declared
    # before the server exists and registers them on every server it creates.
    from . import realtime, web
    from .i18n import remember_locale, select_locale
    babel.init_app(app, locale_selector=select_locale)
    from flask_babel import get_locale
    app.jinja_env.globals["get_locale"] = get_locale
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    limiter.init_app(app)
    app.after_request(remember_locale)
    # The manager is always handed in (None: this process only), so an app built earlier in
    # the same process never leaves its message queue behind on the shared SocketIO object.
    from .message_queue import client_manager
    socketio.init_app(app, async_mode=app.config["ASYNC_MODE"],
                      client_manager=client_manager(app.config["REDIS_URL"], app.config["REDIS_CHANNEL"]),
                      logger=False, engineio_logger=False,
                      cors_allowed_origins=realtime.accepted_origins(app.config["PUBLIC_URL"]))
    app.wsgi_app = realtime.socket_path_only(app.wsgi_app)
    if app.config["TRUSTED_PROXIES"]:
        # Outermost, so the Socket.IO handshake sees the client's scheme, host and address too.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)

    realtime.init(app)
    web.register(app)
    from .web import labels
    labels.register(app)   # the `label` and `service_name` template filters
    return app
