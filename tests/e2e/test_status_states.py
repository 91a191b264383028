"""The citizen's status page on a phone follows the ticket live through each state, and
each state shows only what applies to it (no "leave the queue" once called, no "wait
outside" after the service, a thank-you at the end, what to do after leaving)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .axe_check import PHONE, assert_no_horizontal_overflow
from .citizens import Clerk, issue, leave

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def open_status(page, server, ticket):
    page.goto(f"{server.url}/t/{ticket['token']}")
    page.wait_for_function("window.__statusLive !== undefined")


def shown_phase(page) -> str:
    return page.locator("#ticket").get_attribute("data-phase")


def test_a_ticket_goes_from_waiting_to_called_to_served_to_thank_you_live(live_server, phone_page):
    page = phone_page
    ticket = issue(live_server, "A")
    open_status(page, live_server, ticket)
    expect(page.locator("#phase-waiting")).to_be_visible()
    expect(page.locator("#position")).to_be_visible()
    expect(page.get_by_text("Antrian di depan Anda")).to_be_visible()
    expect(page.get_by_text("Anda boleh menunggu di luar", exact=False)).to_be_visible()
    expect(page.locator("#leave")).to_be_visible()
    expect(page.locator("#serving-counters")).to_contain_text("Loket 1")
    assert_no_horizontal_overflow(page, "waiting")

    clerk = Clerk(live_server, "loket1", 1)
    clerk.post(f"/counters/{clerk.counter}/state", {"state": "paused"})   # a break shows live
    loket1 = page.locator(f".serving-counter[data-counter-id='{clerk.counter}']")
    expect(loket1).to_have_attribute("data-state", "paused")
    expect(loket1.locator(".closed-note")).to_be_visible()
    clerk.post(f"/counters/{clerk.counter}/state", {"state": "open"})
    expect(loket1.locator(".closed-note")).to_be_hidden()

    clerk.call(ticket)
    expect(page.locator("#called")).to_be_visible()
    expect(page.locator("#counter")).to_have_text("Loket 1")
    expect(page.locator("#leave")).to_be_hidden()
    expect(page.locator("#phase-waiting")).to_be_hidden()
    expect(page.get_by_text("Anda boleh menunggu di luar", exact=False)).to_be_hidden()
    assert_no_horizontal_overflow(page, "called")

    clerk.act(ticket, "start")
    expect(page.locator("#phase-serving")).to_be_visible()
    expect(page.locator("#serving-counter")).to_have_text("Loket 1")
    expect(page.locator("#called")).to_be_hidden()

    clerk.act(ticket, "finish")
    expect(page.locator("#phase-finished")).to_be_visible()
    expect(page.locator("#phase-finished")).to_contain_text("Terima kasih")
    for gone in ("#phase-waiting", "#phase-serving", "#called", "#phase-ended", "#notify"):
        expect(page.locator(gone)).to_be_hidden()
    assert shown_phase(page) == "finished"
    page.reload()   # the server renders the same section
    expect(page.locator("#phase-finished")).to_be_visible()
    expect(page.locator("#phase-waiting")).to_be_hidden()
    assert_no_horizontal_overflow(page, "finished")


def test_leaving_says_what_happened_and_to_take_a_new_number(live_server, phone_page):
    page = phone_page
    ticket = issue(live_server, "D")
    open_status(page, live_server, ticket)
    leave(live_server, ticket)
    expect(page.locator("#phase-ended")).to_be_visible()
    expect(page.locator("#ended-cancelled")).to_be_visible()
    expect(page.locator("#ended-no-show")).to_be_hidden()
    expect(page.locator("#phase-ended")).to_contain_text("ambil nomor baru di kios")
    expect(page.locator("#phase-waiting")).to_be_hidden()
    assert_no_horizontal_overflow(page, "left")


def test_a_no_show_says_the_number_was_closed(live_server, phone_page):
    page = phone_page
    ticket = issue(live_server, "E")
    clerk = Clerk(live_server, "loket4", 4)
    clerk.call(ticket)
    open_status(page, live_server, ticket)
    expect(page.locator("#called")).to_be_visible()
    clerk.act(ticket, "no-show")
    expect(page.locator("#ended-no-show")).to_be_visible()
    expect(page.locator("#ended-cancelled")).to_be_hidden()
    expect(page.locator("#called")).to_be_hidden()


def test_a_long_number_and_counter_name_fit_a_phone(live_server, phone_page):
    page = phone_page
    ticket = issue(live_server, "F")
    clerk = Clerk(live_server, "loket5", 5)     # "Loket 5 (Prioritas)": the longest demo name
    clerk.call(ticket)
    open_status(page, live_server, ticket)
    expect(page.locator("#counter")).to_have_text("Loket 5 (Prioritas)")
    box = page.locator("#counter").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_no_horizontal_overflow(page, "called at a long-named counter")
