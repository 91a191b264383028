"""The booking tables: migrations agree with the models; holidays import from CSV and ICS."""
from datetime import date

from click.testing import CliRunner

from queueapp.cli import main
from queueapp.queries import booking as booking_views
from queueapp.services import holidays

ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:1@test
DTSTART;VALUE=DATE:20261224
DTEND;VALUE=DATE:20261226
SUMMARY:Cuti Bersama dan Hari Raya Natal
END:VEVENT
END:VCALENDAR
"""


def test_holidays_import_from_csv_and_from_ics_covering_several_days(demo):
    assert holidays.import_file(demo, "demo", "libur.csv", b"date,name\n2026-12-31,Tutup akhir tahun\n") == 1
    assert holidays.import_file(demo, "demo", "libur.ics", ICS) == 1  # 25 Dec is in the demo already
    days = {h["date"]: h["name"] for h in booking_views.holidays(demo, "demo")}
    assert days["2026-12-24"] == days["2026-12-25"] == "Cuti Bersama dan Hari Raya Natal"
    assert "2026-12-26" not in days and days["2026-12-31"] == "Tutup akhir tahun"
    assert holidays.remove_holiday(demo, "demo", date(2026, 12, 31))


def test_the_cli_imports_holidays_and_expires_appointments(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUEAPP_DATABASE_URL", str(demo.url))
    monkeypatch.setenv("QUEUEAPP_SECRET_KEY", "cli-secret")
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    csv_file = tmp_path / "libur.csv"
    csv_file.write_text("2027-03-10,Contoh libur\n")
    result = CliRunner().invoke(main, ["import-holidays", "demo", str(csv_file)])
    assert result.exit_code == 0 and "1 new closed day" in result.output
    result = CliRunner().invoke(main, ["expire-appointments"])
    assert result.exit_code == 0 and "no-show" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("10/03/2027,salah\n")
    assert CliRunner().invoke(main, ["import-holidays", "demo", str(bad)]).exit_code != 0
