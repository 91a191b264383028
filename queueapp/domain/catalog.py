"""What an office's catalog must keep, checked before anything is written: a service (with
its service standard and booking rule) and a counter (with the services it calls, in
order), as an administrator sends them. Values come whole: an update merges the stored
values with the changed ones first, so one set of rules checks both."""
from __future__ import annotations

from typing import Any

from . import setup
from .errors import InvalidInput, N_
from .states import CounterState

SERVICE_FIELDS = ("code", "name", "name_en", "active", "daily_quota", "expected_minutes", "target_wait_minutes",
                  "zone_id", "position", "requirements", "completion_time", "fee", "product", "procedure",
                  "complaints", "booking")
BOOKING_FIELDS = ("bookable", "slot_minutes", "capacity", "requires_nik", "online_join", "online_daily_quota",
                  "notice_days", "horizon_days", "checkin_before_minutes", "checkin_after_minutes")
COUNTER_FIELDS = ("number", "name", "services", "priority_first", "zone_id", "state")

# A new service: not bookable, no quota, the standard left to fill in.
SERVICE_DEFAULTS: dict[str, Any] = {
    "active": True, "daily_quota": None, "expected_minutes": 10, "target_wait_minutes": 30, "zone_id": None,
    "position": None, "requirements": "", "completion_time": "", "fee": "", "product": "", "procedure": "",
    "complaints": "", "booking": None}
# The booking rule of a service that has none yet (the booking_rules table's defaults).
BOOKING_DEFAULTS: dict[str, Any] = {
    "bookable": False, "slot_minutes": 15, "capacity": 4, "requires_nik": False, "online_join": False,
    "online_daily_quota": 0, "notice_days": 1, "horizon_days": 14, "checkin_before_minutes": 30,
    "checkin_after_minutes": 15}
COUNTER_DEFAULTS: dict[str, Any] = {"name": "", "services": {}, "priority_first": True, "zone_id": None,
                                    "state": CounterState.CLOSED.value}

NAME_LENGTH = 200
STANDARD_LENGTH = 200
REQUIREMENTS_LENGTH = 4000
COMPLAINTS_LENGTH = 500
COUNTER_NAME_LENGTH = 100
MAX_ORDER = 99


def known(fields, allowed: tuple[str, ...], prefix: str = "") -> dict[str, Any]:
    """`fields` as given, when it is an object whose names are all in `allowed`."""
    if not isinstance(fields, dict):
        raise InvalidInput(N_("%(field)s must be an object of fields"), field=prefix.rstrip(".") or "body")
    for name in fields:
        if name not in allowed:
            raise InvalidInput(N_("%(field)s is not a known field"), field=f"{prefix}{name}")
    return dict(fields)


