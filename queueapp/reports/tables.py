"""The report as tables: one row per ticket (CSV, and the XLSX raw sheet) with no personal
data, and the summary's figures and breakdowns (summary CSV, the XLSX summary sheet)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from datetime import datetime
from zoneinfo import ZoneInfo

from ..domain import metrics

# No citizen's name, phone, NIK or booking code: times, places and outcomes only.
TICKET_COLUMNS = ("date", "number", "service", "zone", "channel", "appointment", "priority", "status",
                  "issued_at", "first_called_at", "called_at", "started_at", "finished_at", "wait_minutes",
                  "walk_minutes", "service_minutes", "within_target", "counter", "clerk", "transfers", "recalls")
FIGURE_COLUMNS = ("issued", "served", "no_show", "cancelled", "transferred", "recalled", "no_show_pct",
                  "within_target_pct", "wait_mean", "wait_p50", "wait_p90", "walk_mean", "walk_p50", "walk_p90",
                  "service_mean", "service_p50", "service_p90")


def _local(at: datetime | None, zone: ZoneInfo) -> str:
    """"2026-11-23 08:00:00" on the office's clock (str() of a datetime: the quickest form)."""
    return "" if at is None else str(at.astimezone(zone))[:19]


def _minutes(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def ticket_row(record: metrics.TicketRecord, zone: ZoneInfo) -> list:
    """A ticket's row from its record: the reference the rows of queries.reports.ticket_lines
    (computed in one pass over plain tuples) are proved equal to."""
    timed = metrics.timing(record)
    return [record.business_date.isoformat(), record.number, record.service, record.zone, record.channel,
            "yes" if record.channel == metrics.APPOINTMENT_CHANNEL else "no", record.priority, record.status,
            _local(record.issued_at, zone), _local(record.first_called_at, zone), _local(record.called_at, zone),
            _local(record.started_at, zone), _local(record.finished_at, zone), _minutes(timed.wait),
            _minutes(timed.walk), _minutes(timed.service), "yes" if timed.within_target else "no",
            "" if record.counter is None else record.counter, record.clerk, record.transfers, record.recalls]


def ticket_csv(rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV of rows in TICKET_COLUMNS order, 2,000 lines at a time (streamed, not buffered)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TICKET_COLUMNS)
    rows = iter(rows)
    while chunk := list(islice(rows, 2000)):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def figure_row(figures: dict) -> list:
    timed = [figures[f"{name}_minutes"].get(stat) for name in ("wait", "walk", "service")
             for stat in ("mean", "p50", "p90")]
    return [figures[name] for name in FIGURE_COLUMNS[:8]] + timed


def summary_tables(summary: dict) -> list[tuple[str, Sequence[str], list[list]]]:
    """(title, header, rows) for the totals and each breakdown of a summary."""
    tables = [("total", ("period",) + FIGURE_COLUMNS, [[summary["period"]["label"]] + figure_row(summary)])]
    for name, value in summary.items():
        if name.startswith("by_"):
            tables.append((name, (name[3:],) + FIGURE_COLUMNS,
                           [["" if line["key"] is None else line["key"]] + figure_row(line) for line in value]))
    for name in ("clerks", "counters"):
        tables.append((name, (name[:-1], "served", "hours", "per_hour", "idle_minutes"),
                       [[line["key"], line["served"], line["hours"], line["per_hour"], line["idle_minutes"]]
                        for line in summary[name]]))
    funnel = summary["appointments"]
    tables.append(("appointments", ("booked", "checked_in", "served", "no_show", "on_time", "late"),
                   [[funnel[k] for k in ("booked", "checked_in", "served", "no_show", "on_time", "late")]]))
    return tables


def summary_csv(summary: dict) -> str:
    """The summary tables one after another, each headed by its name, a blank line between."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for title, header, rows in summary_tables(summary):
        writer.writerow([f"# {title}"])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])
    return buffer.getvalue()


def xlsx(summary: dict, lines: Iterable[Sequence], *, sheet_names=("Summary", "Tickets")) -> bytes:
    """A workbook: the summary tables on the first sheet, one row per ticket on the second."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    first = book.create_sheet(sheet_names[0])
    first.append([summary["office"]["name"]])
    first.append([summary["period"]["label"], summary["period"]["from"], summary["period"]["to"]])
    first.append([])
    for title, header, rows in summary_tables(summary):
        first.append([title])
        first.append(list(header))
        for row in rows:
            first.append(row)
        first.append([])
    raw = book.create_sheet(sheet_names[1])
    raw.append(list(TICKET_COLUMNS))
    for line in lines:
        raw.append(list(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
