"""Commits projected in batches under load: the after-commit broadcast of many commits
made at the same moment runs once for all of them.

Under gevent one worker serves every request; with a kiosk rush or a benchmark, dozens of
requests are ready at once, each committing a ticket. Projecting each commit alone reads
the office, its board rows and its estimates once per ticket; a batch reads them once for
all the commits that were ready. The first commit to arrive leads: it yields once (so the
requests already ready commit too and join its batch), projects the batch, and wakes the
others, whose answers then read the views the batch sent. A commit arriving while a batch
is being projected waits for the next one; leadership passes to it, so no request keeps
projecting other requests' commits for ever. With one request at a time a batch is that
one commit, projected at once, as before.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

Commit = list   # one commit's events, in seq order
Run = Callable[[list[Commit]], None]


class _Waiter:
    __slots__ = ("done", "lead")

    def __init__(self, done):
        self.done = done
        self.lead = False


class CommitBatches:
    """`run(commits)` for the commits submitted together, one batch at a time.

    `make_event` makes an event of the server's async mode (threading, gevent, eventlet);
    `pause` yields to the other ready requests (socketio.sleep(0)). The guard is a plain
    lock (patched under gevent and eventlet) held for a few statements, never while
    running or waiting."""

    WAIT = 30.0   # a leader that never finishes (killed): the waiter projects its own batch

    def __init__(self, run: Run, make_event: Callable[[], object], pause: Callable[[], None]):
        self.run = run
        self.make_event = make_event
        self.pause = pause
        self._guard = threading.Lock()
        self._pending: list[Commit] = []
        self._waiters: list[_Waiter] = []
        self._leading = False

    def submit(self, commit: Commit) -> None:
        """Project `commit` (with those made at the same moment); returns once it was sent."""
        me = _Waiter(self.make_event())
        with self._guard:
            self._pending.append(commit)
            self._waiters.append(me)
            lead = not self._leading
            self._leading = True
        if not lead:
            while not me.done.wait(self.WAIT):
                with self._guard:
                    if me in self._waiters:   # still pending: its leader never came back
                        me.lead = True
                        break
                # else another batch holds it: its leader wakes us
            if not me.lead:
                return
            if not me.done.is_set():
                log.warning("a batch of commits took more than %s s: projecting the next one here", self.WAIT)
        self.pause()
        self._lead()

    def _lead(self) -> None:
        """Project what is pending now, then hand the lead to the first commit that came
        meanwhile (it projects its batch when it runs again), or give it up."""
        with self._guard:
            commits, waiters = self._pending, self._waiters
            self._pending, self._waiters = [], []
        try:
            self.run(commits)
        finally:
            with self._guard:
                if self._waiters:
                    heir = self._waiters[0]
                    heir.lead = True
                    heir.done.set()
                else:
                    self._leading = False
            for waiter in waiters:
                waiter.done.set()
