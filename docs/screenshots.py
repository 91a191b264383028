"""Regenerate the screenshots of docs/ADMIN.md (needs a checkout, Playwright and Chromium):

    .venv/bin/python docs/screenshots.py

It serves a fresh demo database on a free port, creates an owner and a new office next to
the demo, and photographs the administration pages in Bahasa Indonesia into docs/img/."""
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


def main() -> None:
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as folder:
        port = _port()
        server = _serve(_prepare(folder), port)
        url = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
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
