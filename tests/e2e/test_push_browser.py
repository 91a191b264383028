"""The status page's notifications in a real Chromium go through a service worker (the only
way Android Chrome shows one): after "Beri tahu saya" the page is controlled by /sw.js, and
a call shows a notification from the worker's registration with the number and the counter.

Headless Chromium has no push service (pushManager.subscribe is refused), so the page says
it can notify only while it stays open, and the subscription path is covered by posting a
synthetic subscription to the API (tests/integration/test_push_subscriptions.py, and the
delivery through a fake push service in tests/integration/test_webpush_channel.py). The
worker's handling of a push message is tested by delivering one through DevTools."""
from __future__ import annotations

import json

import requests

from .conftest import kiosk_headers, open_workstation, staff_token


def take(server, service: str = "A") -> dict:
    response = requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": service},
                             headers=kiosk_headers(server), timeout=5)
    assert response.status_code == 201, response.text
    return response.json()


def counter_id(server, number: int) -> int:
    counters = requests.get(f"{server.url}/api/v1/offices/demo/counters", timeout=5).json()
    return next(c["id"] for c in counters if c["number"] == number)


NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.getRegistration("/");
  const shown = registration ? await registration.getNotifications() : [];
  return shown.map(n => ({title: n.title, body: n.body, tag: n.tag}));
}"""


def notifications(page, rounds: int = 100) -> list[dict]:
    """The worker's notifications once there are any (wait_for_function does not await the
    promise getNotifications() returns, so this polls from here)."""
    for _ in range(rounds):
        shown = page.evaluate(NOTIFICATIONS)
        if shown:
            return shown
        page.wait_for_timeout(100)
    return []


def test_a_call_is_notified_through_the_service_worker(live_server, browser):
    ticket = take(live_server)
    context = browser.new_context(viewport={"width": 390, "height": 780}, locale="id-ID", is_mobile=True,
                                  has_touch=True)
    try:
        context.grant_permissions(["notifications"], origin=live_server.url)
        page = context.new_page()
        page.goto(f"{live_server.url}/t/{ticket['token']}")
        page.wait_for_function("window.__statusLive !== undefined")
        button = page.locator("#notify")
        assert button.inner_text() == "Beri tahu saya"
        button.click()
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10000)
        assert page.evaluate("navigator.serviceWorker.getRegistration('/').then(r => r.active.scriptURL)") \
            == f"{live_server.url}/sw.js"
        state = page.locator("#notify-state")
        state.wait_for(state="visible", timeout=10000)
        # No push service in headless Chromium: said, not swallowed.
        assert state.inner_text() in (
            "Peramban ini hanya dapat memberi tahu Anda selama halaman ini tetap terbuka (boleh di latar belakang).",
            "Siap: kami akan memberi tahu Anda saat nomor Anda dipanggil, walaupun halaman ini ditutup.")
        assert page.evaluate(NOTIFICATIONS) == []

        called = requests.post(f"{live_server.url}/api/v1/counters/{counter_id(live_server, 1)}/call-next",
                               headers={"Authorization": f"Bearer {staff_token(live_server, 'loket1')}"}, timeout=5)
        assert called.json()["number"] == ticket["number"]
        page.locator("#called").wait_for(state="visible", timeout=10000)
        [shown] = notifications(page)
        assert ticket["number"] in shown["title"] and "Loket 1" in shown["body"]
        assert shown["tag"] == ticket["token"]
    finally:
        context.close()


def test_the_old_page_notification_is_gone(live_server):
    script = requests.get(f"{live_server.url}/static/status/status.js", timeout=5).text
    notify = requests.get(f"{live_server.url}/static/status/notify.js", timeout=5).text
    assert "new Notification" not in script and "new Notification(" not in notify
    assert "showNotification" in notify


def test_without_https_the_page_says_notifications_need_it(live_server, browser):
    """An address other than localhost over plain HTTP is no secure context: the page says so."""
    ticket = take(live_server)
    context = browser.new_context(locale="id-ID")
    try:
        page = context.new_page()
        # The same server under a name that is not localhost: Chromium treats it as insecure.
        page.route("http://antrian.test/**", lambda route: route.fulfill(response=route.fetch(
            url=route.request.url.replace("http://antrian.test", live_server.url))))
        page.goto(f"http://antrian.test/t/{ticket['token']}")
        page.locator("#notify-insecure").wait_for(state="visible", timeout=10000)
        assert "HTTPS" in page.locator("#notify-insecure").inner_text()
        assert page.locator("#notify").is_hidden()
        assert page.locator("#share-whatsapp").get_attribute("href").startswith("https://wa.me/?text=")
    finally:
        context.close()


def test_on_an_iphone_outside_a_home_screen_app_the_page_says_add_to_home_screen(live_server, browser):
    ticket = take(live_server)
    context = browser.new_context(locale="id-ID", is_mobile=True, has_touch=True, user_agent=(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Mobile/15E148 Safari/604.1"))
    try:
        page = context.new_page()
        page.add_init_script("delete window.PushManager;")   # as Safari outside a home-screen app
        page.goto(f"{live_server.url}/t/{ticket['token']}")
        page.locator("#notify-ios").wait_for(state="visible", timeout=10000)
        assert "Tambahkan ke Layar Utama" in page.locator("#notify-ios").inner_text()
        assert page.locator("#notify").is_hidden()
    finally:
        context.close()


def test_the_clerk_records_consent_and_gets_a_prefilled_whatsapp_link(live_server, browser):
    """A walk-in without a smartphone: the clerk calls them, records their phone for SMS, and
    the panel offers wa.me/62... with the office's "called" text."""
    from urllib.parse import unquote

    from playwright.sync_api import expect
    context = browser.new_context(locale="id-ID")
    try:
        page = context.new_page()
        open_workstation(page, live_server, 3)
        expect(page.locator("#counter-state")).to_have_text("Buka")
        expect(page.locator("#reach")).to_be_hidden()
        ticket = take(live_server, "C")    # loket 3 serves B and C, lines no other test here uses
        page.click("[data-action='call-next']")
        expect(page.locator("#current-number")).to_have_text(ticket["number"])
        expect(page.locator("#reach")).to_be_visible()
        expect(page.locator("#reach-none")).to_be_visible()
        page.fill("#reach-consent-phone", "0812 3456 7892")
        page.click("#reach-consent button[type=submit]")
        expect(page.locator("#reach-whatsapp-row")).to_be_visible()
        href = page.locator("#reach-whatsapp").get_attribute("href")
        assert href.startswith("https://wa.me/6281234567892?text=")
        assert unquote(href.split("?text=")[1]) == f"Nomor {ticket['number']} dipanggil ke loket 3."
        expect(page.locator("#reach-message")).to_contain_text("Persetujuan tercatat")
    finally:
        context.close()


