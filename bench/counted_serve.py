"""`queueapp serve` (gunicorn + one gevent worker) that counts the SQL statements its worker
runs, for bench_fanout.py: a SQLAlchemy `before_cursor_execute` listener on every engine of
the worker, read with GET /_bench/sql-statements ({"statements": n, "in_requests": m, "pid":
worker pid}); `in_requests`: those run in an HTTP request or a socket handler (a request
context), not in the server's background tasks (notification worker, alerts, purge).
Bench code only: production runs `queueapp serve`, which has neither.

    python -m bench.counted_serve HOST PORT
"""
from __future__ import annotations

import json
import os
import sys

from queueapp import server

PATH = "/_bench/sql-statements"
_original_started = server.started


def counted(app):
    """server.started, with the counter installed first (in the worker, after gevent's patch)."""
    from flask import has_request_context
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    count = {"statements": 0, "in_requests": 0}

    def statement(*_args):
        count["statements"] += 1
        if has_request_context():
            count["in_requests"] += 1
    event.listen(Engine, "before_cursor_execute", statement)
    inner = _original_started(app)

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") == PATH:
            body = json.dumps({**count, "pid": os.getpid()}).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return inner(environ, start_response)
    return wsgi


if __name__ == "__main__":
    server.started = counted
    server.run_gevent(sys.argv[1], int(sys.argv[2]))
