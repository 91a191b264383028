"""The published service standard and the public performance page in a real Chromium:
the status page shows what to bring while the citizen waits, the kiosk's "Persyaratan"
button opens the standard before a number is taken, and an answer to the satisfaction
survey given on a phone (390x844) shows on /transparansi as one more respondent."""
from __future__ import annotations

import calendar
from datetime import datetime, timedelta, timezone

import pytest
import requests
from playwright.sync_api import expect

from .conftest import pair
from .test_survey_phone import answer_by_tapping, issue, open_survey_from_status_page, served_ticket

pytestmark = pytest.mark.browser


def test_the_status_page_shows_the_requirements_while_waiting(phone, live_server):
    ticket = issue(live_server, "A")
    phone.goto(f"{live_server.url}/t/{ticket['token']}")
    expect(phone.locator("#ticket")).to_have_attribute("data-status", "waiting")
    standard = phone.locator("#service-standard")
    expect(standard.get_by_text("Fotokopi Kartu Keluarga")).to_be_visible()    # open while waiting
    expect(standard.get_by_text("1 hari kerja")).to_be_visible()
    phone.locator("#complain summary").tap()
    expect(phone.locator("#complain-mention")).to_contain_text(f"sebutkan nomor tiket {ticket['number']} tanggal")
    expect(phone.locator("#complain a[href='https://www.lapor.go.id']")).to_be_visible()


def test_the_kiosk_persyaratan_button_shows_the_standard_before_a_number_is_taken(page, live_server):
    pair(page, live_server)
    expect(page.locator("#k-services .k-service[data-service='A']")).to_be_visible()
    button = page.locator("[data-requirements='A']")
    expect(button).to_contain_text("Persyaratan")
    button.click()
    panel = page.locator("#k-req-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Fotokopi Kartu Keluarga")
    expect(panel).to_contain_text("Waktu penyelesaian")
    expect(panel).to_contain_text("KTP elektronik")
    expect(panel).to_contain_text("lapor.go.id")
    page.locator("#k-req-panel .k-req-close").click()
    expect(panel).to_be_hidden()
    page.locator("#k-services .k-service[data-service='A']").click()      # the kiosk still issues
    expect(page.locator("#screen-priority")).to_be_visible()


def _respondents_this_month(server) -> int:
    """The office's respondents this month by the survey's own API (not the page's cache)."""
    today = (datetime.now(timezone.utc) + timedelta(hours=7)).date()     # the demo office is in WIB
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    found = requests.get(f"{server.url}/api/v1/offices/demo/skm",
                         params={"from": today.replace(day=1).isoformat(), "to": last.isoformat()}).json()
    return found["respondents"]


def test_a_survey_answered_on_a_phone_shows_on_the_public_page_as_one_more_respondent(phone, live_server):
    before = _respondents_this_month(live_server)
    token = served_ticket(live_server, "A")
    open_survey_from_status_page(phone, live_server, token)
    answer_by_tapping(phone)
    phone.goto(f"{live_server.url}/transparansi/demo")
    total = phone.locator("#month-figures tfoot [data-field='respondents']")
    expect(total).to_have_text(str(before + 1))
    expect(phone.locator("#month-figures tfoot")).to_contain_text("(A: sangat baik)")   # ALL_GOOD: 3.67 -> A
    html = phone.content()
    assert token not in html
    expect(phone.locator("#live tr[data-code='A']")).to_be_visible()


def test_the_public_pages_waiting_counts_follow_the_queue_live(page, live_server):
    page.goto(f"{live_server.url}/transparansi/demo")
    cell = page.locator("#live tr[data-code='F'] [data-field='waiting']")
    before = int(cell.text_content())
    expect(page.locator("#transparency")).to_have_attribute("data-live", "synced")
    issue(live_server, "F")
    expect(cell).to_have_text(str(before + 1))      # through the office room's event, no reload
