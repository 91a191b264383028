"""Alerts of the supervisor's dashboard: a service whose longest current wait passes its
target, a counter paused longer than the office allows. A pure rule over the dashboard's
figures and `now`; the alert events (events.ALERT_EVENTS) carry what it finds."""
from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .printer import ATTENTION, PrinterState


class AlertKind(str, enum.Enum):
    WAIT_OVER_TARGET = "wait_over_target"
    COUNTER_PAUSED = "counter_paused"
    PRINTER = "printer"


@dataclass(frozen=True)
class ServiceFigure:
    """A service's line now: when its longest waiting ticket joined it (None: nobody waits)."""

    code: str
    target_minutes: int
    oldest_queued_at: datetime | None


@dataclass(frozen=True)
class CounterFigure:
    """A counter now: its state and since when it has been in it (None: not known today)."""

    number: int
    state: str
    state_since: datetime | None


@dataclass(frozen=True)
class KioskFigure:
    """A kiosk's printer now: its state (domain.printer.PrinterState value, None: never
    reported) and since when it is known."""

    name: str
    printer_state: str | None
    checked_at: datetime | None


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    # What it is about: a service code ("A") or a counter number ("3").
    subject: str
    # Minutes waited or paused, against the limit they passed.
    minutes: int
    limit_minutes: int
    # What kind of problem, when the kind has several (a printer's state: "paper_out").
    detail: str = ""

    @property
    def key(self) -> str:
        """Identity of the condition: the same alert while it lasts, whatever its minutes."""
        return f"{self.kind.value}:{self.subject}"

    def as_dict(self) -> dict:
        found = {"key": self.key, "kind": self.kind.value, "subject": self.subject, "minutes": self.minutes,
                 "limit_minutes": self.limit_minutes}
        if self.detail:
            found["detail"] = self.detail
        return found


def _minutes(since: datetime, now: datetime) -> float:
    return max(0.0, (now - since).total_seconds() / 60.0)


def evaluate(services: Iterable[ServiceFigure], counters: Iterable[CounterFigure], now: datetime,
             pause_limit_minutes: int, kiosks: Iterable[KioskFigure] = ()) -> list[Alert]:
    """The alerts standing at `now`, services first. A wait alerts once it is longer than the
    service's target (exactly the target is still within it); a pause once it is longer than
    `pause_limit_minutes` (0 turns pause alerts off). A target of 0 or less is no target."""
    found: list[Alert] = []
    for service in services:
        if service.oldest_queued_at is None or service.target_minutes <= 0:
            continue
        waited = _minutes(service.oldest_queued_at, now)
        if waited > service.target_minutes:
            found.append(Alert(AlertKind.WAIT_OVER_TARGET, service.code, int(waited), service.target_minutes))
    if pause_limit_minutes > 0:
        for counter in counters:
            if counter.state != "paused" or counter.state_since is None:
                continue
            paused = _minutes(counter.state_since, now)
            if paused > pause_limit_minutes:
                found.append(Alert(AlertKind.COUNTER_PAUSED, str(counter.number), int(paused), pause_limit_minutes))
    found += printer_alerts(kiosks, now)
    return found


def printer_alerts(kiosks: Iterable[KioskFigure], now: datetime) -> list[Alert]:
    """One alert per kiosk whose printer needs attention (out of paper, offline, a print
    not confirmed, marked out of paper by staff), by kiosk name."""
    found = []
    for kiosk in sorted(kiosks, key=lambda k: k.name):
        if kiosk.printer_state is None or PrinterState(kiosk.printer_state) not in ATTENTION:
            continue
        since = int(_minutes(kiosk.checked_at, now)) if kiosk.checked_at else 0
        found.append(Alert(AlertKind.PRINTER, kiosk.name, since, 0, detail=kiosk.printer_state))
    return found


def changes(standing: Mapping[str, object], current: Iterable[Alert]) -> tuple[list[Alert], list[str]]:
    """What to announce, given the keys of the alerts announced and not yet cleared
    (`standing`) and the alerts found now: the new ones (raised), and the keys of the
    standing ones no longer found (cleared), both in a stable order."""
    current = list(current)
    found = {alert.key for alert in current}
    raised = [alert for alert in current if alert.key not in standing]
    cleared = sorted(key for key in standing if key not in found)
    return raised, cleared
