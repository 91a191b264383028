"""One place that maps failures to HTTP, with one JSON shape and translated messages
(queueapp.messages):

    {"error": {"code": "queue_empty", "message": "..."}}
"""
from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .. import messages
from ..domain import errors

STATUS = [
    (errors.LoginLocked, 429),
    (errors.TokenExpired, 401),
    (errors.NotFound, 404),
    (errors.PermissionDenied, 403),
    (errors.InvalidInput, 422),
    (errors.Conflict, 409),
    (errors.Unavailable, 503),
]
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 429: "rate_limited"}


def status_for(exc: errors.DomainError) -> int:
    return next((status for cls, status in STATUS if isinstance(exc, cls)), 409)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _respond(code: str, text: str, http_status: int):
    if _wants_json():
        response = jsonify({"error": {"code": code, "message": text}})
        response.status_code = http_status
        return response
    return render_template("error.html", code=code, message=text), http_status


def register(app: Flask) -> None:
    @app.errorhandler(errors.DomainError)
    def _domain(exc: errors.DomainError):
        response = _respond(exc.code, messages.for_error(exc), status_for(exc))
        if isinstance(exc, errors.LoginLocked):
            response = make_response(response)
            response.headers["Retry-After"] = str(exc.params["seconds"])
        return response

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        # A form kept open past the session, or sent from another site: nothing was written.
        return _respond("csrf_failed", messages.for_code("csrf_failed"), 400)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = HTTP_CODES.get(exc.code, "bad_request")
        response = _respond(code, messages.for_code(code), exc.code or 400)
        retry_after = exc.get_response().headers.get("Retry-After")
        if retry_after and _wants_json():
            response.headers["Retry-After"] = retry_after
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _respond("internal_error", messages.for_code("internal_error"), 500)
