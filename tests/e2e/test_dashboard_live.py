"""The supervisor's dashboard in a real browser: a counter's call shows within a second, and
a service whose longest wait passes its target is marked, live, with its alert."""
from datetime import datetime, timedelta, timezone

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import update

from queueapp.db import Database
from queueapp.models import Service
from queueapp.services import tickets

from .conftest import prepare_instance, staff_token

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(browser, start_server, tmp_path):
    """A server checking alerts every second, and the supervisor's dashboard, live."""
    env = prepare_instance(tmp_path / "instance") | {"QUEUEAPP_ALERT_CHECK_SECONDS": "1"}
    server = start_server(env=env)
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", "supervisor")
    page.fill("#password", "demo12345")
    page.click("button[type=submit]")
    page.goto(server.url + "/dashboard/demo")
    expect(page.locator("tr[data-counter='3']")).to_have_count(1)
    # Subscribed to the staff room: from here on every event reaches the page.
    page.wait_for_function("window.__dashboardLive && window.__dashboardLive.seq['staff:demo'] !== undefined")
    yield server, page
    context.close()


def test_a_call_at_a_counter_shows_on_the_dashboard_within_a_second(watched):
    server, page = watched
    issued = requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": "B"})
    assert issued.status_code == 201
    expect(page.locator("tr[data-service='B'] [data-cell=waiting]")).to_have_text("1")
    counters = requests.get(f"{server.url}/api/v1/offices/demo/counters").json()
    counter = next(c["id"] for c in counters if c["number"] == 3)
    token = staff_token(server, "loket3")
    called = requests.post(f"{server.url}/api/v1/counters/{counter}/call-next",
                           headers={"Authorization": f"Bearer {token}"})
    assert called.json()["number"] == "B-001"
    expect(page.locator("tr[data-counter='3'] [data-cell=current]")).to_contain_text("B-001", timeout=1000)
    # The fresh snapshot that follows names the clerk and empties B's line.
    expect(page.locator("tr[data-counter='3'] [data-cell=clerk]")).to_have_text("Petugas Loket 3")
    expect(page.locator("tr[data-service='B'] [data-cell=waiting]")).to_have_text("0")


def test_a_wait_past_the_target_is_marked_and_alerted_live(watched):
    server, page = watched
    expect(page.locator("#alerts li")).to_have_text(["Tidak ada peringatan."])
    expect(page.locator("tr[data-service='C']")).not_to_have_class("breach")
    db = Database(server.env["QUEUEAPP_DATABASE_URL"])
    try:
        with db.write() as uow:
            uow.session.execute(update(Service).where(Service.prefix == "C").values(target_wait_minutes=1))
        # Issued through the use case three minutes ago, by another process of the same
        # database: only the server's alert check can tell the dashboard.
        tickets.issue_ticket(db, "demo", "C", now=datetime.now(timezone.utc) - timedelta(minutes=3))
    finally:
        db.dispose()
    expect(page.locator("tr[data-service='C']")).to_have_class("breach", timeout=10000)
    expect(page.locator("#alerts li[data-alert='wait_over_target:C']")).to_contain_text("Layanan C")
    expect(page.locator("tr[data-service='C'] [data-cell=target]")).to_have_text("1 menit")
