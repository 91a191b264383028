"""HTTP entrypoints: one blueprint per area, registered here."""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from ..models import MAX_ROW_ID


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: an id past the INTEGER range is a 404, not a database error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def register(app: Flask) -> None:
    app.url_map.converters["int"] = RowIdConverter  # before any rule is added
    from . import api, errors, pages
    errors.register(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    from . import api_booking
    api_booking.register(app)  # booking pages + /api/v1 appointments, rate-limited
    from . import counter, display, staff  # issue 5: staff log-in, counter workstation, lobby display
    app.register_blueprint(staff.bp)
    app.register_blueprint(counter.bp)
    app.register_blueprint(display.bp)
    from . import kiosk, status
    app.register_blueprint(kiosk.bp)
    app.register_blueprint(status.bp)
