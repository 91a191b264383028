"""The kiosk as a real hall meets it, in Chromium at the kiosks' real sizes: a portrait floor
kiosk (1080x1920) with its choices in the reach zone, landscape kiosks (1920x1080, 1366x768)
that fit without scrolling, office names of any length in both languages; printing that
fails or never finishes (the number and QR large on screen, the printer state on the
server); a kiosk marked out of paper; check-in keeping the typed code; the favicon."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
import requests
from PIL import Image
from sqlalchemy import select

from queueapp.db import Database
from queueapp.domain.printer import PrinterState
from queueapp.models import Kiosk
from queueapp.services import kiosk_printers, offices

from .conftest import pair

pytestmark = pytest.mark.browser

SIZES = [(1080, 1920), (1920, 1080), (1366, 768)]
NAMES = ["Kantor Kecamatan Demo", "Mal Pelayanan Publik Kabupaten Sidoarjo",
         "Mal Pelayanan Publik Terpadu Kabupaten Kepulauan Seribu Provinsi Daerah Khusus Jakarta Raya"]
# The reach zone of a portrait floor kiosk, in CSS pixels from the top (docs/KIOSK.md).
REACH_TOP, REACH_BOTTOM = 700, 1500
RECORD_PRINTS = "window.kioskPrintFrame = function (frame) { window.printed = (window.printed || 0) + 1; };"


def now():
    return datetime.now(timezone.utc)


@pytest.fixture(scope="module")
def db(live_server):
    database = Database(live_server.database_url)
    yield database
    database.dispose()


@pytest.fixture
def kiosk_at(browser, live_server):
    """kiosk_at(width, height, script=RECORD_PRINTS): a paired kiosk page of that size."""
    contexts = []

    def open_kiosk(width: int, height: int, script: str = RECORD_PRINTS):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(script)
        pair(page, live_server)
        return page
    yield open_kiosk
    for context in contexts:
        context.close()


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 120), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


def inside_viewport(page, selector: str) -> bool:
    return page.evaluate("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return box.width > 0 && box.left >= 0 && box.top >= 0 &&
               box.right <= document.documentElement.clientWidth && box.bottom <= window.innerHeight;
    }""", selector)


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_every_size_and_office_name_fits_with_the_choices_in_reach(live_server, db, kiosk_at):
    offices.set_logo(db, None, "demo", logo_png(), now=now())
    try:
        for width, height in SIZES:
            page = kiosk_at(width, height)
            for name in NAMES:
                offices.update_office(db, None, "demo", {"name": name}, now=now())
                for lang in ("id", "en"):
                    page.goto(f"{live_server.url}/kiosk/demo?kiosk=lobi&lang={lang}")
                    page.locator('.k-service[data-service="F"]').wait_for()
                    where = f"{width}x{height} {lang} {name!r}"
                    assert page.locator(".k-office").inner_text() == name, where
                    assert no_horizontal_overflow(page), where
                    for selector in (".k-head", ".k-office", ".k-head .lang a", ".k-time", ".k-logo"):
                        assert inside_viewport(page, selector), f"{selector} clipped at {where}"
                    assert page.locator(".k-zone").inner_text() == "WIB"
                    services = box(page, "#k-services")
                    appointment = box(page, "#k-appointment")
                    if height > width:   # portrait floor kiosk: every choice in the reach zone
                        assert services["y"] >= REACH_TOP and appointment["y"] + appointment["height"] <= REACH_BOTTOM, where
                        intro = box(page, "#screen-start .k-intro")
                        assert intro["y"] + intro["height"] <= services["y"], where    # nothing hidden under the choices
                        assert box(page, ".k-service")["height"] >= 140
                    else:                # landscape: one page without scrolling
                        assert page.evaluate("document.querySelector('main').scrollHeight <= "
                                             "document.querySelector('main').clientHeight"), where
                    assert box(page, ".k-service")["height"] >= 96 and box(page, ".k-service")["width"] >= 300
    finally:
        offices.update_office(db, None, "demo", {"name": NAMES[0]}, now=now())
        offices.set_logo(db, None, "demo", None, now=now())


def test_the_priority_and_booking_code_screens_keep_their_choices_in_reach_on_portrait(live_server, kiosk_at):
    page = kiosk_at(1080, 1920)
    page.locator('.k-service[data-service="B"]').click()
    choices = page.locator("#screen-priority .k-reach").bounding_box()
    assert choices["y"] >= REACH_TOP and choices["y"] + choices["height"] <= REACH_BOTTOM
    page.locator("#screen-priority [data-back]").click()
    page.locator("#k-appointment").click()
    keys = page.locator("#screen-appointment .k-reach").bounding_box()
    assert keys["y"] >= REACH_TOP and keys["y"] + keys["height"] <= REACH_BOTTOM
    assert no_horizontal_overflow(page)


def printer_state(db) -> str | None:
    with db.read() as s:
        return s.execute(select(Kiosk.printer_state).where(Kiosk.name == "lobi")).scalar()


def take_ticket(page, service="E") -> str:
    page.locator(f'.k-service[data-service="{service}"]').click()
    page.locator('[data-priority=""]').first.click()
    page.locator("#k-number").wait_for(state="visible")
    return page.locator("#k-number").inner_text()


