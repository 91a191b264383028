"""Regenerate the screenshots of the docs (needs a checkout, Playwright and Chromium):

    .venv/bin/python docs/screenshots.py            # everything
    .venv/bin/python docs/screenshots.py screens    # only the hall's screens
    .venv/bin/python docs/screenshots.py admin      # only the administration pages

It serves a fresh demo database on a free port, creates an owner and a new office next to
the demo, and photographs in Bahasa Indonesia: the administration pages into docs/img/
(docs/ADMIN.md), and every screen of the hall at the size it is used at into
docs/screenshots/ (kiosk 1080x1920, lobby display 1920x1080 and 1080x1920, status and
booking pages on a 390x844 phone, counter workstation 1366x768), in the states a citizen
or a clerk meets (waiting, called, finished; a line with tickets; calls on the board)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
PASSWORD = "demo12345"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare(folder: str) -> dict:
    env = {**os.environ, "QUEUEAPP_INSTANCE_PATH": folder, "QUEUEAPP_DATABASE_URL": f"sqlite:///{folder}/q.db"}
    for args in (["seed-demo"], ["create-user", "diskominfo", "--role", "owner", "--password", PASSWORD],
                 ["office", "create", "kec-mariso", "--name", "Kantor Kecamatan Mariso", "--timezone", "WITA"]):
        subprocess.run([sys.executable, "-m", "queueapp", *args], env=env, check=True, capture_output=True)
    return env


def _serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "queueapp", "serve", "--port", str(port), "--worker",
                               "threading"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).ok:
                return server
        except requests.ConnectionError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def _log_in(page, url: str, username: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


SCREENS = HERE / "screenshots"
KIOSK = {"width": 1080, "height": 1920}
DISPLAY = {"width": 1920, "height": 1080}
DISPLAY_PORTRAIT = {"width": 1080, "height": 1920}
PHONE = {"width": 390, "height": 844}
COUNTER = {"width": 1366, "height": 768}


class Hall:
    """The demo office in use: a paired kiosk issuing tickets, clerks calling by the API."""

    def __init__(self, env: dict, url: str):
        from datetime import datetime, timezone

        from queueapp.db import Database
        from queueapp.services import staff
        from queueapp.services.kiosks import new_device_token
        self.url = url
        db = Database(env["QUEUEAPP_DATABASE_URL"])
        try:
            self.kiosk_token = new_device_token(db, "demo", "lobi")
            self.api_kiosk = new_device_token(db, "demo", "screenshots")
            self.clerks = {n: staff.create_token(db, f"loket{n}", now=datetime.now(timezone.utc)) for n in range(1, 6)}
        finally:
            db.dispose()
        counters = requests.get(f"{url}/api/v1/offices/demo/counters", timeout=10).json()
        self.counters = {c["number"]: c["id"] for c in counters}

    def issue(self, service: str) -> dict:
        response = requests.post(f"{self.url}/api/v1/offices/demo/tickets", json={"service": service},
                                 headers={"Authorization": f"Bearer {self.api_kiosk}"}, timeout=10)
        response.raise_for_status()
        return response.json()

    def clerk(self, number: int, path: str, body: dict | None = None) -> dict:
        response = requests.post(f"{self.url}/api/v1{path}", json=body, timeout=10,
                                 headers={"Authorization": f"Bearer {self.clerks[number]}"})
        response.raise_for_status()
        return response.json()

    def call(self, counter: int, ticket: dict) -> dict:
        return self.clerk(counter, f"/counters/{self.counters[counter]}/call", {"number": ticket["number"]})


def _shot(browser, url: str, name: str, viewport: dict, prepare=None) -> None:
    mobile = viewport == PHONE
    context = browser.new_context(locale="id-ID", viewport=viewport, is_mobile=mobile, has_touch=mobile)
    try:
        page = context.new_page()
        if prepare:
            prepare(page)
        if url:
            page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(1500)   # live screens: let the socket's snapshot arrive
        page.screenshot(path=SCREENS / name, full_page=False)
    finally:
        context.close()


def screens(browser, env: dict, url: str) -> None:
    """Each screen of the hall at each of its real sizes, into docs/screenshots/."""
    SCREENS.mkdir(exist_ok=True)
    hall = Hall(env, url)
    waiting = [hall.issue(code) for code in "AABBCDA"]
    served = hall.issue("C")
    hall.clerk(3, f"/tickets/{hall.call(3, served)['id']}/finish")
    called = hall.call(1, waiting[0])
    hall.call(2, waiting[2])
    hall.clerk(4, f"/tickets/{hall.call(4, waiting[5])['id']}/start")
    left = hall.issue("E")
    requests.post(f"{url}/api/v1/tickets/{left['token']}/leave", timeout=10).raise_for_status()

    _shot(browser, f"{url}/kiosk/demo?kiosk=lobi&pair={hall.kiosk_token}", "kiosk-1080x1920.png", KIOSK)
    def started_display(page):
        page.goto(f"{url}/display/demo")
        page.click("#start-button")   # the one tap that allows sound
    _shot(browser, "", "display-1920x1080.png", DISPLAY, started_display)
    _shot(browser, "", "display-1080x1920.png", DISPLAY_PORTRAIT, started_display)
    _shot(browser, f"{url}/t/{waiting[1]['token']}", "status-waiting-390x844.png", PHONE)
    _shot(browser, f"{url}/t/{called['token']}", "status-called-390x844.png", PHONE)
    _shot(browser, f"{url}/t/{served['token']}", "status-finished-390x844.png", PHONE)
    _shot(browser, f"{url}/t/{left['token']}?left=1", "status-left-390x844.png", PHONE)
    _shot(browser, f"{url}/booking/demo", "booking-services-390x844.png", PHONE)

    def first_open_day(page):
        page.goto(f"{url}/booking/demo/A")
        page.goto(url + page.locator(".booking-days .day.open a").first.get_attribute("href"))
    _shot(browser, "", "booking-calendar-390x844.png", PHONE, first_open_day)

    def booked(page):
        first_open_day(page)
        page.locator(".booking-slots a.button").first.click()
        page.fill("input[name=name]", "Rina Wulandari")
        page.fill("input[name=phone]", "0812 7777 1234")
        page.fill("input[name=nik]", "3174012345670009")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-code]")
    _shot(browser, "", "booking-confirmation-390x844.png", PHONE, booked)

    def at_counter(page):
        _log_in(page, url, "loket5")
        page.goto(f"{url}/counter/{hall.counters[5]}")
        page.wait_for_selector("#waiting-list li")
        page.click("[data-action='call-next']")
        page.wait_for_function("() => document.getElementById('message').textContent !== ''")
    _shot(browser, "", "counter-1366x768.png", COUNTER, at_counter)


def main() -> None:
    from playwright.sync_api import sync_playwright
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    with tempfile.TemporaryDirectory() as folder:
        port = _port()
        env = _prepare(folder)
        server = _serve(env, port)
        url = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                if which in ("all", "screens"):
                    screens(browser, env, url)
                if which == "screens":
                    browser.close()
                    return
                def new_page():
                    return browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
                page = new_page()
                _log_in(page, url, "diskominfo")
                shots = {"admin-offices.png": "/admin", "admin-checklist.png": "/admin/kec-mariso"}
                for name, path in shots.items():
                    page.goto(url + path)
                    page.screenshot(path=HERE / "img" / name, full_page=True)
                page = new_page()
                _log_in(page, url, "admin")
                for name, path in {"admin-services.png": "/admin/demo/services",
                                   "admin-counter.png": "/admin/demo/counters",
                                   "admin-hours.png": "/admin/demo/hours",
                                   "admin-audit.png": "/admin/demo/audit"}.items():
                    page.goto(url + path)
                    page.screenshot(path=HERE / "img" / name, full_page=False)
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
