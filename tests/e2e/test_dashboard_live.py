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

from ..support import LiveServer
from .conftest import kiosk_headers, prepare_instance, staff_token

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module, checking alerts every second (each test uses its own service)."""
    env = prepare_instance(tmp_path_factory.mktemp("dashboard")) | {"QUEUEAPP_ALERT_CHECK_SECONDS": "1"}
    live = LiveServer(env).start()
    yield live
    live.stop()


@pytest.fixture
def watched(browser, server):
    """The supervisor's dashboard, live."""
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
    issued = requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": "B"},
                           headers=kiosk_headers(server))
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
    expect(page.locator("#alerts li[data-alert='wait_over_target:C']")).to_have_count(0)
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


def test_the_supervisor_pauses_a_counter_and_cancels_a_ticket_from_the_dashboard(watched):
    server, page = watched
    assert requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": "D"},
                         headers=kiosk_headers(server)).status_code == 201
    expect(page.locator("tr[data-service='D'] [data-cell=waiting]")).to_have_text("1")
    page.click("tr[data-counter='2'] button[data-state='paused']")
    expect(page.locator("tr[data-counter='2'] [data-cell=state]")).to_have_text("Istirahat")
    expect(page.locator("tr[data-counter='2'] [data-cell=clerk]")).to_have_text("Kepala Seksi Pelayanan")
    page.fill("#ticket-number", "d-001")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#cancel-ticket")
    expect(page.locator("#message")).to_have_text("D-001 · Dibatalkan")
    expect(page.locator("[data-total=cancelled]")).to_have_text("1")
    expect(page.locator("tr[data-service='D'] [data-cell=waiting]")).to_have_text("0")
