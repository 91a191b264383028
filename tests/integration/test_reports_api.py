"""The reports API and pages: who may read them, refused periods in the one error shape,
the downloads, and a zone's member seeing only its zone."""
import csv
import io

import pytest

from ..conftest import actor_of
from ..support import log_in
from .catalog_fixtures import cast
from .report_days import play_random_day, pure_records

SUMMARY = "/api/v1/offices/demo/reports/summary"
MONDAY = {"from": "2026-11-23", "to": "2026-11-23"}


@pytest.fixture
def people(demo):
    return cast(demo)


@pytest.fixture
def day(demo, clock, people):
    play_random_day(demo, clock, seed=5, steps=80)
    return demo


def error_of(response):
    return response.get_json()["error"]


@pytest.mark.parametrize("who, status", [("owner", 200), ("admin", 200), ("supervisor", 200), ("clerk", 403),
                                         ("other-admin", 403), ("other-supervisor", 403), ("other-clerk", 403)])
def test_supervisors_admins_and_owners_read_the_summary_and_nobody_else(client, people, who, status):
    response = client.get(SUMMARY, query_string=MONDAY, headers=people[who])
    assert response.status_code == status, response.get_json()
    if status == 403:
        assert error_of(response)["code"] == "forbidden"


def test_without_credentials_it_is_401_and_an_unknown_office_404(client, people):
    assert client.get(SUMMARY, query_string=MONDAY).status_code == 401
    response = client.get("/api/v1/offices/nowhere/reports/summary", query_string=MONDAY, headers=people["owner"])
    assert response.status_code == 404 and error_of(response)["code"] == "office_not_found"


@pytest.mark.parametrize("query", [{"from": "2026-11-24", "to": "2026-11-23"}, {"from": "23-11-2026"},
                                   {"from": "2026-01-01", "to": "2027-06-30"}, {"month": "2026-13"},
                                   {"quarter": "2026-Q5"}, {}, {"from": "2026-11-23", "by": "colour"}])
def test_a_reversed_unparsable_or_too_long_period_is_422_in_the_error_shape(client, people, query):
    response = client.get(SUMMARY, query_string=query, headers=people["supervisor"])
    assert response.status_code == 422
    assert set(error_of(response)) == {"code", "message"} and error_of(response)["code"] == "invalid_input"


def test_the_longest_range_follows_the_setting(app, client, people):
    app.config["REPORT_MAX_DAYS"] = 31
    assert client.get(SUMMARY, query_string={"month": "2026-10"}, headers=people["supervisor"]).status_code == 200
    assert client.get(SUMMARY, query_string={"from": "2026-10-01", "to": "2026-11-01"},
                      headers=people["supervisor"]).status_code == 422


def test_the_summary_has_the_figures_by_service_and_by_hour(client, day, people):
    body = client.get(SUMMARY, query_string={**MONDAY, "by": "clerk,weekday"}, headers=people["supervisor"]).get_json()
    records = pure_records(day)
    assert body["issued"] == len(records)
    assert set(body["wait_minutes"]) == {"count", "mean", "p50", "p90"}
    assert sum(line["issued"] for line in body["by_service"]) == body["issued"]
    assert sum(line["issued"] for line in body["by_hour"]) == body["issued"]
    assert body["by_weekday"][0]["key"] == 1 and "by_clerk" in body
    assert body["period"] == {"kind": "day", "label": "2026-11-23", "from": "2026-11-23", "to": "2026-11-23",
                              "days": 1}


def test_a_zone_s_member_sees_only_its_zone_s_services(client, day, people, demo):
    with demo.write() as uow:  # Dukcapil's service K gets a ticket's worth of history
        from sqlalchemy import select

        from queueapp.models import Service, Ticket
        k = uow.session.execute(select(Service).where(Service.prefix == "K")).scalar_one()
        ticket = uow.session.execute(select(Ticket).order_by(Ticket.id)).scalars().first()
        ticket.service_id = k.id
    body = client.get(SUMMARY, query_string=MONDAY, headers=people["dukcapil-admin"]).get_json()
    assert body["issued"] == 1 and [line["key"] for line in body["by_service"]] == ["K"]
    refused = client.get(SUMMARY, query_string={**MONDAY, "service": "A"}, headers=people["dukcapil-admin"])
    assert refused.status_code == 403


def test_the_tickets_csv_has_one_row_per_ticket_and_no_personal_data(client, day, people):
    response = client.get("/api/v1/offices/demo/reports/tickets.csv", query_string=MONDAY,
                          headers=people["supervisor"])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == len(pure_records(day))
    assert not {"name", "phone", "nik", "token", "code"} & set(rows[0])


def test_the_workbook_has_a_summary_sheet_and_a_raw_sheet(client, day, people):
    from openpyxl import load_workbook
    response = client.get("/api/v1/offices/demo/reports/summary.xlsx", query_string=MONDAY,
                          headers=people["admin"])
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    summary, raw = book.worksheets
    assert len(list(raw.iter_rows(values_only=True))) == len(pure_records(day)) + 1
    assert ("by_service",) in [row[:1] for row in summary.iter_rows(values_only=True)]


def test_the_report_page_shows_figures_charts_and_download_links(client, day, people):
    log_in(client, "supervisor")
    page = client.get("/reports/demo?period=day&from=2026-11-23&to=2026-11-23&lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in html and "Tickets issued per hour" in html and "tickets.csv" in html
    assert "<script" not in html and " onclick=" not in html
    assert client.get("/reports").headers["Location"].endswith("/reports/demo")


def test_a_clerk_cannot_open_the_report_page(client, people):
    log_in(client, "loket1")
    assert client.get("/reports/demo").status_code == 403
