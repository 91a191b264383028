"""The satisfaction survey in a real Chromium on a phone (390x844): the status page of a
finished ticket leads to the survey, the citizen answers by tapping, and sees only thanks;
the counter's "Survei untuk warga" opens the survey of the ticket just finished.

`served_ticket` and `answer_by_tapping` are meant for other e2e tests (the public
transparency page answers a survey, then checks its figures)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import requests
from playwright.sync_api import expect

from .conftest import kiosk_headers, open_workstation, staff_token

pytestmark = pytest.mark.browser

ALL_GOOD = (4, 4, 3, 4, 3, 4, 4, 3, 3)


def _counter_id(server, number: int) -> int:
    counters = requests.get(f"{server.url}/api/v1/offices/demo/counters").json()
    return next(c["id"] for c in counters if c["number"] == number)


def issue(server, prefix: str = "A") -> dict:
    response = requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": prefix},
                             headers=kiosk_headers(server))
    assert response.status_code == 201, response.text
    return response.json()


def finish(server, ticket: dict, counter: int = 5) -> None:
    """Counter `counter`'s clerk calls the ticket by its number and finishes it (API)."""
    headers = {"Authorization": f"Bearer {staff_token(server, f'loket{counter}')}"}
    called = requests.post(f"{server.url}/api/v1/counters/{_counter_id(server, counter)}/call",
                           json={"number": ticket["number"]}, headers=headers)
    assert called.status_code == 200, called.text
    done = requests.post(f"{server.url}/api/v1/tickets/{called.json()['id']}/finish", headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "done", done.text


def served_ticket(server, prefix: str = "A") -> str:
    """A ticket issued at the kiosk and served to the end at counter 5; its token."""
    ticket = issue(server, prefix)
    finish(server, ticket)
    return ticket["token"]


def answer_by_tapping(phone, scores=ALL_GOOD, *, comment: str = "") -> None:
    """On the survey page already open in `phone`: tap one answer per element (scores 1-4 for
    elements 1..9), optionally write a comment, send, and wait for the thanks."""
    for element, score in enumerate(scores, start=1):
        phone.locator(f"label[for='u{element}-{score}']").tap()
    if comment:
        phone.fill("#comment", comment)
    phone.locator("#survey-send").tap()
    expect(phone.locator("#survey-thanks")).to_be_visible()


def open_survey_from_status_page(phone, server, token: str) -> None:
    """From the ticket's status page (where its QR leads), tap the invitation to the survey."""
    phone.goto(f"{server.url}/t/{token}")
    expect(phone.locator("#survey-invite")).to_be_visible()
    phone.locator("#survey-link").tap()
    expect(phone.locator("#survey-form")).to_be_visible()


def test_a_citizen_answers_the_survey_on_the_phone_and_sees_only_thanks(phone, live_server):
    ticket = issue(live_server)
    phone.goto(f"{live_server.url}/t/{ticket['token']}")
    expect(phone.locator("#ticket")).to_have_attribute("data-status", "waiting")
    expect(phone.locator("#survey-invite")).to_be_hidden()
    finish(live_server, ticket)
    # The open page follows the ticket live: the invitation appears without a reload.
    expect(phone.locator("#survey-invite")).to_be_visible()
    phone.locator("#survey-link").tap()
    expect(phone.locator("#survey-form")).to_be_visible()
    box = phone.locator("label[for='u1-4']").bounding_box()
    assert box["height"] >= 48 and box["width"] >= 150      # a big touch target on a 390 px screen
    answer_by_tapping(phone, comment="Petugas ramah sekali")
    assert "Petugas ramah sekali" not in phone.content()
    phone.goto(f"{live_server.url}/t/{ticket['token']}/survei")
    expect(phone.locator("#survey-answered")).to_be_visible()
    # The published index counts it (the office's business day is the UTC day or the next).
    day = date.fromisoformat(ticket["issued_at"][:10])
    published = requests.get(f"{live_server.url}/api/v1/offices/demo/skm",
                             params={"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat()}).json()
    assert published["respondents"] >= 1 and "Petugas ramah sekali" not in str(published)


def test_a_missing_answer_is_marked_and_the_others_stay_chosen(phone, live_server):
    token = served_ticket(live_server)
    open_survey_from_status_page(phone, live_server, token)
    for element in range(1, 9):                   # the ninth is left out
        phone.locator(f"label[for='u{element}-3']").tap()
    phone.locator("#survey-send").tap()
    expect(phone.locator("#survey-problem")).to_contain_text("9")
    expect(phone.locator("#q9")).to_have_class("question missing")
    expect(phone.locator("#u1-3")).to_be_checked()
    phone.locator("label[for='u9-2']").tap()
    phone.locator("#survey-send").tap()
    expect(phone.locator("#survey-thanks")).to_be_visible()


def test_the_counter_offers_the_survey_of_the_ticket_just_finished(browser, live_server):
    ticket = issue(live_server, "D")
    context = browser.new_context(locale="id-ID")
    clerk = context.new_page()
    open_workstation(clerk, live_server, 4)
    clerk.fill("#call-number", ticket["number"])
    clerk.click("#call-form button")
    expect(clerk.locator("#current-number")).to_have_text(ticket["number"])
    expect(clerk.locator("#survey-for-citizen")).to_be_hidden()
    clerk.keyboard.press("f")
    offer = clerk.locator("#survey-for-citizen")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Survei untuk warga")
    with context.expect_page() as opened:
        offer.click()
    tablet = opened.value
    expect(tablet.locator("#survey-form")).to_be_visible()
    assert f"/t/{ticket['token']}/survei" in tablet.url
    answer_by_tapping_with_clicks(tablet)
    expect(tablet.locator("a[href='/t/" + ticket["token"] + "']")).to_have_count(0)
    context.close()


def answer_by_tapping_with_clicks(page, scores=ALL_GOOD) -> None:
    """The same answers with a mouse (a counter's tablet may be a screen with a mouse)."""
    for element, score in enumerate(scores, start=1):
        page.locator(f"label[for='u{element}-{score}']").click()
    page.locator("#survey-send").click()
    expect(page.locator("#survey-thanks")).to_be_visible()
