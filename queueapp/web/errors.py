"""One place that maps failures to HTTP, with one JSON shape and translated messages
(queueapp.messages):

    {"error": {"code": "queue_empty", "message": "..."}}
"""
from __future__ import annotations

import errno

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sql
from werkzeug.exceptions import HTTPException

from .. import messages
from ..domain import errors
from ..outages import DATABASE, DISK

STATUS = [
    (errors.LoginLocked, 429),
    (errors.TokenExpired, 401),
    (errors.NotFound, 404),
    (errors.PermissionDenied, 403),
    (errors.InvalidInput, 422),
    (errors.Conflict, 409),
    (errors.Unavailable, 503),
]
# A database that does not answer (or refuses writes: read-only, locked, full) and a full or
# read-only disk are passing states of the machine, not bugs: 503, try again shortly.
RETRY_AFTER_SECONDS = 30
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
READ_ONLY_SQLSTATE = "25006"
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "payload_too_large", 429: "rate_limited"}


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


def _writes_again(_events) -> None:
    """A committed write ends a database outage in the log (so does the health check)."""
    if DATABASE.down:
        DATABASE.recovered()


def register(app: Flask) -> None:
    app.extensions["queueapp.db"].add_listener(_writes_again)

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

    @app.errorhandler(sql.OperationalError)
    @app.errorhandler(sql.TimeoutError)   # no pooled connection came free
    def _database_unavailable(exc: Exception):
        DATABASE.failed(exc, by=f"request {request.method} {request.path}")
        return _unavailable()

    @app.errorhandler(sql.DBAPIError)
    def _database_error(exc: sql.DBAPIError):
        # The connection broke under the statement, or PostgreSQL is read-only (a standby
        # after a fail-over): psycopg's ReadOnlySqlTransaction is no OperationalError.
        if exc.connection_invalidated or getattr(exc.orig, "sqlstate", None) == READ_ONLY_SQLSTATE:
            DATABASE.failed(exc, by=f"request {request.method} {request.path}")
            return _unavailable()
        return _unexpected(exc)

    @app.errorhandler(OSError)
    def _os_error(exc: OSError):
        if exc.errno in DISK_ERRNOS:
            DISK.failed(exc, by=f"request {request.method} {request.path}")
            return _unavailable()
        return _unexpected(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _respond("internal_error", messages.for_code("internal_error"), 500)


def _unavailable():
    """503 with Retry-After, as JSON or a page; the page needs no database."""
    response = make_response(_respond("unavailable", messages.for_code("unavailable"), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
