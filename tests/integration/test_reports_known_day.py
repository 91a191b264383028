"""A known day at the demo kecamatan (Monday 23 November 2026, WIB), played through the use
cases with `now` passed in: every figure of the summary, the CSV's rows and the printed
report's text are what a supervisor would count by hand."""
import csv
import io
from datetime import datetime, timedelta, timezone

import pypdfium2
import pytest

from ..conftest import actor_of
from ..support import appointments, checkin, counters, tickets
from .catalog_fixtures import bearer
from .report_days import counter_ids

WIB = timezone(timedelta(hours=7))


def at(hhmm: str, day: int = 23) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def known_day(demo, clock):
    """A-001 waits 30 min, the elderly A-003 goes first (5 min), A-002 is recalled then
    missed; B-001 is transferred to C and served there; an appointment (E) checks in 10 min
    early and is called late (45 min, past E's 30-min target); F-001 is cancelled; D-001
    still waits at the end."""
    loket1, loket3, loket4 = (actor_of(demo, f"loket{n}") for n in (1, 3, 4))
    supervisor = actor_of(demo, "supervisor")
    ids = counter_ids(demo)
    booked = appointments.book(demo, "demo", "E", at("10:00"), name="Siti Aminah", phone="081234567890", nik=None,
                               now=at("09:00", day=20), secret_key="test-secret")
    issue = lambda prefix, time, **kw: tickets.issue_ticket(demo, "demo", prefix, now=at(time), **kw)  # noqa: E731
    a1 = issue("A", "08:00")
    a2 = issue("A", "08:05")
    b1 = issue("B", "08:10", channel="staff")
    a3 = issue("A", "08:15", priority="lansia")
    assert counters.call_next(demo, loket1, ids[1], now=at("08:20"))["id"] == a3["id"]
    assert counters.call_next(demo, loket3, ids[3], now=at("08:20"))["id"] == b1["id"]
    tickets.start(demo, loket3, b1["id"], now=at("08:21"))
    tickets.start(demo, loket1, a3["id"], now=at("08:23"))
    tickets.transfer(demo, loket3, b1["id"], "C", now=at("08:25"))
    assert counters.call_next(demo, loket3, ids[3], now=at("08:26"))["id"] == b1["id"]
    tickets.start(demo, loket3, b1["id"], now=at("08:27"))
    tickets.finish(demo, loket1, a3["id"], now=at("08:30"))
    assert counters.call_next(demo, loket1, ids[1], now=at("08:30"))["id"] == a1["id"]
    tickets.start(demo, loket1, a1["id"], now=at("08:31"))
    tickets.finish(demo, loket1, a1["id"], now=at("08:41"))
    assert counters.call_next(demo, loket1, ids[1], now=at("08:41"))["id"] == a2["id"]
    tickets.recall(demo, loket1, a2["id"], now=at("08:43"))
    tickets.no_show(demo, loket1, a2["id"], now=at("08:46"))
    tickets.finish(demo, loket3, b1["id"], now=at("08:57"))
    e1 = checkin.check_in(demo, "demo", booked["code"], now=at("09:50"))
    f1 = issue("F", "10:30")
    tickets.cancel(demo, supervisor, f1["id"], now=at("10:33"))
    assert counters.call_next(demo, loket4, ids[4], now=at("10:35"))["id"] == e1["id"]
    tickets.start(demo, loket4, e1["id"], now=at("10:36"))
    tickets.finish(demo, loket4, e1["id"], now=at("10:41"))
    issue("D", "11:00")
    clock.current = at("11:05")
    return demo


