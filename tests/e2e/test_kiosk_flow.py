"""End to end in headless Chromium: a citizen takes a number at the kiosk, scans the QR
to open the status page, and watches it change live as a counter calls."""
from __future__ import annotations

import io
import re

import pytest
import requests
from playwright.sync_api import expect

from .conftest import kiosk_headers, pair, staff_token

pytestmark = pytest.mark.browser

# Headless Chromium cannot print (print() on a PDF frame crashes the page), so the kiosk
# is given a recorder in place of the frame's print dialog, the one step a test cannot take.
RECORD_PRINTS = """
window.kioskPrintFrame = function (frame) {
  window.printed = (window.printed || []).concat([frame.src]);
};
"""


@pytest.fixture
def kiosk(page, live_server):
    page.add_init_script(RECORD_PRINTS)
    pair(page, live_server)
    return page


def decode_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(codes) == 1
    return codes[0].text


def counter_id(server, number: int) -> int:
    counters = requests.get(f"{server.url}/api/v1/offices/demo/counters", timeout=5).json()
    return next(c["id"] for c in counters if c["number"] == number)


def call_next(server, token: str, counter: int) -> dict:
    response = requests.post(f"{server.url}/api/v1/counters/{counter}/call-next",
                             headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_kiosk_ticket_is_followed_live_on_the_phone(live_server, browser, kiosk):
    page = kiosk
    # Someone of a priority group is already waiting for KTP-el.
    ahead = requests.post(f"{live_server.url}/api/v1/offices/demo/tickets",
                          json={"service": "A", "priority": "disabilitas"}, headers=kiosk_headers(live_server),
                          timeout=5).json()
    pdf_requests = []
    page.on("request", lambda request: pdf_requests.append(request.url) if "ticket.pdf" in request.url else None)

    page.goto(f"{live_server.url}/kiosk/demo")
    service = page.locator('.k-service[data-service="A"]')
    assert re.search(r"1 menunggu", service.inner_text())
    box = service.bounding_box()
    assert box["height"] >= 64 and box["width"] >= 64
    service.click()

    page.locator('[data-priority="lansia"]').click()
    number = page.locator("#k-number")
    number.wait_for(state="visible")
    assert number.inner_text() == "A-002"
    assert page.locator("#k-priority-mark").inner_text() == "PRIORITAS: Lansia"
    assert page.locator("#k-ahead").inner_text() == "Antrian di depan Anda: 1"
    page.wait_for_function("document.getElementById('k-qr').complete && document.getElementById('k-qr').naturalWidth > 0")
    status_url = decode_qr(page.locator("#k-qr").screenshot())
    assert re.fullmatch(rf"{re.escape(live_server.url)}/t/[\w-]+", status_url)
    page.wait_for_function("window.printed && window.printed.length === 1")
    assert page.evaluate("window.printed[0]").startswith("blob:")
    assert len(pdf_requests) == 1 and pdf_requests[0].endswith("/ticket.pdf?paper=80")
    assert page.locator("#k-print-status").inner_text() == "Silakan ambil tiket cetak Anda."

    phone = browser.new_context(viewport={"width": 390, "height": 780}, locale="id-ID", is_mobile=True, has_touch=True)
    try:
        status = phone.new_page()
        status.goto(status_url)
        assert status.locator("#number").inner_text() == "A-002"
        assert status.locator("#position").inner_text() == "1"
        assert status.locator("#called").is_hidden()
        status.wait_for_function("window.__statusLive !== undefined")

        clerk = staff_token(live_server, "loket1")
        loket1 = counter_id(live_server, 1)
        first = call_next(live_server, clerk, loket1)
        assert first["number"] == ahead["number"]
        status.wait_for_function("document.getElementById('position').textContent === '0'", timeout=10000)
        requests.post(f"{live_server.url}/api/v1/tickets/{first['id']}/finish",
                      headers={"Authorization": f"Bearer {clerk}"}, timeout=5).raise_for_status()

        assert call_next(live_server, clerk, loket1)["number"] == "A-002"
        status.locator("#called").wait_for(state="visible", timeout=10000)
        assert status.locator("#counter").inner_text() == "Loket 1"
        assert "Dipanggil" in status.locator("#status").inner_text()
        assert status.locator("#wait").is_hidden()
    finally:
        phone.close()


def test_an_unpaired_kiosk_says_so_instead_of_offering_services(live_server, page):
    page.goto(f"{live_server.url}/kiosk/demo")
    expect(page.locator("#screen-unpaired")).to_be_visible()
    expect(page.locator("#k-unpaired")).to_contain_text("Kios ini belum dipasangkan")
    assert page.locator("#screen-start").is_hidden()


def test_the_kiosk_keeps_its_service_buttons_live(live_server, kiosk):
    page = kiosk
    page.goto(f"{live_server.url}/kiosk/demo")
    service = page.locator('.k-service[data-service="E"]')
    assert "0 menunggu" in service.inner_text()
    page.wait_for_function("document.getElementById('k-offline').hidden")
    requests.post(f"{live_server.url}/api/v1/offices/demo/tickets", json={"service": "E"},
                  headers=kiosk_headers(live_server), timeout=5)
    page.wait_for_function(
        "document.querySelector('.k-service[data-service=\"E\"]').textContent.indexOf('1 menunggu') >= 0",
        timeout=10000)


def test_a_double_tap_issues_one_ticket(live_server, kiosk):
    page = kiosk
    page.goto(f"{live_server.url}/kiosk/demo")
    page.locator('.k-service[data-service="F"]').click()
    page.locator('[data-priority=""]').first.dblclick()
    page.locator("#k-number").wait_for(state="visible")
    assert page.locator("#k-number").inner_text() == "F-001"
    services = requests.get(f"{live_server.url}/api/v1/offices/demo/services", timeout=5).json()
    assert next(s for s in services if s["code"] == "F")["waiting"] == 1


def test_an_unknown_booking_code_is_answered_clearly(live_server, kiosk):
    page = kiosk
    page.goto(f"{live_server.url}/kiosk/demo")
    page.locator("#k-appointment").click()
    page.locator("#k-code").fill("BK-12345")
    page.keyboard.press("Enter")
    error = page.locator("#k-code-error")
    error.wait_for(state="visible")
    assert "Kode tidak dikenal" in error.inner_text()


def test_a_scanner_on_the_start_screen_goes_straight_to_check_in(live_server, kiosk):
    page = kiosk
    page.goto(f"{live_server.url}/kiosk/demo")
    page.keyboard.type("QR-77881", delay=5)
    page.keyboard.press("Enter")
    page.locator("#k-code-error").wait_for(state="visible")
    assert page.locator("#screen-appointment").is_visible()


def test_the_kiosk_switches_to_english(live_server, kiosk):
    page = kiosk
    page.goto(f"{live_server.url}/kiosk/demo")
    page.get_by_text("English").click()
    page.locator("h1", has_text="Please choose a service").wait_for()
    assert "waiting" in page.locator('.k-service[data-service="A"]').inner_text()


def test_a_failed_print_is_shown_and_the_ticket_can_be_printed_again(live_server, page):
    page.add_init_script("""
      window.kioskPrintFrame = function (frame) {
        window.attempts = (window.attempts || 0) + 1;
        if (window.attempts === 1) { throw new Error("printer offline"); }
      };
    """)
    pair(page, live_server)
    page.locator('.k-service[data-service="D"]').click()
    page.locator('[data-priority=""]').first.click()
    failed = page.locator("#k-print-status.k-failed")
    failed.wait_for()
    assert failed.inner_text() == "Tiket tidak dapat dicetak. Nomor antrian Anda tetap berlaku."
    number = page.locator("#k-number").inner_text()
    page.locator("#k-reprint").click()
    page.wait_for_function("window.attempts === 2")
    assert page.locator("#k-print-status").inner_text() == "Silakan ambil tiket cetak Anda."
    assert page.locator("#k-number").inner_text() == number


def test_the_kiosk_returns_to_the_start_screen_when_left_alone(live_server, kiosk):
    page = kiosk
    page.clock.install()
    page.goto(f"{live_server.url}/kiosk/demo?lang=en")
    page.locator('.k-service[data-service="C"]').click()
    assert page.locator("#screen-priority").is_visible()
    page.clock.fast_forward(46_000)
    # Back at the start, and back in Bahasa Indonesia for the next citizen.
    page.locator("h1", has_text="Pilih layanan").wait_for()
    assert page.locator("#screen-start").is_visible()


def test_a_booked_citizen_checks_in_at_the_kiosk_and_gets_an_appointment_ticket(live_server, kiosk):
    """The kiosk (issue 4) and the booking check-in (issue 6) together: a code booked for
    now, typed at the kiosk, becomes a printed ticket that stands in line from its slot."""
    import secrets
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import select

    from queueapp.db import Database
    from queueapp.models import Appointment, Office, Service

    now = datetime.now(timezone.utc).replace(microsecond=0)
    db = Database(live_server.database_url)
    with db.write() as uow:
        office = uow.session.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        service = uow.session.execute(select(Service).where(
            Service.office_id == office.id, Service.prefix == "B")).scalar_one()
        uow.session.add(Appointment(office_id=office.id, service_id=service.id, slot_start=now,
                                    slot_end=now + timedelta(minutes=15), code="KTPA2345",
                                    manage_token=secrets.token_urlsafe(24), name="Warga Uji",
                                    phone="081200000000", created_at=now - timedelta(days=2)))
    db.dispose()
    page = kiosk
    page.goto(f"{live_server.url}/kiosk/demo")
    page.locator("#k-appointment").click()
    page.locator("#k-code").fill("ktpa-2345")
    page.keyboard.press("Enter")
    page.locator("#k-number").wait_for(state="visible")
    number = page.locator("#k-number").inner_text()
    assert number.startswith("B-")
    page.wait_for_function("(window.printed || []).length === 1")
    status = requests.get(f"{live_server.url}/api/v1/offices/demo/board", timeout=5).json()
    assert {s["code"]: s["waiting"] for s in status["services"]}["B"] >= 1
    assert "Warga Uji" not in page.content()


def test_a_kiosk_of_one_agency_offers_its_services_only_and_follows_admin_changes(live_server, kiosk):
    from datetime import datetime, timezone

    from queueapp.db import Database
    from queueapp.services import catalog, devices, offices
    db = Database(live_server.database_url)
    now = datetime.now(timezone.utc)
    zone = offices.add_zone(db, None, "demo", name="Imigrasi", agency="Kantor Imigrasi", now=now)
    catalog.add_service(db, None, "demo", {"code": "P", "name": "Paspor", "zone_id": zone}, now=now)
    devices.add_kiosk(db, None, "demo", {"name": "imigrasi", "zone_id": zone}, now=now)
    pair(kiosk, live_server, kiosk="imigrasi")
    buttons = kiosk.locator(".k-service")
    expect(buttons).to_have_count(1)
    renamed = requests.patch(f"{live_server.url}/api/v1/offices/demo/services/P", json={"name": "Paspor Biasa"},
                             headers={"Authorization": f"Bearer {staff_token(live_server, 'admin')}"}, timeout=5)
    assert renamed.status_code == 200, renamed.text     # the server tells every screen of the office
    expect(kiosk.locator('.k-service[data-service="P"]')).to_contain_text("Paspor Biasa", timeout=10000)
    expect(buttons).to_have_count(1)
    db.dispose()
