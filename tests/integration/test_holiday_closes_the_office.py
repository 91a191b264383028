"""A listed holiday closes the office for walk-ins too (kiosk page and ticket API), on
the office's own date: the bug where the kiosk still issued A-001 on a holiday."""
from datetime import datetime, timezone

from sqlalchemy import select, update

from queueapp.models import Office

from ..conftest import token_for
from ..support import set_walk_in_hours
from .test_kiosk_page import kiosk_config
from ..support import pair_browser

HOLIDAY = "Hari Raya Natal (contoh)"


def test_a_listed_holiday_closes_the_kiosk_and_the_ticket_api_in_the_offices_time_zone(client, demo, clock):
    pair_browser(client, demo)
    with demo.write() as uow:
        uow.session.execute(update(Office).values(timezone="Asia/Jayapura"))  # WIT, UTC+9
    headers = {"Authorization": f"Bearer {token_for(demo, 'supervisor')}"}
    added = client.post("/api/v1/offices/demo/holidays", headers=headers,
                        json={"holidays": [{"date": "2026-11-24", "name": HOLIDAY}]})
    assert added.status_code == 201

    clock.current = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)   # Monday 23:30 WIT
    assert client.post("/api/v1/offices/demo/tickets", json={"service": "A"}).status_code == 201

    clock.current = datetime(2026, 11, 23, 15, 30, tzinfo=timezone.utc)   # Tuesday 00:30 WIT: the holiday
    refused = client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "office_closed"
    assert HOLIDAY in refused.get_json()["error"]["message"]
    config = kiosk_config(client.get("/kiosk/demo", follow_redirects=True).get_data(as_text=True))
    assert config["office"]["open"] is False and config["office"]["holiday"] == HOLIDAY
    assert config["texts"]["closed_today"] == "Kantor tutup hari ini: %(holiday)s."
    assert not any(service["open"] for service in config["services"])
    offices = client.get("/api/v1/offices").get_json()
    assert offices[0]["open"] is False


def test_a_clerk_may_not_declare_a_holiday(client, demo):
    headers = {"Authorization": f"Bearer {token_for(demo, 'loket1')}"}
    refused = client.post("/api/v1/offices/demo/holidays", headers=headers,
                          json={"holidays": [{"date": "2026-11-24", "name": HOLIDAY}]})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/offices/demo/holidays", headers=headers).status_code == 200


def test_a_day_without_walk_in_hours_says_the_office_does_not_open_today(client, demo, clock):
    pair_browser(client, demo)
    with demo.write() as uow:
        set_walk_in_hours(uow.session, uow.session.execute(select(Office.id)).scalar_one(), "12345", "07:30", "16:00")
    clock.current = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)   # Sunday 10:00 WIB
    refused = client.post("/api/v1/offices/demo/tickets", json={"service": "A"}).get_json()["error"]
    assert refused == {"code": "office_closed", "message": "Kantor tidak buka hari ini."}
    config = kiosk_config(client.get("/kiosk/demo", follow_redirects=True).get_data(as_text=True))
    assert config["office"]["open"] is False and config["office"]["opens"] is None
    assert config["texts"]["closed_all_day"] == "Kantor tidak buka hari ini."
