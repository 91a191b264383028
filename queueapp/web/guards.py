"""One guard before every request, so that bad input is a clear 4xx and never reaches the
database: a body larger than QUEUEAPP_MAX_BODY_KB (413; the admin uploads have their own
room), a NUL character anywhere in the path, query, headers, form or JSON (PostgreSQL
cannot store one in text), and JSON nested deeper than MAX_DEPTH (422)."""
from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..domain.errors import N_, InvalidInput

MAX_DEPTH = 32
# Endpoints that take an uploaded file, and their limit in KB: enough that a logo over its
# own 300 KB gets the logo's message rather than a bare 413.
UPLOAD_KB = {"admin_office.logo": 1024, "admin_office.import_holidays": 1024, "admin_voice.upload": 2100}
NUL = "\x00"


def _has_nul(values) -> bool:
    return any(NUL in value for value in values)


def _pairs(multidict):
    """Every key and every value of a MultiDict (a repeated parameter too)."""
    for key, value in multidict.items(multi=True):
        yield key
        yield value


def _check_json(value) -> None:
    """Walk the document without recursion: no NUL in any key or string, no deeper nesting than MAX_DEPTH."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                raise InvalidInput(N_("the request contains a NUL character"))
        elif isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise InvalidInput(N_("the JSON is nested more than %(depth)s levels deep"), depth=MAX_DEPTH)
            if isinstance(item, dict):
                if _has_nul(item.keys()):
                    raise InvalidInput(N_("the request contains a NUL character"))
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)


def _json_body():
    try:
        return request.get_json(silent=True)
    except RecursionError:   # the parser's own limit (about 1,000 levels) came first
        raise InvalidInput(N_("the JSON is nested more than %(depth)s levels deep"), depth=MAX_DEPTH) from None


def _may_break_json_rules(data: bytes) -> bool:
    """Whether a JSON body needs walking. UTF-8 JSON without a NUL byte and without the escape
    \\u0000 has no NUL in any string (UTF-16 and UTF-32 always have NUL bytes), and with no
    more brackets than MAX_DEPTH it cannot nest deeper: a kiosk's {"service": "A"} is let
    through without being parsed here (its view parses it anyway)."""
    return b"\x00" in data or b"\\u0000" in data or data.count(b"[") + data.count(b"{") > MAX_DEPTH


def _nul_in_environ(environ) -> bool:
    """A NUL in any text of the WSGI environ: the path and the raw query as the server decoded
    them, the headers, and what a server never puts one in (addresses, protocol). One search
    of their join: request.headers would first build every header's name."""
    return NUL in "".join([value for value in environ.values() if value.__class__ is str])


def _nul_in_query(req) -> bool:
    """Only "%00" decodes to NUL (a raw NUL byte is in the environ, _nul_in_environ): the
    parameters are parsed only then."""
    return "%00" in req.environ.get("QUERY_STRING", "") and _has_nul(_pairs(req.args))


def guard() -> None:
    """Reject what no endpoint may receive, before any of them runs."""
    req = request._get_current_object()   # once: every request.x through the proxy costs
    kb = UPLOAD_KB.get(req.endpoint)
    # Set on the request, Flask's form parser and get_data read it without asking the app again.
    limit = req.max_content_length = kb * 1024 if kb is not None else current_app.config["MAX_CONTENT_LENGTH"]
    if limit is not None and (req.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    # The environ holds the path and the raw query as the server decoded them.
    if _nul_in_environ(req.environ) or _nul_in_query(req):
        raise InvalidInput(N_("the request contains a NUL character"))
    if req.environ.get("REQUEST_METHOD") in ("GET", "HEAD", "OPTIONS"):
        return
    if req.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if _has_nul(_pairs(req.form)) or _has_nul(file.filename or "" for file in req.files.values()):
            raise InvalidInput(N_("the request contains a NUL character"))
    elif req.is_json and _may_break_json_rules(req.get_data(cache=True)):
        _check_json(_json_body())


def register(app: Flask) -> None:
    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_BODY_KB", 64) * 1024
    # First of all before-request functions: CSRF protection reads the form, which must
    # already see this endpoint's body limit.
    app.before_request_funcs.setdefault(None, []).insert(0, guard)
