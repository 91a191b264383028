"""queueapp: electronic queue and appointment system for Indonesian public-service offices."""
from __future__ import annotations

import logging

from flask import Flask

from . import assets, config, i18n

__version__ = "0.1.0"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. Settings come from QUEUEAPP_* variables, read now (never at import);
    `test_config` overrides them."""
    folder = config.instance_path()
    app = Flask(__name__, instance_path=str(folder), instance_relative_config=False,
                template_folder=str(assets.folder("templates")), static_folder="static")
    settings = config.load(folder) if not (test_config and "SECRET_KEY" in test_config
                                           and "DATABASE_URL" in test_config) else {}
    app.config.update(settings)
    app.config.update(test_config or {})
    app.config.setdefault("ASYNC_MODE", "threading")
    app.config.setdefault("LANGUAGES", ("id", "en"))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "id")
    app.config.setdefault("REDIS_URL", None)
    app.config.setdefault("REDIS_CHANNEL", "queueapp")
    app.config.setdefault("PUBLIC_URL", None)
    # One catalog for every screen (queueapp/translations/<locale>/LC_MESSAGES/messages.po).
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(i18n.translations_folder())
    app.config["BABEL_DOMAIN"] = i18n.DOMAIN
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    from .db import Database
    app.extensions["queueapp.db"] = test_config.get("DATABASE") if test_config and test_config.get(
        "DATABASE") else Database(app.config["DATABASE_URL"], pool_size=app.config.get("DB_POOL_SIZE", 5),
                               max_overflow=app.config.get("DB_MAX_OVERFLOW", 10))

    from .extensions import babel, csrf, login_manager, socketio
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
    app.after_request(remember_locale)
    socketio.init_app(app, async_mode=app.config["ASYNC_MODE"],
                      message_queue=app.config["REDIS_URL"], channel=app.config["REDIS_CHANNEL"],
                      logger=False, engineio_logger=False)

    realtime.init(app)
    web.register(app)
    from .web import labels
    labels.register(app)   # the `label` and `service_name` template filters
    return app
