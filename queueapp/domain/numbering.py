"""Queue numbers: per service, per business day in the office's own time zone."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from .errors import InvalidInput, QuotaReached


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
