"""Queue numbers: per service, per business day in the office's own time zone."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .errors import InvalidInput, OfficeClosed, QuotaReached

INDONESIAN_ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def local_time(now: datetime, tz_name: str) -> datetime:
    """`now` (aware) seen on the office's wall clock."""
    if now.tzinfo is None:
        raise InvalidInput("now must be timezone-aware")
    return now.astimezone(ZoneInfo(tz_name))


def business_date(now: datetime, tz_name: str) -> date:
    """The office's "today": never the server's UTC date."""
    return local_time(now, tz_name).date()


def format_number(prefix: str, number: int) -> str:
    """Display form "A-001"; numbers past 999 keep all their digits ("A-1000")."""
    return f"{prefix}-{number:03d}"


def check_quota(number: int, quota: int | None) -> None:
    """Raise QuotaReached when `number` would exceed the service's daily quota."""
    if quota is not None and quota > 0 and number > quota:
        raise QuotaReached(quota=quota)


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    hours_i, minutes_i = int(hours), int(minutes)
    if hours_i == 24 and minutes_i == 0:
        return time.max
    return time(hours_i, minutes_i)


def check_open(now: datetime, tz_name: str, open_weekdays: str, opens: str, closes: str,
               closed: bool = False) -> None:
    """Raise OfficeClosed outside the office's walk-in hours.

    `open_weekdays` lists ISO weekdays as digits ("12345" is Monday to Friday);
    `opens`/`closes` are local "HH:MM" strings, "24:00" meaning end of day.
    """
    local = local_time(now, tz_name)
    if closed or str(local.isoweekday()) not in open_weekdays:
        raise OfficeClosed(opens=opens, closes=closes)
    if not parse_hhmm(opens) <= local.time().replace(tzinfo=None) < parse_hhmm(closes):
        raise OfficeClosed(opens=opens, closes=closes)
