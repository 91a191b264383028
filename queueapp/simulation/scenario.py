"""Scenarios: a small YAML (or JSON) file describing one office day (docs/ETA.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ..domain.hours import parse_hhmm

SCENARIOS = Path(__file__).parent / "scenarios"


class ScenarioError(ValueError):
    """A scenario file that cannot be run, with the field at fault."""


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    share: float                  # of the day's walk-in tickets
    median_minutes: float         # lognormal counter minutes
    sigma: float = 0.4
    expected_minutes: int = 10    # what the admin typed (today's rule starts from it)
    target_wait_minutes: int = 60
    zone: str | None = None
    peak: dict[int, float] | None = None   # its own arrivals by hour (a KTP-el morning)


@dataclass(frozen=True)
class CounterSpec:
    number: int
    services: dict[str, int]
    speed: float = 1.0            # clerk's minutes per median minute (1.2: slower)
    opens: float = 0.0            # minutes after midnight
    closes: float | None = None
    breaks: tuple[tuple[float, float], ...] = ()
    priority_first: bool = True
    zone: str | None = None


@dataclass(frozen=True)
class AppointmentSpec:
    """Visits booked online the day before (services.appointments.book), checked in at the
    kiosk (services.checkin.check_in): `share` of the day's visits, on `services` (all when
    empty), in slots of `slot_minutes` with `capacity` seats; a citizen arrives at the slot
    plus a normal offset (`arrive_mean`, `arrive_sd` minutes; negative: early) or not at all
    (`no_show_share`). Counters merge them with walk-ins (domain.dispatch.FairMergePolicy,
    `appointments_in_a_row`)."""

    share: float = 0.0
    services: tuple[str, ...] = ()
    slot_minutes: int = 15
    capacity: int = 2
    arrive_mean: float = -5.0
    arrive_sd: float = 7.0
    no_show_share: float = 0.1


@dataclass(frozen=True)
class Scenario:
    name: str
    day: date
    timezone: str
    opens: float
    closes: float
    breaks: tuple[tuple[float, float], ...]
    services: tuple[ServiceSpec, ...]
    counters: tuple[CounterSpec, ...]
    tickets: int
    by_hour: dict[int, float]
    priority_share: float = 0.05
    absent_share: float = 0.05            # not there when first called
    late_share: float = 0.5               # of those, come after a recall
    recall_after_minutes: float = 2.0
    walk_out_share: float = 0.03
    patience_minutes: tuple[float, float] = (20.0, 90.0)
    walk_to_counter_minutes: float = 0.5
    max_calls: int = 3
    zones: tuple[str, ...] = ()
    description: str = ""
    # Citizens at given times instead of drawn ones: (minutes, service code, priority group or None).
    fixed: tuple[tuple[float, str, str | None], ...] = ()
    appointments: AppointmentSpec = AppointmentSpec()
    # Earlier days the office's database already holds (served tickets at the scenario's
    # counter minutes): what a running office knows before its first ticket of the day.
    history_days: int = 0
    extra: dict = field(default_factory=dict)


def _minutes(value, name: str) -> float:
    try:
        moment = parse_hhmm(str(value))
    except Exception:
        raise ScenarioError(f"{name}: expected HH:MM, got {value!r}") from None
    return moment.hour * 60.0 + moment.minute


def _breaks(value, name: str) -> tuple[tuple[float, float], ...]:
    pairs = tuple((_minutes(a, name), _minutes(b, name)) for a, b in (value or ()))
    if any(b <= a for a, b in pairs):
        raise ScenarioError(f"{name}: a break ends before it starts")
    return pairs


def _hours(value, name: str) -> dict[int, float]:
    if not isinstance(value, dict) or not value:
        raise ScenarioError(f"{name}: expected a map of hour to weight")
    hours = {int(hour): float(weight) for hour, weight in value.items()}
    if any(w < 0 for w in hours.values()) or sum(hours.values()) <= 0:
        raise ScenarioError(f"{name}: weights must be positive")
    return hours


def _appointments(value, codes: set[str]) -> AppointmentSpec:
    if not value:
        return AppointmentSpec()
    wanted = tuple(str(code).upper() for code in value.get("services") or ())
    if not set(wanted) <= codes:
        raise ScenarioError(f"appointments.services: unknown service {sorted(set(wanted) - codes)[0]}")
    spec = AppointmentSpec(share=float(value.get("share", 0.0)), services=wanted,
                           slot_minutes=int(value.get("slot_minutes", 15)), capacity=int(value.get("capacity", 2)),
                           arrive_mean=float(value.get("arrive_mean", -5.0)),
                           arrive_sd=float(value.get("arrive_sd", 7.0)),
                           no_show_share=float(value.get("no_show_share", 0.1)))
    if not 0 <= spec.share < 1 or not 0 <= spec.no_show_share <= 1 or spec.capacity <= 0 or spec.slot_minutes <= 0:
        raise ScenarioError("appointments: share and no_show_share in [0, 1), capacity and slot_minutes positive")
    return spec


def parse(document: dict, name: str = "scenario") -> Scenario:
    """A Scenario from its document, checked. Raises ScenarioError naming the field."""
    if not isinstance(document, dict):
        raise ScenarioError("a scenario is a mapping")
    try:
        office, arrivals, citizens = document["office"], document["arrivals"], document.get("citizens") or {}
        services = tuple(ServiceSpec(
            code=str(s["code"]).upper(), name=str(s.get("name") or s["code"]), share=float(s["share"]),
            median_minutes=float(s["minutes"]["median"]), sigma=float(s["minutes"].get("sigma", 0.4)),
            expected_minutes=int(s.get("expected_minutes") or round(s["minutes"]["median"])),
            target_wait_minutes=int(s.get("target_wait_minutes", 60)), zone=s.get("zone"),
            peak=_hours(s["peak"], f"services.{s['code']}.peak") if s.get("peak") else None)
            for s in document["services"])
        codes = {s.code for s in services}
        opens = _minutes(office["opens"], "office.opens")
        counters = []
        for c in document["counters"]:
            mix = {str(code).upper(): int(order) for code, order in c["services"].items()}
            if not set(mix) <= codes:
                raise ScenarioError(f"counters.{c['number']}: unknown service {sorted(set(mix) - codes)[0]}")
            counters.append(CounterSpec(
                number=int(c["number"]), services=mix, speed=float(c.get("speed", 1.0)),
                opens=_minutes(c["opens"], "counters.opens") if "opens" in c else opens,
                closes=_minutes(c["closes"], "counters.closes") if c.get("closes") else None,
                breaks=_breaks(c["breaks"], "counters.breaks") if "breaks" in c else _breaks(
                    office.get("breaks"), "office.breaks"),
                priority_first=bool(c.get("priority_first", True)), zone=c.get("zone")))
        scenario = Scenario(
            name=str(document.get("name") or name), day=date.fromisoformat(str(office["date"])),
            timezone=str(office.get("timezone", "WIB")), opens=opens,
            closes=_minutes(office["closes"], "office.closes"), breaks=_breaks(office.get("breaks"), "office.breaks"),
            services=services, counters=tuple(counters), tickets=int(arrivals.get("tickets", len(arrivals.get("fixed") or ()))),
            by_hour=_hours(arrivals.get("by_hour") or {8: 1}, "arrivals.by_hour"),
            priority_share=float(arrivals.get("priority_share", 0.05)),
            absent_share=float(citizens.get("absent_share", 0.05)), late_share=float(citizens.get("late_share", 0.5)),
            recall_after_minutes=float(citizens.get("recall_after_minutes", 2.0)),
            walk_out_share=float(citizens.get("walk_out_share", 0.03)),
            patience_minutes=tuple(float(x) for x in citizens.get("patience_minutes", (20, 90))),
            walk_to_counter_minutes=float(citizens.get("walk_to_counter_minutes", 0.5)),
            max_calls=int(office.get("max_calls", 3)), zones=tuple(document.get("zones") or ()),
            fixed=tuple((_minutes(item["at"], "arrivals.fixed"), str(item["service"]).upper(), item.get("priority"))
                        for item in arrivals.get("fixed") or ()),
            description=str(document.get("description") or ""),
            appointments=_appointments(document.get("appointments"), codes),
            history_days=int((document.get("history") or {}).get("days", 0)))
    except KeyError as exc:
        raise ScenarioError(f"missing field {exc.args[0]}") from None
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ScenarioError):
            raise
        raise ScenarioError(str(exc)) from None
    if not services or not scenario.counters:
        raise ScenarioError("a scenario needs services and counters")
    if any(code not in codes for _, code, _ in scenario.fixed):
        raise ScenarioError("arrivals.fixed: unknown service")
    if scenario.tickets <= 0:
        raise ScenarioError("arrivals.tickets must be positive")
    return scenario


def names() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


def load(name_or_path: str) -> Scenario:
    """A shipped scenario by name (kecamatan-small, dukcapil-busy, mpp) or a file's path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SCENARIOS / f"{name_or_path}.yaml"
    if not path.is_file():
        raise ScenarioError(f"no scenario {name_or_path!r} (shipped: {', '.join(names())})")
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem)
