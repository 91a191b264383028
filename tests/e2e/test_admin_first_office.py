"""From an empty database to a first call, in the browser only: the owner creates a WITA
office and its admin; the admin adds two services, a counter, the hours and a clerk; the
office's kiosk issues A-001 on the office's own business day, the clerk calls it, the
display shows it, and a renamed service reaches the open kiosk without a reload."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from queueapp.db import Database
from queueapp.models import Ticket
from queueapp.schema import upgrade
from queueapp.services import staff

from ..support import LiveServer
from .test_display_announcements import STUB_PLAYER
from .test_kiosk_flow import RECORD_PRINTS

pytestmark = pytest.mark.browser
PASSWORD = "teh-manis-hangat"


@pytest.fixture
def empty_server(tmp_path):
    url = f"sqlite:///{tmp_path / 'queueapp.db'}"
    db = Database(url)
    upgrade(db.engine)
    env = {"QUEUEAPP_INSTANCE_PATH": str(tmp_path), "QUEUEAPP_DATABASE_URL": url, "QUEUEAPP_SECRET_KEY": "e2e"}
    server = LiveServer(env).start()
    server.db = db
    yield server
    server.stop()
    db.dispose()


def log_in(page, url, username):
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def submit(page, form="form.stacked"):
    page.locator(form).locator("button[type=submit]").first.click()


def test_an_office_is_set_up_in_the_browser_and_serves_its_first_citizen(browser, empty_server):
    url, db = empty_server.url, empty_server.db
    owner_ctx = browser.new_context(locale="id-ID")
    page = owner_ctx.new_page()
    page.goto(url + "/login")
    expect(page.locator("body")).to_contain_text("queueapp create-user")      # first run: how to begin
    staff.create_user(db, "diskominfo", PASSWORD, office_slug=None, role="owner")

    # The owner: a WITA office, and its admin.
    log_in(page, url, "diskominfo")
    expect(page).to_have_url(url + "/admin")
    page.fill("#slug", "kec-mariso")
    page.fill("#name", "Kantor Kecamatan Mariso")
    page.select_option("#timezone", "Asia/Makassar")
    submit(page, "#new-office")
    expect(page.locator("main")).to_contain_text("Kantor Kecamatan Mariso")
    page.goto(url + "/admin/kec-mariso/staff")
    page.fill("#username", "admin.mariso")
    page.fill("#password", PASSWORD)
    page.select_option("#role", "admin")
    submit(page)
    expect(page.locator("main")).to_contain_text("admin.mariso")
    owner_ctx.close()

    # The admin: two services, a counter, the hours, a clerk.
    admin_ctx = browser.new_context(locale="id-ID")
    admin = admin_ctx.new_page()
    log_in(admin, url, "admin.mariso")
    expect(admin).to_have_url(url + "/admin/kec-mariso")
    for code, name in (("A", "KTP-el"), ("B", "Kartu Keluarga")):
        admin.goto(url + "/admin/kec-mariso/services/new")
        admin.fill("#code", code)
        admin.fill("#name", name)
        admin.fill("#expected_minutes", "8")
        submit(admin)
        expect(admin.locator("main")).to_contain_text(name)
    admin.goto(url + "/admin/kec-mariso/services/new")
    admin.fill("#code", "A")                                                    # taken: said, typed value kept
    admin.fill("#name", "Duplikat")
    submit(admin)
    expect(admin.locator("main")).to_contain_text("A sudah dipakai")
    expect(admin.locator("#name")).to_have_value("Duplikat")
    admin.goto(url + "/admin/kec-mariso/counters/new")
    admin.fill("#number", "1")
    admin.fill("#name", "Loket 1")
    admin.fill("#order_A", "1")
    admin.fill("#order_B", "2")
    admin.select_option("#state", "open")
    submit(admin)
    expect(admin.locator("main")).to_contain_text("Loket 1")
    admin.goto(url + "/admin/kec-mariso/hours")
    for row in range(7):                                                       # the kiosk opens all day, every day
        admin.fill(f"#rows-{row}-opens", "00:00")
        admin.fill(f"#rows-{row}-closes", "24:00")
    admin.locator("#hours-form button[type=submit]").click()
    expect(admin.locator(".flash")).to_be_visible()
    admin.goto(url + "/admin/kec-mariso/staff")
    admin.fill("#username", "loket1.mariso")
    admin.fill("#password", PASSWORD)
    admin.select_option("#role", "clerk")
    submit(admin)
    expect(admin.locator("main")).to_contain_text("loket1.mariso")

    # The lobby: a display and the kiosk of the new office.
    display = browser.new_context().new_page()
    display.add_init_script(STUB_PLAYER)
    display.goto(url + "/display/kec-mariso")
    display.click("#start-button")
    display.wait_for_function("document.body.dataset.seq !== undefined")
    kiosk = browser.new_context(locale="id-ID").new_page()
    kiosk.add_init_script(RECORD_PRINTS)
    from queueapp.services.kiosks import new_device_token
    kiosk.goto(url + f"/kiosk/kec-mariso?kiosk=lobi&pair={new_device_token(db, 'kec-mariso', 'lobi')}")
    kiosk.locator('.k-service[data-service="A"]').click()
    kiosk.locator('[data-priority=""]').click()
    expect(kiosk.locator("#k-number")).to_have_text("A-001")
    with db.read() as s:
        ticket = s.query(Ticket).one()
    assert ticket.business_date == datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Makassar")).date()

    # The clerk calls it; the display shows it.
    clerk = browser.new_context(locale="id-ID").new_page()
    log_in(clerk, url, "loket1.mariso")
    expect(clerk).to_have_url(url + "/counter")
    clerk.locator("a[data-counter='1']").click()
    expect(clerk.locator("#counter-state")).to_have_text("Buka")
    expect(clerk.locator("#waiting-list li")).to_have_count(1)
    clerk.locator("[data-action='call-next']").click()
    expect(clerk.locator("#current-number")).to_have_text("A-001")
    expect(display.locator("#latest-number")).to_have_text("A-001", timeout=15000)

    # A renamed service reaches the open kiosk live.
    admin.goto(url + "/admin/kec-mariso/services/A")
    admin.fill("#name", "KTP Elektronik")
    submit(admin)
    expect(kiosk.locator('.k-service[data-service="A"]')).to_contain_text("KTP Elektronik", timeout=10000)
