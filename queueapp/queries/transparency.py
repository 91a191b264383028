"""Read side of the public performance page (/transparansi/<office>): live waiting per
service, and a month's figures per service and in total from the report metrics
(queries.reports.public_summary) and the satisfaction index (queries.skm.skm_summary), kept a minute
per (office, month) in the process: a page anyone may open must not cost a report each time."""
from __future__ import annotations

import threading
import time
from datetime import datetime

from .. import repository
from ..db import Database
from ..domain import transparency
from ..domain.numbering import business_date
from ..domain.periods import ReportPeriod
from . import boards, reports
from .skm import skm_summary

CACHE_SECONDS = 60.0


class MonthCache:
    """(office, month) -> figures for CACHE_SECONDS; a lock per key so that a crowd opening
    the page at once costs one computation. Expired entries are dropped whenever one is
    built: asking for many different months keeps no more than a minute's worth."""

    def __init__(self, seconds: float = CACHE_SECONDS, clock=time.monotonic):
        self.seconds, self.clock = seconds, clock
        self.entries: dict[tuple, tuple[float, dict]] = {}
        self.locks: dict[tuple, threading.Lock] = {}
        self.guard = threading.Lock()

    def get(self, key: tuple, build) -> dict:
        entry = self.entries.get(key)
        if entry is not None and entry[0] > self.clock():
            return entry[1]
        with self.guard:
            lock = self.locks.setdefault(key, threading.Lock())
        with lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] <= self.clock():
                entry = (self.clock() + self.seconds, build())
                self.entries[key] = entry
        self._prune()
        return entry[1]

    def _prune(self) -> None:
        now = self.clock()
        with self.guard:
            for key in [k for k, (expires, _) in list(self.entries.items()) if expires <= now]:
                self.entries.pop(key, None)
                lock = self.locks.get(key)
                if lock is not None and not lock.locked():
                    del self.locks[key]


def _cache(db: Database) -> MonthCache:
    return db.companion(MonthCache)


def office_today(db: Database, office_slug: str, now: datetime):
    """The office's head for the page and its business date. Raises OfficeNotFound."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        return ({"slug": office.slug, "name": office.name, "timezone": office.timezone,
                 "address": office.address or ""}, business_date(now, office.timezone))


def _satisfaction(db: Database, office_slug: str, period: ReportPeriod, codes: list[str]) -> dict:
    """The SKM summary (queries.skm) of the month in total (key None) and per service code."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        found = {None: skm_summary(s, office.id, period.first, period.last)}
        for code in codes:
            found[code] = skm_summary(s, office.id, period.first, period.last, service_code=code)
        return found


def _build(db: Database, office_slug: str, period: ReportPeriod) -> dict:
    report = reports.public_summary(db, office_slug, period)
    rows = [row for row in report["by_service"] if row["key"] is not None]
    survey = _satisfaction(db, office_slug, period, [row["key"] for row in rows])
    services = [{"code": row["key"], "name": row.get("name", row["key"]), "name_en": row.get("name_en", ""),
                 "target_wait_minutes": row.get("target_wait_minutes"),
                 **transparency.figures(row, survey.get(row["key"]))} for row in rows]
    return {"month": period.label, "period": period.as_dict(), "services": services,
            "total": transparency.figures(report, survey.get(None))}


def month_figures(db: Database, office_slug: str, month: str | None, *, now: datetime) -> dict:
    """The public figures of a month ("YYYY-MM"; None: the current one) with the months the
    page offers. Raises OfficeNotFound, InvalidInput (not a month, or a future one)."""
    office, today = office_today(db, office_slug, now)
    period = transparency.month(month, today)
    figures = _cache(db).get((office["slug"], period.label), lambda: _build(db, office["slug"], period))
    return {"office": office, **figures, "months": transparency.recent_months(today),
            "current_month": transparency.month_of(today)}


def live_services(db: Database, office_slug: str, now: datetime) -> list[dict]:
    """Per service now: waiting, the estimated wait of a newcomer, open counters."""
    keep = ("code", "name", "name_en", "open", "waiting", "eta_minutes", "counters_open")
    return [{name: row.get(name) for name in keep}
            for row in boards.office_state(db, office_slug, now, part="services")]
