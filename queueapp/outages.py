"""What this process last saw of a dependency that can fail for a while (Redis, the database):
one log line when an outage starts and one when it ends, however many requests meet it."""
from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)

REMIND_SECONDS = 300


def describe(exc: BaseException) -> str:
    """The error's type and the first line of its message (no parameters: the database
    engines hide them)."""
    cause = getattr(exc, "orig", None) or exc
    first_line = (str(cause).strip().splitlines() or [""])[0][:200]
    return f"{type(cause).__name__}: {first_line}" if first_line else type(cause).__name__


class Outage:
    """Every user of the dependency reports here (`failed` on an error, `recovered` on a
    success); only the changes of state are logged. Safe from threads and greenlets."""

    def __init__(self, name: str):
        self.name = name
        self._lock = threading.Lock()
        self._since: float | None = None   # monotonic time of the first failure
        self._failures = 0
        self._reminded = 0.0

    @property
    def down(self) -> bool:
        return self._since is not None

    def failed(self, exc: BaseException, *, by: str) -> None:
        """`by` says who noticed (e.g. "message queue"), for the first line only. A long
        outage gets a reminder line every REMIND_SECONDS (nothing may report the end)."""
        now = time.monotonic()
        with self._lock:
            self._failures += 1
            if self._since is not None:
                if now - self._reminded < REMIND_SECONDS:
                    return
                self._reminded = now
                seconds, failures = now - self._since, self._failures
            else:
                self._since = self._reminded = now
                seconds = None
        if seconds is None:
            log.warning("%s is unavailable (noticed by the %s: %s)",
                        self.name, by, describe(exc))
        else:
            log.warning("%s is still unavailable after %.0f s (%d failed attempts)", self.name, seconds, failures)

    def recovered(self) -> None:
        with self._lock:
            if self._since is None:
                return
            seconds, failures = time.monotonic() - self._since, self._failures
            self._since, self._failures = None, 0
        log.warning("%s is available again after %.0f s (%d failed attempts meanwhile)", self.name, seconds, failures)


# One per process: the message queue, the health check and whoever else uses Redis report here.
REDIS = Outage("Redis")
# Requests that met a database failure (answered 503), and the health check.
DATABASE = Outage("The database")
# The disk: requests that met a full or read-only one (answered 503), and the health check
# of the instance folder.
DISK = Outage("The disk")
