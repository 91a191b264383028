"""Per-process copies of what an office is configured with (its services, a day's opening
hours and holiday, its paired kiosks), read on every ticket issued and changed only by an
administrator.

An office's copies are dropped when a commit of this process changed one of its rows that
they come from (db.Database.watch_rows: before the write lock is released, whatever made
the change) and after any `office.configured` event of it (an administrator's change), so
in this process the next request sees the change. A change made by another process
(several processes share PostgreSQL; the command line) is seen after TTL seconds at most.
A copy read while an office changed is not kept (it may predate the change)."""
from __future__ import annotations

import time
from typing import Callable, Hashable, TypeVar

from .db import Database, PublishedEvent
from .domain.events import EventType
from .models import Holiday, Kiosk, Office, OpeningHours, Service

# The rows the copies come from.
SOURCES = (Office, Service, OpeningHours, Holiday, Kiosk)

T = TypeVar("T")
CONFIGURED = EventType.OFFICE_CONFIGURED.value


class OfficeCache:
    """Values by key, each belonging to one office, for TTL seconds or until that office's
    next `office.configured` event."""

    TTL = 5.0
    KEPT = 4096   # a bound on memory (device tokens are keys): past it, start again

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.entries: dict[Hashable, tuple[float, int, object]] = {}
        self.generation = 0   # + 1 at every drop: a load that overlapped one is not kept

    def get(self, key: Hashable, load: Callable[[], T | None], office_of: Callable[[T], int]) -> T | None:
        """The kept value of `key`, or load() (None: nothing kept, looked up again next time)."""
        now = self.clock()
        found = self.entries.get(key)
        if found is not None and found[0] > now:
            return found[2]
        generation = self.generation
        value = load()
        if value is None or generation != self.generation:
            self.entries.pop(key, None)
            return value
        if len(self.entries) >= self.KEPT:
            self.entries = {}
        self.entries[key] = (now + self.TTL, office_of(value), value)
        return value

    def forget(self, key: Hashable) -> None:
        """Read `key` again at its next use (nothing changed: no load in flight is spoilt)."""
        self.entries.pop(key, None)

    def drop(self, office_ids: set[int]) -> None:
        self.generation += 1
        self.entries = {key: entry for key, entry in self.entries.items() if entry[1] not in office_ids}

    def after_commit(self, events: list[PublishedEvent]) -> None:
        stale = {event.office_id for event in events if event.type == CONFIGURED}
        if stale:
            self.drop(stale)


def of(db: Database) -> OfficeCache:
    """The database's cache in this process (its listener added, first, on first use)."""
    return db.companion(OfficeCache, _listening)


def _listening(db: Database) -> OfficeCache:
    cache = OfficeCache()
    db.add_listener(cache.after_commit, first=True)
    db.watch_rows(SOURCES, cache.drop)
    return cache
