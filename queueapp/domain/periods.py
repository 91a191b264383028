"""Report periods: a day, a range, a month, a quarter (triwulan), a half-year (semester)
or a year, as dates on the office's own calendar (tickets carry their business date)."""
from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import N_, InvalidInput

# Longest range a report may cover unless QUEUEAPP_REPORT_MAX_DAYS says otherwise.
DEFAULT_MAX_DAYS = 366


class PeriodKind(str, enum.Enum):
    DAY = "day"
    RANGE = "range"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


@dataclass(frozen=True)
class ReportPeriod:
    """Business dates `first` to `last`, both included."""

    kind: PeriodKind
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        """"2026-11", "2026-Q3", "2026-H1", "2026", "2026-11-23" or "2026-11-01..2026-11-15"."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.HALF:
            return f"{self.first.year}-H{1 if self.first.month <= 6 else 2}"
        if self.kind == PeriodKind.YEAR:
            return str(self.first.year)
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def as_dict(self) -> dict:
        return {"kind": self.kind.value, "label": self.label, "from": self.first.isoformat(),
                "to": self.last.isoformat(), "days": self.days}


def _day(value, field: str) -> date:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(N_("%(field)s must be a date YYYY-MM-DD"), field=field) from None


def _months(year: int, first_month: int, count: int, kind: PeriodKind) -> ReportPeriod:
    last_month = first_month + count - 1
    return ReportPeriod(kind, date(year, first_month, 1),
                        date(year, last_month, calendar.monthrange(year, last_month)[1]))


def day_range(start, end, *, max_days: int = DEFAULT_MAX_DAYS) -> ReportPeriod:
    """From `start` to `end` ("YYYY-MM-DD", both included). InvalidInput when a date is
    not one, the range is reversed, or longer than `max_days`."""
    first, last = _day(start, "from"), _day(end if end not in (None, "") else start, "to")
    if last < first:
        raise InvalidInput(N_("the range ends before it starts"), field="to")
    period = ReportPeriod(PeriodKind.DAY if first == last else PeriodKind.RANGE, first, last)
    if period.days > max_days:
        raise InvalidInput(N_("a report covers at most %(maximum)s days"), field="to", maximum=max_days)
    return period


_PATTERNS = {
    PeriodKind.MONTH: re.compile(r"^(\d{4})-(\d{2})$"),
    PeriodKind.QUARTER: re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE),
    PeriodKind.HALF: re.compile(r"^(\d{4})-(?:H|S)([12])$", re.IGNORECASE),
    PeriodKind.YEAR: re.compile(r"^(\d{4})$"),
}
_EXAMPLES = {PeriodKind.MONTH: "2026-11", PeriodKind.QUARTER: "2026-Q3", PeriodKind.HALF: "2026-H1",
             PeriodKind.YEAR: "2026"}


def named(kind, value, *, max_days: int = DEFAULT_MAX_DAYS) -> ReportPeriod:
    """A month "2026-11", a quarter "2026-Q3", a half-year "2026-H1" or a year "2026"
    (and a day "2026-11-23"). InvalidInput for anything else, or when the period is
    longer than `max_days`."""
    try:
        kind = PeriodKind(kind)
    except ValueError:
        raise InvalidInput(N_("period must be day, range, month, quarter, half or year"), field="period") from None
    if kind in (PeriodKind.DAY, PeriodKind.RANGE):
        return day_range(value, value, max_days=max_days)
    text = str(value or "").strip()
    found = _PATTERNS[kind].match(text)
    if not found or not 1 <= int(found.group(2) if kind != PeriodKind.YEAR else 1) <= 12:
        raise InvalidInput(N_("%(field)s must look like %(example)s"), field=kind.value, example=_EXAMPLES[kind])
    year = int(found.group(1))
    if kind == PeriodKind.MONTH:
        period = _months(year, int(found.group(2)), 1, kind)
    elif kind == PeriodKind.QUARTER:
        period = _months(year, 3 * int(found.group(2)) - 2, 3, kind)
    elif kind == PeriodKind.HALF:
        period = _months(year, 6 * int(found.group(2)) - 5, 6, kind)
    else:
        period = _months(year, 1, 12, kind)
    if period.days > max_days:
        raise InvalidInput(N_("a report covers at most %(maximum)s days"), field=kind.value, maximum=max_days)
    return period


def dates(period: ReportPeriod) -> list[date]:
    return [period.first + timedelta(days=offset) for offset in range(period.days)]
