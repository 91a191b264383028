"""The report documents made from plain data: SVG charts that parse, the per-ticket CSV
without personal data, the summary's tables."""
import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from queueapp.domain import metrics
from queueapp.reports import charts, tables

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)  # 08:00 WIB


def test_the_charts_are_well_formed_svg_with_their_title_and_escaped_labels():
    bars = ET.fromstring(charts.bars([("08", 3), ("09", None), ("<10>", 7)], title="Tiket & jam"))
    assert bars.tag.endswith("svg") and bars.get("aria-label") == "Tiket & jam"
    assert len([e for e in bars.iter() if e.tag.endswith("rect")]) == 2
    grid = [[0] * 24 for _ in range(7)]
    grid[0][8] = 5
    heat = ET.fromstring(charts.heatmap(grid, rows=["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"], title="Kedatangan",
                                        hours=range(8, 12)))
    assert len([e for e in heat.iter() if e.tag.endswith("rect")]) == 7 * 4


def test_the_ticket_csv_has_local_times_and_durations_and_no_personal_fields():
    record = metrics.TicketRecord(1, date(2026, 11, 23), "A", "done", "kiosk", T0, number="A-001",
                                  first_called_at=T0 + timedelta(minutes=12), called_at=T0 + timedelta(minutes=12),
                                  started_at=T0 + timedelta(minutes=13), finished_at=T0 + timedelta(minutes=20),
                                  counter=1, clerk="Petugas Loket 1")
    rows = list(csv.DictReader(io.StringIO("".join(tables.ticket_csv([tables.ticket_row(record, ZoneInfo("Asia/Jakarta"))])))))
    assert rows == [{**rows[0], "number": "A-001", "issued_at": "2026-11-23 08:00:00", "wait_minutes": "12.0",
                     "walk_minutes": "1.0", "service_minutes": "7.0", "within_target": "yes", "counter": "1"}]
    assert not {"name", "phone", "nik", "token"} & set(tables.TICKET_COLUMNS)


def test_the_summary_csv_lists_each_table_under_its_name():
    record = metrics.TicketRecord(1, date(2026, 11, 23), "A", "waiting", "kiosk", T0)
    summary = {**metrics.summarize([record]), "period": {"label": "2026-11-23"},
               "by_service": [{"key": "A", **metrics.summarize([record])}], "clerks": [], "counters": [],
               "appointments": metrics.funnel([])}
    text = tables.summary_csv(summary)
    assert "# total" in text and "# by_service" in text and "# appointments" in text
