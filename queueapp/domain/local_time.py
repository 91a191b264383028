"""Dates, times and time-zone names as citizens read them: one helper for pages, PDFs and messages.

Indonesia has three zones, named WIB (Asia/Jakarta), WITA (Asia/Makassar) and WIT
(Asia/Jayapura); a time shown to a citizen always carries its zone's name, and a day
carries its weekday so that nobody books a Sunday by mistake.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from .setup import TIMEZONE_NAMES


def zone_name(timezone: str) -> str:
    """"WIB", "WITA" or "WIT" for an Indonesian zone; the zone's own name otherwise."""
    return TIMEZONE_NAMES.get(timezone, timezone)


def local(moment: datetime, timezone: str) -> datetime:
    """An aware moment as the office's wall clock shows it."""
    return moment.astimezone(ZoneInfo(timezone))


def day(value: date, locale: str = "id") -> str:
    """"Sabtu, 28 November 2026" / "Saturday, 28 November 2026"."""
    return format_date(value, "EEEE, d MMMM y", locale=locale)


def short_day(value: date, locale: str = "id") -> str:
    """"Sab, 28/11" / "Sat, 28/11": a day in a grid or a list."""
    return format_date(value, "EEE, dd/MM", locale=locale)


def clock(moment: datetime, timezone: str) -> str:
    """"08:00 WIB": the local time of an aware moment with its zone's name."""
    return f"{local(moment, timezone):%H:%M} {zone_name(timezone)}"


def moment(moment: datetime, timezone: str, locale: str = "id") -> str:
    """"Sabtu, 28 November 2026 08:00 WIB"."""
    return f"{day(local(moment, timezone).date(), locale)} {clock(moment, timezone)}"
