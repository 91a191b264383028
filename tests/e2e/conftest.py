"""Live servers (real `queueapp serve` subprocesses) and a real headless Chromium."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from queueapp.db import Database
from queueapp.schema import upgrade
from queueapp.services import staff
from queueapp.services.demo import seed_demo
from queueapp.services.kiosks import new_device_token

from ..support import IN_CI, LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required"]


def prepare_instance(folder: Path, database_url: str | None = None) -> dict:
    """A migrated database with the demo office, and the environment to serve it."""
    folder.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{folder / 'queueapp.db'}"
    db = Database(url)
    upgrade(db.engine)
    seed_demo(db, example_holidays=False)   # the server runs on the real clock: no closed day
    # The kiosk the tests issue tickets through by HTTP, paired before any screen watches
    # (pairing is a configuration change: an event with its own seq).
    token = new_device_token(db, "demo", "api-tests")
    db.dispose()
    # Tests issue many tickets from one kiosk in seconds; the limits have their own tests.
    return {"QUEUEAPP_INSTANCE_PATH": str(folder), "QUEUEAPP_DATABASE_URL": url,
            "QUEUEAPP_SECRET_KEY": "e2e-secret", "QUEUEAPP_TICKET_RATE_LIMIT": "",
            "QUEUEAPP_TICKET_DEVICE_RATE_LIMIT": "", E2E_KIOSK_TOKEN: token}


@pytest.fixture
def start_server(tmp_path):
    """Factory: start_server(worker="gevent", env=None) -> a running LiveServer, stopped after."""
    servers = []

    def start(worker: str = "gevent", env: dict | None = None, port: int | None = None) -> LiveServer:
        environment = env or prepare_instance(tmp_path / f"instance-{len(servers)}")
        server = LiveServer(environment, worker=worker, port=port).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """One gevent server with the demo office, shared by a test module."""
    env = prepare_instance(tmp_path_factory.mktemp("live"))
    server = LiveServer(env).start()
    server.database_url = env["QUEUEAPP_DATABASE_URL"]
    yield server
    server.stop()


def staff_token(server: LiveServer, username: str) -> str:
    from datetime import datetime, timezone
    db = Database(server.env["QUEUEAPP_DATABASE_URL"])
    try:
        return staff.create_token(db, username, now=datetime.now(timezone.utc))
    finally:
        db.dispose()


def _polling_a_function(wait_for_function):
    """The pages' Content-Security-Policy has no 'unsafe-eval', and Playwright evals an
    expression string on every poll after the first (an EvalError in the page), while a
    function it compiles once. So an expression is handed over as a function returning it."""
    def wait(self, expression: str, **options):
        text = expression.strip()
        if not (text.startswith(("function", "async ")) or "=>" in text):
            expression = f"() => ({expression})"
        return wait_for_function(self, expression, **options)
    return wait


try:
    from playwright.sync_api import Frame, Page
    Page.wait_for_function = _polling_a_function(Page.wait_for_function)
    Frame.wait_for_function = _polling_a_function(Frame.wait_for_function)
except ImportError:     # the browser fixture skips
    pass


def device_token(server: LiveServer, office: str = "demo", kiosk: str = "lobi") -> str:
    """A new device token pairing kiosk `kiosk` (created when missing); the older one stops working."""
    from queueapp.services.kiosks import new_device_token
    db = Database(server.env["QUEUEAPP_DATABASE_URL"])
    try:
        return new_device_token(db, office, kiosk)
    finally:
        db.dispose()


E2E_KIOSK_TOKEN = "E2E_KIOSK_TOKEN"   # in a server's environment; the app reads no such variable


def kiosk_headers(server: LiveServer) -> dict:
    """The Authorization header of the kiosk the tests issue tickets through by HTTP (paired
    by prepare_instance), apart from the kiosks the browser tests pair."""
    return {"Authorization": f"Bearer {server.env[E2E_KIOSK_TOKEN]}"}


def open_workstation(page, server: LiveServer, counter: int) -> None:
    """Log in as the demo clerk of counter `counter` (loketN) and open its workstation."""
    page.goto(server.url + "/login")
    page.fill("#username", f"loket{counter}")
    page.fill("#password", "demo12345")
    page.click("button[type=submit]")
    page.click(f"a[data-counter='{counter}']")


def pair(page, server: LiveServer, office: str = "demo", kiosk: str = "lobi") -> None:
    """Pair a browser page's context with a kiosk, as an administrator would: open its pairing link once."""
    page.goto(f"{server.url}/kiosk/{office}?kiosk={kiosk}&pair={device_token(server, office, kiosk)}")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"Chromium not found at {CHROMIUM}"
        if IN_CI:
            pytest.fail(message + " (CI=true: browser tests must run)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A citizen's phone: a small touch screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def two_processes(start_server, tmp_path):
    """Two servers of one deployment: the demo office on a PostgreSQL schema of their own,
    events shared through a Redis channel of their own (scale-out as docs/DEPLOYMENT.md says)."""
    from ..support import REDIS_URL, create_pg_schema, drop_pg_schema, redis_or_skip
    import uuid
    redis_or_skip()
    schema, url = create_pg_schema()
    try:
        env = prepare_instance(tmp_path / "shared", database_url=url)
        env.update({"QUEUEAPP_REDIS_URL": REDIS_URL, "QUEUEAPP_REDIS_CHANNEL": f"test-{uuid.uuid4().hex}"})
        yield start_server(env=env), start_server(env=dict(env))
    finally:
        drop_pg_schema(schema)
