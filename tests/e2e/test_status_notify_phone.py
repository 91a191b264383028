"""On a phone, a waiting citizen asks for SMS updates on the status page: a refusal keeps
what they typed; once agreed, the page names the channel and only the number's last three
digits, and "stop" brings the form back."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .axe_check import PHONE
from .citizens import issue
from .conftest import prepare_instance

pytestmark = pytest.mark.browser


def test_a_waiting_citizen_asks_for_sms_updates_and_stops_them(start_server, browser, tmp_path):
    env = prepare_instance(tmp_path / "notify-phone")
    env.update({"QUEUEAPP_SMS_URL": "http://127.0.0.1:9/send", "QUEUEAPP_NOTIFY_WORKER": "0"})
    server = start_server(env=env)
    context = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    page = context.new_page()
    ticket = issue(server, "A")
    page.goto(f"{server.url}/t/{ticket['token']}")
    form = page.locator("#notify-phone")
    expect(form.get_by_text("Kirim kabar lewat WhatsApp/SMS")).to_be_visible()
    expect(form.locator("input[value='whatsapp']")).to_have_count(0)   # no WhatsApp provider here

    page.fill("#notify-phone-number", "12345")
    form.locator("input[value='sms']").check()
    page.click("#notify-phone-send")
    expect(page.get_by_text("Masukkan nomor HP Indonesia", exact=False)).to_be_visible()
    expect(page.locator("#notify-phone-number")).to_have_value("12345")
    expect(page.locator("input[value='sms']")).to_be_checked()

    page.fill("#notify-phone-number", "0812 3456 7890")
    page.click("#notify-phone-send")
    expect(page.locator("#phase-waiting")).to_be_visible()
    expect(page.locator("#notify-phone")).to_contain_text("SMS")
    expect(page.locator("#notify-phone")).to_contain_text("•••890")
    assert "7890" not in page.content().replace("•••890", "")

    page.click("#notify-phone-stop")
    expect(page.locator("#notify-phone-send")).to_be_visible()
    context.close()
