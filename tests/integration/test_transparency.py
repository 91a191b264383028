"""The public performance page /transparansi/<office>, its CSV and its API: figures equal
to the ones computed by hand for tickets with known waits, month selection, refusals, and
no personal data anywhere on it."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from queueapp.domain import standards
from queueapp.models import Counter, Office

from ..conftest import actor_of
from ..support import appointments, counters, tickets

SECRET = "test-secret"
NAME, PHONE, NIK = "Siti Rahmawati", "081234567891", "3174012345670001"
# Monday 23 November 2026, 09:00 WIB.
NOVEMBER = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
OCTOBER = datetime(2026, 10, 19, 2, 0, tzinfo=timezone.utc)


def counter_id(db, number: int) -> int:
    with db.read() as s:
        return s.execute(select(Counter.id).join(Office).where(Office.slug == "demo", Counter.number == number)
                         ).scalar_one()


def serve_three_a(db, start: datetime) -> list[dict]:
    """Three A tickets at `start`; counter 1 calls them after 5, 15 and 40 minutes: the
    first two are served, the third does not come."""
    clerk = actor_of(db, "loket1")
    issued = [tickets.issue_ticket(db, "demo", "A", now=start) for _ in range(3)]
    loket = counter_id(db, 1)
    for minutes, ends in ((5, "finish"), (15, "finish"), (40, "no_show")):
        called = counters.call_next(db, clerk, loket, now=start + timedelta(minutes=minutes))
        getattr(tickets, ends)(db, clerk, called["id"], now=start + timedelta(minutes=minutes + 4))
    return issued


@pytest.fixture(autouse=True)
def quiet(app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def test_the_months_figures_are_the_ones_computed_by_hand(client, any_db, demo, clock):
    serve_three_a(demo, NOVEMBER)
    clock.current = NOVEMBER + timedelta(hours=2)
    body = client.get("/api/v1/offices/demo/transparency").get_json()
    assert body["month"] == "2026-11" and body["months"][0] == "2026-11" and len(body["months"]) == 12
    a = next(s for s in body["services"] if s["code"] == "A")
    # Waits 5, 15 and 40 minutes: mean 20, p90 between 15 and 40 (linear): 15 + 0.8 * 25 = 35.
    assert (a["issued"], a["served"]) == (3, 2)
    assert a["wait_mean_minutes"] == 20.0 and a["wait_p90_minutes"] == 35.0
    # Target wait of A is 45 minutes: both served within it; one of three did not come.
    assert a["within_target_pct"] == 100.0 and a["no_show_pct"] == 33.3
    assert body["total"]["served"] == 2 and body["total"]["wait_mean_minutes"] == 20.0
    assert [s["code"] for s in body["live"]] == ["A", "B", "C", "D", "E", "F"]


def test_a_previous_month_is_chosen_by_its_name_and_keeps_its_own_figures(client, demo, clock):
    serve_three_a(demo, OCTOBER)
    clock.current = NOVEMBER
    now_month = client.get("/api/v1/offices/demo/transparency").get_json()
    assert now_month["total"]["issued"] == 0 and now_month["services"] == []
    october = client.get("/api/v1/offices/demo/transparency?month=2026-10").get_json()
    assert october["month"] == "2026-10" and october["total"]["served"] == 2
    page = client.get("/transparansi/demo?month=2026-10").get_data(as_text=True)
    assert 'value="2026-10" selected' in page and "20.0" in page


@pytest.mark.parametrize("month", ["2026-13", "bulan-ini", "2026-12", "2026-1"])
def test_a_bad_or_future_month_is_422_and_an_unknown_office_404(client, demo, clock, month):
    clock.current = NOVEMBER
    response = client.get(f"/api/v1/offices/demo/transparency?month={month}")
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "invalid_input"
    assert client.get("/api/v1/offices/nowhere/transparency").status_code == 404
    assert client.get("/transparansi/nowhere").status_code == 404


def test_the_csv_holds_the_same_figures_per_service_and_in_total(client, demo, clock):
    serve_three_a(demo, NOVEMBER)
    clock.current = NOVEMBER + timedelta(hours=2)
    response = client.get("/transparansi/demo/data.csv?month=2026-11")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "kinerja-demo-2026-11.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["service_code"] for row in rows] == ["A", "ALL"]
    assert rows[0]["served"] == "2" and rows[0]["wait_mean_minutes"] == "20.0" and rows[0]["no_show_pct"] == "33.3"
    assert rows[1]["wait_p90_minutes"] == "35.0"


def test_the_page_works_without_javascript_and_shows_standards_pledge_and_complaints(client, demo, clock):
    serve_three_a(demo, NOVEMBER)
    clock.current = NOVEMBER + timedelta(hours=2)
    response = client.get("/transparansi/demo")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<meta http-equiv="refresh"' in html and "<noscript>" in html
    assert "Fotokopi Kartu Keluarga" in html          # A's requirements
    assert standards.DEFAULT_PLEDGE in html            # the demo office wrote no pledge of its own
    assert "https://www.lapor.go.id" in html and "kotak saran di lobi" in html
    assert "<svg" in html and "data.csv?month=2026-11" in html
    assert "<script>" not in html and 'style="' not in html


def test_no_token_name_phone_or_nik_appears_on_the_page_the_csv_or_the_api(client, any_db, demo, clock):
    clock.current = NOVEMBER - timedelta(days=3)
    booked = appointments.book(demo, "demo", "A", datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc), name=NAME,
                               phone=PHONE, nik=NIK, now=clock(), secret_key=SECRET)
    issued = serve_three_a(demo, NOVEMBER)
    clock.current = NOVEMBER + timedelta(hours=2)
    secrets_of_citizens = [NAME, PHONE, NIK, NIK[-4:] + "0", booked["code"], booked.get("manage_token", "x" * 20),
                           *[t["token"] for t in issued]]
    for url in ("/transparansi/demo", "/transparansi/demo/data.csv", "/api/v1/offices/demo/transparency",
                "/api/v1/offices/demo/standards", "/transparansi/demo?month=2026-10"):
        text = client.get(url).get_data(as_text=True)
        for secret in secrets_of_citizens:
            assert secret not in text, (url, secret)


def test_the_figures_are_kept_a_minute_per_office_and_month(client, demo, clock):
    clock.current = NOVEMBER
    assert client.get("/api/v1/offices/demo/transparency").get_json()["total"]["issued"] == 0
    tickets.issue_ticket(demo, "demo", "A", now=NOVEMBER)
    cached = client.get("/api/v1/offices/demo/transparency").get_json()
    assert cached["total"]["issued"] == 0 and cached["live"][0]["waiting"] == 1   # live figures are live


def test_survey_answers_of_the_month_give_the_index_its_category_and_respondents(client, any_db, demo, clock):
    from queueapp.services import survey
    issued = serve_three_a(demo, NOVEMBER)
    clock.current = NOVEMBER + timedelta(hours=1)
    for token, score in ((issued[0]["token"], 4), (issued[1]["token"], 3)):
        survey.answer_survey(demo, token, {str(n): score for n in range(1, 10)}, now=clock())
    body = client.get("/api/v1/offices/demo/transparency").get_json()
    a = next(s for s in body["services"] if s["code"] == "A")
    # Every element 3.5 on average: IKM 3.5, converted 87.5, category B (76.61 <= x < 88.31).
    assert (a["skm_respondents"], a["ikm"], a["ikm_category"]) == (2, 87.5, "B")
    assert body["total"]["skm_respondents"] == 2 and body["total"]["ikm"] == 87.5
    assert "87.5 (B" in client.get("/transparansi/demo").get_data(as_text=True)


def test_the_status_page_shows_the_standard_and_which_ticket_to_mention_at_lapor(client, demo, clock):
    clock.current = NOVEMBER
    ticket = tickets.issue_ticket(demo, "demo", "A", now=clock())
    html = client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert "Fotokopi Kartu Keluarga" in html and "1 hari kerja" in html and "KTP elektronik" in html
    assert "https://www.lapor.go.id" in html and "kotak saran di lobi" in html
    assert f"{ticket['number']}" in html and "Senin, 23 November 2026" in html
    assert "lapor.go.id/?" not in html and "lapor.go.id?" not in html   # no invented parameters


def test_the_booking_calendar_shows_what_to_bring_before_the_slot_choice(client, demo, clock):
    clock.current = NOVEMBER
    html = client.get("/booking/demo/A").get_data(as_text=True)
    assert html.count('id="booking-standard"') == 1
    assert html.index("Fotokopi Kartu Keluarga") < html.index("booking-days")


def test_the_kiosk_carries_the_standards_and_the_display_the_pledge_only_when_enabled(client, demo, clock):
    from queueapp.services import offices
    from tests.support import pair_browser
    pair_browser(client, demo)
    kiosk = client.get("/kiosk/demo?kiosk=lobi&lang=id").get_data(as_text=True)
    assert 'id="k-standards"' in kiosk and "Fotokopi Kartu Keluarga" in kiosk and "requirements.js" in kiosk
    assert 'id="pledge-slide"' not in client.get("/display/demo").get_data(as_text=True)
    offices.update_office(demo, None, "demo", {"pledge_on_display": True, "pledge": "Kami siap melayani."},
                          now=clock())
    board = client.get("/display/demo").get_data(as_text=True)
    assert 'id="pledge-slide"' in board and "Kami siap melayani." in board and "pledge.js" in board


def test_the_month_cache_keeps_figures_a_minute_and_forgets_expired_months():
    from queueapp.queries.transparency import MonthCache
    now = [0.0]
    cache, built = MonthCache(seconds=60, clock=lambda: now[0]), []

    def build(value):
        return lambda: built.append(value) or {"value": value}
    assert cache.get(("demo", "2026-11"), build(1)) == {"value": 1}
    now[0] = 59.0
    assert cache.get(("demo", "2026-11"), build(2)) == {"value": 1} and built == [1]
    now[0] = 61.0
    assert cache.get(("demo", "2001-01"), build(3)) == {"value": 3}
    assert set(cache.entries) == {("demo", "2001-01")} and set(cache.locks) == {("demo", "2001-01")}
    assert cache.get(("demo", "2026-11"), build(4)) == {"value": 4}
