"""A citizen books on a phone-sized Chromium against a real server, then cancels."""
import re

import pytest
import requests

pytestmark = pytest.mark.browser


def test_a_citizen_books_a_slot_gets_a_code_and_qr_and_cancels(live_server, phone):
    phone.goto(live_server.url + "/booking/demo?lang=id")
    phone.get_by_role("link", name="Pilih hari").first.click()
    phone.locator(".booking-days .day.open a").first.click()
    phone.locator(".booking-slots a.button").first.click()
    phone.wait_for_load_state()   # the form's script (digits only in the NIK) runs before "load"
    phone.fill("input[name=name]", "Rina Wulandari")
    phone.fill("input[name=phone]", "0812 7777 1234")
    phone.fill("input[name=nik]", "3174-0123-4567-0009")  # the page keeps digits only
    assert phone.input_value("input[name=nik]") == "3174012345670009"
    phone.get_by_role("button", name="Pesan waktu ini").click()
    phone.wait_for_selector("[data-code]")
    code = phone.inner_text("[data-code]")
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    assert "Janji temu Anda sudah tercatat" in phone.content()
    phone.wait_for_function("document.querySelector('img.qr').complete")
    assert phone.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    pdf = requests.get(live_server.url + phone.get_attribute("text=Unduh PDF", "href"), timeout=10)
    assert pdf.content[:4] == b"%PDF"
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Batalkan janji temu").click()
    phone.wait_for_selector("text=Dibatalkan")
