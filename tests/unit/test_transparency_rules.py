"""The published standard and the public figures as pure rules: lines, the pledge's
standard wording, where to complain, which months the page offers, and the open-data rows."""
from datetime import date

import pytest

from queueapp.domain import standards, transparency
from queueapp.domain.errors import InvalidInput


def test_a_field_kept_one_per_line_gives_its_non_empty_lines():
    assert standards.lines("  KK \n\n Surat pengantar RT/RW \r\n") == ["KK", "Surat pengantar RT/RW"]
    assert standards.lines(None) == []


def test_an_office_without_a_pledge_publishes_the_regulations_wording():
    assert standards.pledge("  ") == standards.DEFAULT_PLEDGE
    assert standards.pledge("Kami siap melayani.") == "Kami siap melayani."
    assert standards.DEFAULT_PLEDGE.startswith("Dengan ini, kami menyatakan sanggup")


def test_complaints_go_to_the_services_channel_else_the_offices():
    assert standards.complaint_channel("Loket pengaduan", "Kotak saran") == "Loket pengaduan"
    assert standards.complaint_channel(" ", "Kotak saran") == "Kotak saran"
    s = standards.standard("A", "KTP-el", "", requirements="KK\nRT/RW", procedure="", completion_time="",
                           fee="Gratis", product="", complaints="", office_channel="WA 0812")
    assert s.requirements == ("KK", "RT/RW") and s.name_en == "KTP-el" and s.complaints == "WA 0812" and s.published


def test_the_page_offers_the_current_month_and_eleven_before_it_across_the_new_year():
    months = transparency.recent_months(date(2027, 2, 10))
    assert months[:3] == ["2027-02", "2027-01", "2026-12"] and months[-1] == "2026-03" and len(months) == 12


@pytest.mark.parametrize("text", ["2026-12", "2026-13", "November", "2026-11-01"])
def test_a_future_or_malformed_month_is_refused(text):
    with pytest.raises(InvalidInput):
        transparency.month(text, date(2026, 11, 27))


def test_no_month_means_the_offices_current_one():
    period = transparency.month(None, date(2026, 11, 27))
    assert (period.first, period.last) == (date(2026, 11, 1), date(2026, 11, 30))


def test_without_respondents_there_is_no_index_and_the_csv_leaves_it_blank():
    report = {"issued": 4, "served": 3, "wait_minutes": {"mean": 12.5, "p90": 20.0}, "within_target_pct": 66.7,
              "no_show_pct": 25.0}
    figures = transparency.figures(report, {"respondents": 0, "ikm_converted": None, "category": None})
    assert figures["ikm"] is None and figures["ikm_category"] is None and figures["skm_respondents"] == 0
    rows = transparency.csv_rows("demo", "2026-11", [{"code": "A", "name": "KTP-el", **figures}], figures)
    assert rows[0][:6] == ("demo", "2026-11", "A", "KTP-el", 4, 3) and rows[1][2] == "ALL" and rows[1][-1] == ""
    assert len(rows[0]) == len(transparency.CSV_HEADER)

