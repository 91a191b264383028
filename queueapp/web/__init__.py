"""HTTP entrypoints: one blueprint per area, registered here."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import api, errors, pages
    errors.register(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    from . import kiosk, status
    app.register_blueprint(kiosk.bp)
    app.register_blueprint(status.bp)