def test_the_summary_of_the_known_day_is_what_a_supervisor_counts_by_hand(client, known_day):
    headers = bearer(known_day, "supervisor")
    body = client.get("/api/v1/offices/demo/reports/summary", headers=headers,
                      query_string={"from": "2026-11-23", "to": "2026-11-23", "by": "clerk,appointment"}).get_json()
    assert {k: body[k] for k in ("issued", "served", "no_show", "cancelled", "transferred", "recalled",
                                 "within_target", "within_target_pct", "no_show_pct")} == {
        "issued": 7, "served": 4, "no_show": 1, "cancelled": 1, "transferred": 1, "recalled": 1,
        "within_target": 3, "within_target_pct": 75.0, "no_show_pct": 14.3}
    # Waits 5, 10 (B-001), 30, 36, 45 (E-001).
    assert body["wait_minutes"] == {"count": 5, "mean": 25.2, "p50": 30.0, "p90": 41.4}
    # Walks 3, 1, 1 (B-001 from its second call), 1; services 7, 10, 30, 5.
    assert body["walk_minutes"] == {"count": 4, "mean": 1.5, "p50": 1.0, "p90": 2.4}
    assert body["service_minutes"] == {"count": 4, "mean": 13.0, "p50": 8.5, "p90": 24.0}
    by_service = {line["key"]: line for line in body["by_service"]}
    assert {k: (v["issued"], v["served"], v["no_show"], v["cancelled"]) for k, v in by_service.items()} == {
        "A": (3, 2, 1, 0), "C": (1, 1, 0, 0), "D": (1, 0, 0, 0), "E": (1, 1, 0, 0), "F": (1, 0, 0, 1)}
    assert by_service["C"]["transferred"] == 1 and by_service["A"]["recalled"] == 1
    assert by_service["E"]["within_target_pct"] == 0.0 and by_service["A"]["wait_minutes"]["mean"] == 23.7
    assert by_service["A"]["name"] == "KTP-el (Rekam / Cetak)"
    assert [(line["key"], line["issued"]) for line in body["by_hour"]] == [(8, 4), (9, 1), (10, 1), (11, 1)]
    assert [(line["key"], line["issued"], line["served"]) for line in body["by_appointment"]] == [
        ("appointment", 1, 1), ("walk_in", 6, 3)]
    assert [(line["key"], line["served"]) for line in body["by_clerk"]] == [
        ("Petugas Loket 1", 2), ("Petugas Loket 3", 1), ("Petugas Loket 4", 1), (None, 0)]
    assert body["appointments"] == {"booked": 1, "checked_in": 1, "served": 1, "no_show": 0, "on_time": 1, "late": 0,
                                    "checkin_minutes": {"count": 1, "mean": -10.0, "p50": -10.0, "p90": -10.0}}
    assert body["clerks"] == [
        {"key": "Petugas Loket 1", "served": 2, "hours": 0.43, "per_hour": 4.6, "idle_minutes": 2.0},
        {"key": "Petugas Loket 3", "served": 1, "hours": 0.52, "per_hour": 1.9, "idle_minutes": 0.0},
        {"key": "Petugas Loket 4", "served": 1, "hours": 0.1, "per_hour": 10.0, "idle_minutes": 0.0}]
    assert body["heatmap"]["arrivals"][0][8] == 4 and body["heatmap"]["wait_mean"][0][8] == 20.2


def test_the_csv_of_the_known_day_has_a_row_per_ticket(client, known_day):
    response = client.get("/api/v1/offices/demo/reports/tickets.csv", headers=bearer(known_day, "supervisor"),
                          query_string={"from": "2026-11-23", "to": "2026-11-23"})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 7
    b1 = next(row for row in rows if row["number"] == "B-001")
    assert (b1["service"], b1["status"], b1["wait_minutes"], b1["transfers"]) == ("C", "done", "10.0", "1")
    assert b1["issued_at"] == "2026-11-23 08:10:00" and b1["first_called_at"] == "2026-11-23 08:20:00"
    assert "Siti" not in response.get_data(as_text=True)


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_the_monthly_report_prints_the_letterhead_figures_and_signature_in_indonesian(client, known_day):
    response = client.get("/api/v1/offices/demo/reports/monthly.pdf?month=2026-11&signer=Budi%20Santoso",
                          headers=bearer(known_day, "supervisor"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response.data).split())
    for expected in ("KANTOR KECAMATAN DEMO", "Jl. Merdeka No. 1, Jakarta", "Laporan Kinerja Pelayanan",
                     "Periode: November 2026", "Tiket diterbitkan 7", "Dilayani 4", "Tidak hadir 1 (14,3%)",
                     "25,2 menit / 30 menit / 41,4 menit", "Dilayani dalam target waktu tunggu 75%",
                     "Jakarta, 23 November 2026", "Kepala Kantor Kecamatan Demo", "Budi Santoso",
                     "Tiket diterbitkan per jam"):
        assert expected in text, expected


def test_the_quarterly_report_in_english(client, known_day):
    response = client.get("/api/v1/offices/demo/reports/quarterly.pdf?quarter=2026-Q4&lang=en",
                          headers=bearer(known_day, "admin"))
    text = " ".join(pdf_text(response.data).split())
    assert "Service Performance Report" in text and "Quarter IV 2026" in text and "Tickets issued 7" in text
