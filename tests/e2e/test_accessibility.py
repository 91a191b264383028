"""axe-core over every public page in each of its states, at the size it is used at:
no serious or critical violation (colour contrast, names, labels, landmarks...), and
nothing wider than the screen. A new page is one line in SCREENS."""
from __future__ import annotations

import pytest

from .axe_check import (COUNTER, DISPLAY, DISPLAY_PORTRAIT, KIOSK, PHONE, assert_accessible,
                        assert_no_horizontal_overflow, axe_context)
from .citizens import Clerk, issue, leave
from .conftest import open_workstation, pair

pytestmark = pytest.mark.browser


def status_of(ticket: dict) -> str:
    return f"/t/{ticket['token']}"


# Each opener puts the office in a state and returns the path that shows it. Clerks work
# at counters of their own so the openers do not wait for one another's tickets.
def status_waiting(server, page):
    return status_of(issue(server, "A"))


def status_called(server, page):
    ticket = issue(server, "A")
    Clerk(server, "loket1", 1).call(ticket)
    return status_of(ticket)


def status_serving(server, page):
    ticket = issue(server, "B")
    clerk = Clerk(server, "loket2", 2)
    clerk.act(clerk.call(ticket), "start")
    return status_of(ticket)


def status_finished(server, page):
    ticket = issue(server, "C")
    clerk = Clerk(server, "loket3", 3)
    clerk.act(clerk.call(ticket), "finish")
    return status_of(ticket)


def status_left(server, page):
    ticket = issue(server, "D")
    leave(server, ticket)
    return status_of(ticket) + "?left=1"


def status_no_show(server, page):
    ticket = issue(server, "E")
    clerk = Clerk(server, "loket4", 4)
    clerk.act(clerk.call(ticket), "no-show")
    return status_of(ticket)


def leave_confirmation(server, page):
    return status_of(issue(server, "F")) + "/leave"


def booking_form(server, page):
    page.goto(server.url + "/booking/demo/A")
    page.locator(".booking-days .day.open a").first.click()
    return page.locator(".booking-slots a.button").first.get_attribute("href")


def booking_manage(server, page):
    page.goto(server.url + booking_form(server, page))
    page.fill("input[name=name]", "Rina Wulandari")
    page.fill("input[name=phone]", "0812 7777 1234")
    page.fill("input[name=nik]", "3174012345670009")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-code]")
    return page.url.replace(server.url, "")


def booking_calendar_day(server, page):
    page.goto(server.url + "/booking/demo/A")
    return page.locator(".booking-days .day.open a").first.get_attribute("href")


def kiosk(server, page):
    pair(page, server)
    page.wait_for_selector("button")
    return None   # the pairing link lands on the kiosk


def counter(server, page):
    open_workstation(page, server, 5)
    page.wait_for_function("document.getElementById('counter-state').textContent !== '—'")
    return None


# Rules a screen breaks on purpose, with the reason. The kiosk turns pinch-zoom off: on a
# public touch screen a stray two-finger touch would leave the next citizen a zoomed page
# (its large-text mode is the way to bigger type).
KIOSK_ALLOWED = ("meta-viewport",)


def display(server, page):
    page.goto(server.url + "/display/demo")
    page.click("#start-button")   # the one tap that allows sound; then the board itself
    return None


def path(value):
    return lambda server, page: value


SCREENS = [
    ("status: waiting", PHONE, status_waiting),
    ("status: called", PHONE, status_called),
    ("status: being served", PHONE, status_serving),
    ("status: finished", PHONE, status_finished),
    ("status: left the queue", PHONE, status_left),
    ("status: no-show", PHONE, status_no_show),
    ("status: leave the queue?", PHONE, leave_confirmation),
    ("status: unknown ticket", PHONE, path("/t/no-such-ticket")),
    ("booking: services", PHONE, path("/booking/demo")),
    ("booking: calendar", PHONE, path("/booking/demo/A")),
    ("booking: calendar with a day's slots", PHONE, booking_calendar_day),
    ("booking: details form", PHONE, booking_form),
    ("booking: confirmation and manage page", PHONE, booking_manage),
    ("booking: join from home", PHONE, path("/booking/demo/A/join")),
    ("kiosk", KIOSK, kiosk, KIOSK_ALLOWED),
    ("display: start (one tap for sound)", DISPLAY, path("/display/demo")),
    ("display: landscape", DISPLAY, display),
    ("display: portrait", DISPLAY_PORTRAIT, display),
    ("counter workstation", COUNTER, counter),
]


@pytest.mark.parametrize("what, viewport, opener, allowed", [(*s, ())[:4] for s in SCREENS],
                         ids=[s[0] for s in SCREENS])
def test_no_serious_accessibility_issue_and_nothing_wider_than_the_screen(what, viewport, opener, allowed, browser,
                                                                           live_server):
    context = axe_context(browser, viewport)
    try:
        page = context.new_page()
        target = opener(live_server, page)
        if target is not None:
            page.goto(live_server.url + target)
        page.wait_for_load_state("load")
        assert_accessible(page, what, allowed)
        if "overflow" not in allowed:
            assert_no_horizontal_overflow(page, what)
    finally:
        context.close()
