"""The counter workstation in a real browser: live line, plain errors, ask before finishing."""
import pytest
import requests
from playwright.sync_api import expect

from .conftest import kiosk_headers, open_workstation

pytestmark = pytest.mark.browser


def issue(server, prefix):
    response = requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": prefix},
                             headers=kiosk_headers(server))
    assert response.status_code == 201
    return response.json()


@pytest.fixture
def workstation(browser, start_server):
    server = start_server()
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    open_workstation(page, server, 3)
    expect(page.locator("#counter-state")).to_have_text("Buka")
    yield server, page
    context.close()


def test_an_empty_queue_is_said_plainly_and_new_tickets_appear_live(workstation):
    server, page = workstation
    page.click("[data-action='call-next']")
    expect(page.locator("#message")).to_have_text("Tidak ada antrian untuk loket ini.")
    issue(server, "B"), issue(server, "C")
    expect(page.locator("#waiting-list li")).to_have_count(2)
    expect(page.locator("#waiting-total")).to_have_text("2")
    expect(page.locator("#service-counts [data-service='C']")).to_have_text("C: 1")


def test_calling_while_serving_asks_first_then_finishes_and_calls_the_next(workstation):
    server, page = workstation
    issue(server, "B"), issue(server, "B")
    expect(page.locator("#waiting-list li")).to_have_count(2)
    page.keyboard.press("n")
    expect(page.locator("#current-number")).to_have_text("B-001")
    page.keyboard.press("s")
    expect(page.locator("#current-number")).to_have_attribute("data-status", "serving")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.keyboard.press("n")
    expect(page.locator("#current-number")).to_have_text("B-002")
    assert questions and "B-001" in questions[0]
    expect(page.locator("#waiting-list li")).to_have_text(["Tidak ada yang menunggu."])


def test_a_ticket_taken_by_another_counter_disappears_at_once(workstation):
    server, page = workstation
    issue(server, "B")
    expect(page.locator("#waiting-list li[data-number='B-001']")).to_have_count(1)
    from .conftest import staff_token
    token = staff_token(server, "loket2")
    counters = requests.get(f"{server.url}/api/v1/offices/demo/counters").json()
    other = next(c["id"] for c in counters if c["number"] == 2)
    taken = requests.post(f"{server.url}/api/v1/counters/{other}/call-next",
                          headers={"Authorization": f"Bearer {token}"})
    assert taken.json()["number"] == "B-001"
    expect(page.locator("#waiting-list li[data-number='B-001']")).to_have_count(0, timeout=2000)
    page.fill("#call-number", "B-001")
    page.click("#call-form button")
    expect(page.locator("#message")).to_have_class("message error")


def test_transfer_hold_and_resume_from_the_workstation(workstation):
    server, page = workstation
    issue(server, "C")
    page.click("[data-action='call-next']")
    expect(page.locator("#current-number")).to_have_text("C-001")
    page.keyboard.press("h")
    expect(page.locator("#held-list li[data-number='C-001']")).to_have_count(1)
    page.click("#held-list li[data-number='C-001'] button")
    expect(page.locator("#waiting-list li[data-number='C-001']")).to_have_count(1)
    page.click("[data-action='call-next']")
    expect(page.locator("#current-number")).to_have_text("C-001")
    page.select_option("#transfer-service", "D")
    page.click("#transfer-form button")
    expect(page.locator("#current-number")).to_have_text("—")
    page.click("[data-state='paused']")
    expect(page.locator("#counter-state")).to_have_text("Istirahat")


def test_the_buttons_follow_what_the_state_table_allows_for_the_ticket(workstation):
    server, page = workstation
    issue(server, "B")
    page.click("[data-action='call-next']")
    expect(page.locator("#current-number")).to_have_attribute("data-status", "called")
    for action in ("recall", "start", "finish", "no_show", "hold", "transfer"):
        expect(page.locator(f"[data-action='{action}']")).to_be_enabled()
    page.click("[data-action='start']")
    expect(page.locator("#current-number")).to_have_attribute("data-status", "serving")
    for action in ("recall", "start", "no_show"):
        expect(page.locator(f"[data-action='{action}']")).to_be_disabled()
    for action in ("finish", "hold", "transfer"):
        expect(page.locator(f"[data-action='{action}']")).to_be_enabled()
    page.click("[data-action='finish']")
    expect(page.locator("#current-number")).to_have_text("—")
    expect(page.locator("[data-action='finish']")).to_be_disabled()