def flag(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(N_("%(field)s must be true or false"), field=name)
    return value


def zone_id(value, name: str = "zone_id") -> int | None:
    return setup.whole_number(value, name, minimum=1, maximum=2**31 - 1, optional=True)


def service(values: dict[str, Any]) -> dict[str, Any]:
    """A whole service, checked and cleaned. `booking` None: the service keeps no rule."""
    name = setup.text(values.get("name"), "name", max_length=NAME_LENGTH, required=True)
    return {
        "code": setup.service_code(values.get("code")),
        "name": name,
        "name_en": setup.text(values.get("name_en"), "name_en", max_length=NAME_LENGTH) or name,
        "active": flag(values.get("active"), "active"),
        "daily_quota": setup.whole_number(values.get("daily_quota"), "daily_quota", minimum=1, optional=True),
        "expected_minutes": setup.whole_number(values.get("expected_minutes"), "expected_minutes",
                                               minimum=1, maximum=480),
        "target_wait_minutes": setup.whole_number(values.get("target_wait_minutes"), "target_wait_minutes",
                                                  minimum=1, maximum=1440),
        "zone_id": zone_id(values.get("zone_id")),
        "position": setup.whole_number(values.get("position"), "position", maximum=9999, optional=True),
        "requirements": setup.text(values.get("requirements"), "requirements", max_length=REQUIREMENTS_LENGTH),
        "completion_time": setup.text(values.get("completion_time"), "completion_time",
                                      max_length=STANDARD_LENGTH),
        "fee": setup.text(values.get("fee"), "fee", max_length=STANDARD_LENGTH),
        "product": setup.text(values.get("product"), "product", max_length=STANDARD_LENGTH),
        "procedure": setup.text(values.get("procedure"), "procedure", max_length=REQUIREMENTS_LENGTH),
        "complaints": setup.text(values.get("complaints"), "complaints", max_length=COMPLAINTS_LENGTH),
        "booking": None if values.get("booking") is None else booking(values["booking"]),
    }


def _minutes(values: dict, name: str, minimum: int, maximum: int) -> int:
    return setup.whole_number(values.get(name), f"booking.{name}", minimum=minimum, maximum=maximum)


def booking(values: dict[str, Any]) -> dict[str, Any]:
    """A whole booking rule: slots of 5 minutes to 4 hours, bookable from `notice_days`
    up to `horizon_days` ahead, and a daily online quota when citizens may join from home."""
    flags = {name: flag(values.get(name), f"booking.{name}")
             for name in ("bookable", "requires_nik", "online_join")}
    notice = _minutes(values, "notice_days", 0, 90)
    return {
        **flags,
        "slot_minutes": _minutes(values, "slot_minutes", 5, 240),
        "capacity": _minutes(values, "capacity", 1, 1000),
        # Joining from home with no places would refuse everyone: a quota of at least one.
        "online_daily_quota": _minutes(values, "online_daily_quota", 1 if flags["online_join"] else 0, 10_000),
        "notice_days": notice,
        "horizon_days": _minutes(values, "horizon_days", max(notice, 1), 365),
        "checkin_before_minutes": _minutes(values, "checkin_before_minutes", 0, 240),
        "checkin_after_minutes": _minutes(values, "checkin_after_minutes", 0, 240),
    }


def counter(values: dict[str, Any]) -> dict[str, Any]:
    """A whole counter, checked and cleaned; its name defaults to "Loket N"."""
    number = setup.counter_number(values.get("number"))
    state = values.get("state")
    if state not in {s.value for s in CounterState}:
        raise InvalidInput(N_("state must be open, paused or closed"), field="state")
    return {
        "number": number,
        "name": setup.text(values.get("name"), "name", max_length=COUNTER_NAME_LENGTH) or f"Loket {number}",
        "services": matrix(values.get("services")),
        "priority_first": flag(values.get("priority_first"), "priority_first"),
        "zone_id": zone_id(values.get("zone_id")),
        "state": state,
    }


def matrix(services) -> dict[str, int]:
    """{"A": 1, "B": 2}: the services a counter calls, lower order first."""
    if not isinstance(services, dict):
        raise InvalidInput(N_('%(field)s must be an object like {"A": 1, "B": 2}'), field="services")
    cleaned: dict[str, int] = {}
    for code, order in services.items():
        cleaned[setup.service_code(code)] = setup.whole_number(order, f"services.{code}", minimum=1,
                                                               maximum=MAX_ORDER)
    return cleaned


def serves_zone(counter_zone: int | None, service_zone: int | None) -> bool:
    """A counter of a zone calls only services of its zone or of no zone; a counter of no
    zone may call any service."""
    return counter_zone is None or service_zone is None or service_zone == counter_zone


def check_serves(counter_zone: int | None, service_zone: int | None, code: str) -> None:
    if not serves_zone(counter_zone, service_zone):
        raise InvalidInput(N_("a counter of one zone cannot call %(code)s, a service of another zone"),
                           field="services", code=code)


def check_no_counters_of_other_zones(numbers: list[int]) -> None:
    """A service moving into a zone must not be called by counters of another zone."""
    if numbers:
        raise InvalidInput(N_("counter %(counters)s of another zone calls this service"), field="zone_id",
                           counters=", ".join(map(str, sorted(numbers))))


def service_values(row, rule_row) -> dict[str, Any]:
    """A stored service (and its booking rule row, or None) in the fields `service` takes."""
    values = {"code": row.prefix, "name": row.name_id, "name_en": row.name_en}
    values.update({name: getattr(row, name) for name in SERVICE_FIELDS[3:-1]})
    values["booking"] = None if rule_row is None else {name: getattr(rule_row, name) for name in BOOKING_FIELDS}
    return values


def counter_values(row, services: dict[str, int]) -> dict[str, Any]:
    """A stored counter (with its {code: order}) in the fields `counter` takes."""
    return {"number": row.number, "name": row.name, "services": dict(services),
            "priority_first": row.priority_first, "zone_id": row.zone_id,
            "state": getattr(row.state, "value", row.state)}


def audit_view(values: dict[str, Any]) -> dict[str, Any]:
    """Flat fields for the audit log: a booking rule's fields as "booking.capacity"..."""
    flat = {k: v for k, v in values.items() if k != "booking"}
    for name, value in (values.get("booking") or {}).items():
        flat[f"booking.{name}"] = value
    return flat
