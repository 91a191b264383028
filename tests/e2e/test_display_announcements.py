"""A clerk calls from the workstation; the lobby display shows the number and speaks it.

Audio is stubbed in the page (window.QueueDisplayPlayer): each stubbed announcement takes
a little time, so a burst really queues, and the stub records when each one played.
"""
import pytest
import requests
from playwright.sync_api import expect

from .conftest import kiosk_headers, staff_token

pytestmark = pytest.mark.browser

STUB_PLAYER = """
window.__played = [];
window.QueueDisplayPlayer = function (plan, repeat) {
  var entry = {text: plan.text, clips: plan.clips.length, repeat: repeat, start: performance.now()};
  window.__played.push(entry);
  return new Promise(function (resolve) {
    setTimeout(function () { entry.end = performance.now(); resolve(); }, 150);
  });
};
"""


@pytest.fixture
def display(browser, live_server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.add_init_script(STUB_PLAYER)
    page.goto(live_server.url + "/display/demo")
    page.click("#start-button")
    page.wait_for_function("document.body.dataset.seq !== undefined")
    yield page
    context.close()


@pytest.fixture
def api(live_server):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {staff_token(live_server, 'supervisor')}"
    return session


def counter_id(live_server, number):
    counters = requests.get(f"{live_server.url}/api/v1/offices/demo/counters").json()
    return next(c["id"] for c in counters if c["number"] == number)


def issue(live_server, prefix="A"):
    response = requests.post(f"{live_server.url}/api/v1/offices/demo/tickets", json={"service": prefix},
                             headers=kiosk_headers(live_server))
    assert response.status_code == 201, response.text
    return response.json()


def announcements(page):
    return page.evaluate("window.__announcements.map(function (a) { return a.number + '@' + a.counter.number; })")


def wait_for_played(page, count, timeout=10000):
    page.wait_for_function(f"window.__played.length >= {count} && window.__played.every(function (p) {{ return p.end; }})",
                           timeout=timeout)


def log_in(page, url, username="loket1"):
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", "demo12345")
    page.click("button[type=submit]")
    expect(page).to_have_url(url + "/counter")


def test_a_clerk_logs_in_calls_next_and_the_display_shows_and_queues_one_announcement(
        browser, live_server, display, api):
    issue(live_server, "A")
    context = browser.new_context()
    clerk = context.new_page()
    log_in(clerk, live_server.url)
    clerk.click("a[data-counter='1']")
    expect(clerk.locator("#counter-state")).not_to_have_text("—")
    before = len(announcements(display))

    clerk.keyboard.press("n")                       # the Call next shortcut
    expect(clerk.locator("#current-number")).to_have_text("A-001")
    expect(display.locator("#latest-number")).to_have_text("A-001", timeout=1000)
    expect(display.locator("#latest-counter")).to_contain_text("1")
    display.wait_for_timeout(500)
    assert announcements(display)[before:] == ["A-001@1"]
    wait_for_played(display, 1)
    assert display.evaluate("window.__played[0].text") == \
        "Nomor antrian A satu, silakan menuju loket satu."
    context.close()


def test_a_burst_of_five_calls_yields_five_announcements_in_order_and_a_recall_one_more(
        live_server, display, api):
    cid = counter_id(live_server, 4)
    for _ in range(5):
        issue(live_server, "E")
    start = len(announcements(display))
    called = []
    for _ in range(5):                              # back to back, as fast as the API answers
        if called:
            assert api.post(f"{live_server.url}/api/v1/tickets/{called[-1]['id']}/finish").status_code == 200
        called.append(api.post(f"{live_server.url}/api/v1/counters/{cid}/call-next").json())
    display.wait_for_function(f"window.__announcements.length >= {start + 5}")
    assert announcements(display)[start:] == [f"{t['number']}@4" for t in called]
    assert [t["number"] for t in called] == [f"E-00{n}" for n in range(1, 6)]

    assert api.post(f"{live_server.url}/api/v1/tickets/{called[-1]['id']}/recall").status_code == 200
    display.wait_for_function(f"window.__announcements.length >= {start + 6}")
    display.wait_for_timeout(300)
    log = display.evaluate("window.__announcements")[start:]
    assert len(log) == 6 and log[-1]["recall"] is True and log[-1]["number"] == "E-005"
    assert len({entry["call_id"] for entry in log}) == 6

    wait_for_played(display, start + 6, timeout=20000)
    played = display.evaluate("window.__played")[start:]
    assert len(played) == 6
    assert all(later["start"] >= earlier["end"] for earlier, later in zip(played, played[1:])), \
        "announcements overlapped"


def test_calls_missed_while_offline_are_announced_after_reconnecting_and_none_twice(
        live_server, display, api):
    cid = counter_id(live_server, 3)
    issue(live_server, "C"), issue(live_server, "C")
    first = api.post(f"{live_server.url}/api/v1/counters/{cid}/call-next").json()
    display.wait_for_function(f"window.__announcements.some(function (a) {{ return a.call_id === '{first['call_id']}'; }})")
    before = len(announcements(display))

    display.evaluate("window.__displayLive.closed = true; window.__displayLive.ws.close()")
    api.post(f"{live_server.url}/api/v1/tickets/{first['id']}/finish")
    missed = api.post(f"{live_server.url}/api/v1/counters/{cid}/call-next").json()
    display.evaluate("window.__displayLive.closed = false; window.__displayLive.open()")

    display.wait_for_function(f"window.__announcements.length >= {before + 1}")
    display.wait_for_timeout(500)
    log = display.evaluate("window.__announcements")
    assert [entry["call_id"] for entry in log[before:]] == [missed["call_id"]]
    assert len({entry["call_id"] for entry in log}) == len(log)
    expect(display.locator("#latest-number")).to_have_text(missed["number"])


def test_the_display_needs_one_tap_before_it_starts_and_shows_no_personal_data(browser, live_server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(live_server.url + "/display/demo?autostart=0")
    expect(page.locator("#start-button")).to_be_visible()
    page.click("#start-button")
    expect(page.locator("#start")).to_be_hidden()
    page.wait_for_function("document.body.dataset.seq !== undefined")
    expect(page.locator("#services li")).to_have_count(6)
    expect(page.locator("#running-text")).to_contain_text("Selamat datang")
    # Fits a 1080p TV: nothing scrolls.
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    assert "token" not in page.content()
    context.close()


def test_a_display_limited_to_some_services_shows_only_their_calls(browser, live_server, api):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.add_init_script(STUB_PLAYER)
    page.goto(live_server.url + "/display/demo?services=F&lang=en&autostart=1")
    page.wait_for_function("document.body.dataset.seq !== undefined")
    expect(page.locator("#services li")).to_have_count(1)
    cid = counter_id(live_server, 5)
    issue(live_server, "F")
    ticket = api.post(f"{live_server.url}/api/v1/counters/{cid}/call", json={"number": "F-001"}).json()
    expect(page.locator("#latest-number")).to_have_text(ticket["number"], timeout=2000)
    wait_for_played(page, 1)
    assert page.evaluate("window.__played[0].text") == "Queue number F one, please go to counter five."
    context.close()


def test_a_display_set_up_in_admin_for_two_languages_speaks_each_call_in_both(browser, live_server, api):
    from datetime import datetime, timezone

    from queueapp.db import Database
    from queueapp.services import catalog, devices
    db = Database(live_server.database_url)
    now = datetime.now(timezone.utc)
    devices.add_display(db, None, "demo", {"name": "lobi-e", "services": ["E"], "language": "id,en"}, now=now)
    catalog.add_counter(db, None, "demo", {"number": 9, "services": {"E": 1}, "state": "open"}, now=now)
    db.dispose()
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.add_init_script(STUB_PLAYER)
    page.goto(live_server.url + "/display/demo?display=lobi-e&autostart=1")
    page.wait_for_function("document.body.dataset.seq !== undefined")
    expect(page.locator("#services li")).to_have_count(1)
    issued = issue(live_server, "E")
    response = api.post(f"{live_server.url}/api/v1/counters/{counter_id(live_server, 9)}/call",
                        json={"number": issued["number"]})
    assert response.status_code == 200, response.text
    expect(page.locator("#latest-number")).to_have_text(issued["number"], timeout=2000)
    wait_for_played(page, 1)
    text = page.evaluate("window.__played[0].text")
    assert text.startswith("Nomor antrian E ") and "silakan menuju loket sembilan. Queue number E " in text
    assert text.endswith("please go to counter nine.")
    assert page.evaluate("window.__played.length") == 1        # one call, one announcement
    context.close()
