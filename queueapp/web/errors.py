"""One place that maps domain errors to HTTP, with one JSON shape and translated messages.

    {"error": {"code": "queue_empty", "message": "..."}}
"""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext, lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from ..domain import errors

STATUS = [
    (errors.NotFound, 404),
    (errors.PermissionDenied, 403),
    (errors.InvalidInput, 422),
    (errors.Conflict, 409),
    (errors.Unavailable, 503),
]

MESSAGES = {
    "office_not_found": _l("This office does not exist."),
    "service_not_found": _l("This service does not exist in this office."),
    "counter_not_found": _l("This counter does not exist."),
    "ticket_not_found": _l("This ticket does not exist or is no longer valid."),
    "not_found": _l("Not found."),
    "illegal_transition": _l("This action is not possible for the ticket in its current state."),
    "quota_reached": _l("Today's quota for this service has been reached. Please come back on the next working day."),
    "office_closed": _l("The office is closed now. Opening hours: %(opens)s-%(closes)s."),
    "service_inactive": _l("This service is not available at the moment."),
    "queue_empty": _l("No one is waiting for this counter."),
    "counter_closed": _l("This counter is closed."),
    "counter_busy": _l("Ticket %(number)s is still at this counter. Finish it first."),
    "service_not_at_counter": _l("Ticket %(number)s belongs to a service this counter does not serve."),
    "invalid_input": _l("The request is not valid: %(detail)s"),
    "bad_request": _l("The request could not be read. Send valid JSON."),
    "unauthorized": _l("Please log in or send a valid staff token."),
    "forbidden": _l("You may only act inside your own office."),
    "method_not_allowed": _l("This method is not allowed here."),
    "rate_limited": _l("Too many requests. Please wait a moment and try again."),
    "internal_error": _l("Something went wrong on the server. The team has been notified."),
    "kiosk_not_found": _l("This kiosk is not set up for this office."),
    "reprint_window_closed": _l("A ticket can be reprinted at the kiosk only within %(seconds)s seconds. Please ask a counter clerk."),
    "printer_failed": _l("The ticket could not be printed. Your number is still valid."),
}

# Appointments (issue 6).
MESSAGES.update({
    "appointment_not_found": _l("No appointment has this code or link. Check the code and the office."),
    "slot_full": _l("This time slot has just been filled. Please choose another time."),
    "limit_reached": _l("The booking limit for this NIK or phone number has been reached (%(limit)s). "
                        "Cancel another booking or choose another day."),
    "closed": _l("The office takes no appointments at that time: %(reason)s."),
    "outside_window": _l("Appointments can be booked from %(first)s to %(last)s."),
    "not_bookable": _l("This service cannot be booked online."),
    "too_early": _l("It is too early to check in. Please come back at %(come_back)s."),
    "too_late": _l("The check-in time for this appointment has passed. Please take a new number at the kiosk."),
    "appointment_not_active": _l("This appointment is no longer active."),
    "online_join_closed": _l("This service does not take online queue registrations."),
    "invalid_nik": _l("The NIK must be 16 digits, as printed on the KTP or KK."),
    "invalid_phone": _l("Enter an Indonesian mobile number, e.g. 0812 3456 7890."),
    "invalid_name": _l("Enter a name of 2 to 100 characters."),
})


def message(code: str, params: dict | None = None) -> str:
    text = MESSAGES.get(code, MESSAGES["invalid_input"])
    try:
        return str(text) % params if params else str(text).replace("%%", "%")
    except (KeyError, TypeError, ValueError):
        return gettext("The request is not valid: %(detail)s", detail=code)


def error_response(code: str, http_status: int, params: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message(code, params)}})
    response.status_code = http_status
    return response


def status_for(exc: errors.DomainError) -> int:
    return next((status for cls, status in STATUS if isinstance(exc, cls)), 409)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register(app: Flask) -> None:
    @app.errorhandler(errors.DomainError)
    def _domain(exc: errors.DomainError):
        params = dict(exc.params)
        if exc.code == "invalid_input":
            params.setdefault("detail", str(exc))
        if _wants_json():
            return error_response(exc.code, status_for(exc), params)
        return render_template("error.html", code=exc.code, message=message(exc.code, params)), status_for(exc)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 429: "rate_limited"}.get(exc.code, "bad_request")
        if _wants_json():
            response = error_response(code, exc.code or 400)
            for header in ("Retry-After",):
                if exc.get_response().headers.get(header):
                    response.headers[header] = exc.get_response().headers[header]
            return response
        return render_template("error.html", code=code, message=message(code)), exc.code

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return error_response("internal_error", 500)
        return render_template("error.html", code="internal_error", message=message("internal_error")), 500