def assert_shown_to_photograph(page, text: str):
    fallback = page.locator("#k-fallback")
    fallback.wait_for(state="visible")
    assert fallback.inner_text() == text
    page.wait_for_function("document.getElementById('k-qr').complete && document.getElementById('k-qr').naturalWidth > 0")
    qr = page.locator("#k-qr").bounding_box()
    # Large enough to photograph: 300 CSS px is about 10 cm on a 22" 1366x768 panel.
    assert qr["width"] >= 300 and qr["height"] >= 300
    assert page.evaluate("document.querySelector('#k-number').getBoundingClientRect().height") >= 150
    assert page.locator("#k-qr").get_attribute("src").endswith("/qr.svg")
    assert "/t/" in decode_qr(page.locator("#k-qr").screenshot())   # the ticket's status page, as on paper
    assert inside_viewport(page, "#k-qr") and inside_viewport(page, "#k-number")


@pytest.mark.parametrize("hook", [
    "window.kioskPrintFrame = function () { throw new Error('printer offline'); };",
    "window.kioskPrintTimeoutMs = 300; window.kioskPrintFrame = function () { return new Promise(function () {}); };",
], ids=["throws", "never-completes"])
def test_a_print_that_cannot_be_confirmed_shows_the_number_and_qr_and_tells_the_server(
        live_server, db, kiosk_at, hook):
    page = kiosk_at(1080, 1920, hook)
    kiosk_printers.record_printer_state(db, kiosk_id(db), PrinterState.OK, now=now())
    page.reload()
    take_ticket(page)
    assert_shown_to_photograph(page, "Tiket tidak dapat dicetak. Silakan foto nomor antrian dan kode QR Anda.")
    assert page.locator("#k-print-status").inner_text() == "Tiket tidak dapat dicetak. Nomor antrian Anda tetap berlaku."
    for _ in range(50):
        if printer_state(db) == "unconfirmed":
            break
        page.wait_for_timeout(100)
    assert printer_state(db) == "unconfirmed"


def decode_qr(png: bytes) -> str:
    import zxingcpp
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(codes) == 1
    return codes[0].text


def test_a_ticket_that_was_not_printed_stays_on_screen_three_times_as_long(live_server, kiosk_at):
    page = kiosk_at(1080, 1920, "window.kioskPrintFrame = function () { throw new Error('jammed'); };")
    page.clock.install()
    page.goto(f"{live_server.url}/kiosk/demo?kiosk=lobi&lang=id")
    take_ticket(page, "F")
    page.locator("#k-fallback").wait_for(state="visible")
    page.clock.fast_forward(60_000)          # a printed ticket would be gone after 30 s
    assert page.locator("#screen-ticket").is_visible()
    page.clock.fast_forward(31_000)          # 90 s
    page.locator("#screen-start").wait_for(state="visible")


def kiosk_id(db) -> int:
    with db.read() as s:
        return s.execute(select(Kiosk.id).where(Kiosk.name == "lobi")).scalar_one()


def test_a_kiosk_marked_out_of_paper_shows_each_number_on_screen_without_printing(live_server, db, kiosk_at):
    page = kiosk_at(1366, 768)
    kiosk_printers.mark_out_of_paper(db, None, kiosk_id(db), True, now=now())
    try:
        page.goto(f"{live_server.url}/kiosk/demo?kiosk=lobi&lang=id")
        take_ticket(page, "C")
        assert_shown_to_photograph(page, "Kertas habis, silakan foto nomor Anda.")
        assert page.evaluate("window.printed || 0") == 0
        assert no_horizontal_overflow(page)
    finally:
        kiosk_printers.mark_out_of_paper(db, None, kiosk_id(db), False, now=now())


def test_a_printed_ticket_reports_the_printer_ok_again(live_server, db, kiosk_at):
    page = kiosk_at(1920, 1080)
    kiosk_printers.record_printer_state(db, kiosk_id(db), PrinterState.UNCONFIRMED, now=now())
    page.reload()
    take_ticket(page, "B")
    page.wait_for_function("window.printed === 1")
    assert page.locator("#k-print-status").inner_text() == "Silakan ambil tiket cetak Anda."
    assert page.locator("#k-fallback").is_hidden()
    for _ in range(50):
        if printer_state(db) == "ok":
            break
        page.wait_for_timeout(100)
    assert printer_state(db) == "ok"


def test_a_wrong_booking_code_stays_in_the_box_to_be_corrected(live_server, kiosk_at):
    page = kiosk_at(1080, 1920)
    page.locator("#k-appointment").click()
    page.locator("#k-code").fill("BK-12345")
    page.keyboard.press("Enter")
    page.locator("#k-code-error").wait_for(state="visible")
    assert page.locator("#k-code").input_value() == "BK-12345"


def test_the_large_text_switch_is_in_reach_and_ends_with_the_citizen(live_server, kiosk_at):
    page = kiosk_at(1080, 1920)
    toggle = page.locator("#k-contrast")
    bounds = toggle.bounding_box()
    assert bounds["y"] >= REACH_TOP and bounds["y"] + bounds["height"] <= REACH_BOTTOM
    toggle.click()
    assert page.evaluate("document.body.classList.contains('k-large')")
    assert toggle.get_attribute("aria-pressed") == "true" and no_horizontal_overflow(page)
    page.locator('.k-service[data-service="A"]').click()
    page.locator("#screen-priority [data-back]").click()
    assert not page.evaluate("document.body.classList.contains('k-large')")


def test_every_screen_has_the_favicon_and_no_request_fails(live_server, page):
    icon = requests.get(f"{live_server.url}/favicon.ico", timeout=5)
    assert icon.status_code == 200 and icon.headers["Content-Type"] == "image/vnd.microsoft.icon"
    assert Image.open(io.BytesIO(icon.content)).format == "ICO"
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in ("/", "/kiosk/demo?lang=id", "/display/demo", "/login", "/booking/demo"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator('link[rel="icon"]').get_attribute("href") == "/favicon.ico", path
        assert page.evaluate("fetch('/favicon.ico').then(r => r.status)") == 200
    assert failed == []
