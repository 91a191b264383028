"""Production servers: gunicorn + gevent (default), eventlet's own server, or threading.

Each one builds the app with its own async mode as an override, so the environment's
QUEUEAPP_ASYNC_MODE (meant for your own WSGI server, see wsgi.py) never disagrees with it."""
from __future__ import annotations

import gc
import os
import sys

from . import config

WORKERS = ("gevent", "eventlet", "threading")

FIRST_RUN = ("No staff account exists yet. Create the owner first:\n"
             "  queueapp create-user NAME --role owner\n"
             "then log in at /login and set up the office at /admin (or: queueapp office import FILE).")


def first_run(app) -> bool:
    """Whether the database has no staff account yet (the owner is still to be made).
    False when the schema is not there yet: `queueapp db upgrade` comes first."""
    from sqlalchemy.exc import DBAPIError

    from .queries.office_document import staff_count
    try:
        return staff_count(app.extensions["queueapp.db"]) == 0
    except DBAPIError:
        return False


def started(app):
    """The app a server runs, after saying how to begin on an empty database. Called once
    the worker has patched the standard library (nothing is imported before gevent's patch)."""
    if first_run(app):
        app.logger.warning(FIRST_RUN)
    from . import alert_watch
    alert_watch.start(app)
    schedule_purge(app)
    start_notify_worker(app)
    settle_the_heap()
    return app


# Container objects allocated (net) before a young collection: Python's default 700 makes a
# busy worker collect every dozen requests, each time walking the objects of every request
# in flight (a few hundred greenlets' frames) and promoting them to be walked again by the
# older generations. Collection CPU per ticket on the issuance bench (gc.callbacks): 24 us
# at 700, 15 at 3,000, 7 at 10,000; but garbage in cycles then waits longer in the heap: the
# fan-out bench's worker memory per screen (4 processes, 1,000 screens) was 77, 78 and
# 79-80 KiB (target 80). 3,000 keeps that margin.
YOUNG_THRESHOLD = 3_000


def settle_the_heap() -> None:
    """What the start-up built (modules, the app, its models and mappers: most of the
    process's objects) lives as long as the process: it leaves the garbage collector's
    view (gc.freeze). Else each full collection walks it all again, a pause of about
    100 ms of the only worker every few seconds under load, which every request in
    flight then waits out (the paced issuance bench's p99). Young collections come less
    often (YOUNG_THRESHOLD)."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def start_notify_worker(app) -> None:
    """Deliver the notification outbox from this process (QUEUEAPP_NOTIFY_WORKER=0: only
    `queueapp worker` processes do). Several processes may all run it: claims are safe."""
    if not app.config.get("NOTIFY_WORKER"):
        return
    from .extensions import socketio
    from .notifications.worker import Worker
    worker = Worker(app.extensions["queueapp.db"], app.config)
    socketio.start_background_task(worker.run_forever, socketio.sleep)


# The first purge waits a little after the start, so it never competes with a restart's rush.
PURGE_FIRST_DELAY = 300


def schedule_purge(app) -> None:
    """Anonymise personal data past its retention every QUEUEAPP_PRIVACY_PURGE_HOURS, in a
    background task of this process. Every process of a scale-out runs it: the purge is
    idempotent and safe to run concurrently (services.privacy), so no election is needed."""
    hours = app.config.get("PRIVACY_PURGE_HOURS", 0)
    if not hours:
        return
    from datetime import datetime, timezone

    from .extensions import socketio
    from .services import privacy

    def purge_forever() -> None:
        socketio.sleep(PURGE_FIRST_DELAY)
        while True:
            try:
                done = privacy.purge(app.extensions["queueapp.db"], privacy.retention_of(app.config),
                                     now=datetime.now(timezone.utc), username=privacy.SCHEDULE)
                if any(done.totals().values()):
                    app.logger.info("privacy purge anonymised %s", done.totals())
            except Exception:  # a failed run is retried at the next one, never stops the server
                app.logger.exception("privacy purge failed")
            socketio.sleep(hours * 3600)

    socketio.start_background_task(purge_forever)


def run_gevent(host: str, port: int) -> None:
    """gunicorn with one gevent worker: Flask-SocketIO's supported production set-up.
    One worker per process; scale out with more processes and Redis (docs/DEPLOYMENT.md)."""
    from gunicorn.app.base import BaseApplication

    access_log = config.load()["ACCESS_LOG"]

    class QueueServer(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("worker_class", "gevent")
            self.cfg.set("worker_connections", 5000)
            self.cfg.set("timeout", 60)
            self.cfg.set("graceful_timeout", 5)
            self.cfg.set("accesslog", access_log)
            self.cfg.set("errorlog", "-")
            # Several processes run side by side when scaling out: no shared control socket.
            self.cfg.set("control_socket_disable", True)
            # gunicorn believes X-Forwarded-Proto from 127.0.0.1 by default; the app alone
            # decides which forwarded headers to believe (QUEUEAPP_TRUSTED_PROXIES).
            self.cfg.set("forwarded_allow_ips", "")

        def load(self):
            from . import create_app
            return taking_turns(started(create_app({"ASYNC_MODE": "gevent"})))

    QueueServer().run()


def taking_turns(app):
    """Each request first waits until every other connection's ready input has been seen.
    gevent switches greenlets only when one blocks: a keep-alive connection whose next
    request is already in its buffer would be served again and again while the others
    wait (at 200 busy clients, p50 of a few ms and p99 of seconds)."""
    import gevent

    def turn(environ, start_response):
        gevent.idle()
        return app(environ, start_response)
    return turn


def run_eventlet(host: str, port: int) -> None:
    """eventlet must patch the standard library before anything else is imported, so it
    runs in a fresh interpreter whose first statement is the patch (queueapp.eventlet_server)."""
    os.execv(sys.executable, [sys.executable, "-m", "queueapp.eventlet_server", host, str(port)])


def run_threading(host: str, port: int) -> None:
    """The simple threaded server: fine for one small office or for development."""
    from . import create_app
    from .extensions import socketio
    app = started(create_app({"ASYNC_MODE": "threading"}))
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False,
                 log_output=False)


def run(worker: str, host: str, port: int) -> None:
    {"gevent": run_gevent, "eventlet": run_eventlet, "threading": run_threading}[worker](host, port)
