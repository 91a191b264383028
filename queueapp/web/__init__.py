"""HTTP entrypoints: one blueprint per area, registered here.

Public pages: pages (start page), kiosk, display, status (the citizen's ticket), booking.
Staff pages: staff (log-in), counter, admin (office administration, a package of blueprints).
JSON API v1: api (queue), api_booking (appointments, holidays), api_offices (offices, zones,
hours, devices), api_catalog (services and counters), api_staff (staff, tokens, audit log),
api_reports (reports and their downloads), and the printing endpoints of kiosk. Staff report pages:
reports. Shared helpers: http, auth, errors, limits; the API
document: openapi."""
from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

from ..models import MAX_ROW_ID

class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: an id past the INTEGER range is a 404, not a database error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        try:
            return super().to_python(value)
        except ValidationError:
            # Not werkzeug's "no match": with another method's rule on the same path it
            # answers 405 (DELETE /api/v1/kiosks/99999999999 -> 405, PATCH allowed).
            raise NotFound() from None


def register(app: Flask) -> None:
    app.url_map.converters["int"] = RowIdConverter  # before any rule is added
    from . import api_notify  # noqa: I001 - notifications (docs/NOTIFICATIONS.md)
    from . import (admin, api, api_booking, api_catalog, api_offices, api_reports, api_staff, booking, counter,
                   dashboard, display, errors, guards, headers, http, kiosk, pages, push, reports, staff, status,
                   transparency)
    app.session_interface = http.CookieSessions()
    errors.register(app)
    guards.register(app)
    headers.register(app)
    for module in (api, api_booking, api_offices, api_catalog, api_staff, api_reports, pages, booking, staff, counter,
                   display, kiosk, status, dashboard, reports, api_notify, transparency):
        app.register_blueprint(module.bp)
    from . import status_notify  # WhatsApp/SMS asked for on the status page
    app.register_blueprint(status_notify.bp)
    admin.register(app)
    from . import api_survey, skm_reports, survey  # the satisfaction survey (SKM)
    for module in (api_survey, survey, skm_reports):
        app.register_blueprint(module.bp)
    push.register(app)