def test_a_push_message_is_shown_by_the_service_worker(live_server, browser):
    """The server's push payload ({"title", "body", "url", "tag"}) as the worker receives it,
    delivered through Chromium's DevTools (there is no push service in headless Chromium)."""
    ticket = take(live_server)
    context = browser.new_context(locale="id-ID")
    try:
        context.grant_permissions(["notifications"], origin=live_server.url)
        page = context.new_page()
        page.goto(f"{live_server.url}/t/{ticket['token']}")
        page.locator("#notify").click()
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10000)
        cdp = context.new_cdp_session(page)
        registrations = []
        cdp.on("ServiceWorker.workerRegistrationUpdated",
               lambda event: registrations.extend(event["registrations"]))
        cdp.send("ServiceWorker.enable")
        for _ in range(100):
            if registrations:
                break
            page.wait_for_timeout(100)
        registration = next(r for r in registrations if r["scopeURL"] == live_server.url + "/")
        payload = {"title": ticket["number"], "body": f"Nomor {ticket['number']} dipanggil ke loket 4.",
                   "url": f"/t/{ticket['token']}", "tag": ticket["token"], "urgent": True}
        cdp.send("ServiceWorker.deliverPushMessage", {"origin": live_server.url + "/",
                                                      "registrationId": registration["registrationId"],
                                                      "data": json.dumps(payload)})
        [shown] = notifications(page)
        assert shown == {"title": ticket["number"], "body": payload["body"], "tag": ticket["token"]}
    finally:
        context.close()
