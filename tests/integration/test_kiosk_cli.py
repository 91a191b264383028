"""`queueapp kiosk OFFICE NAME --token` and `queueapp demo`: a kiosk paired from the command line."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import requests

from queueapp.db import Database
from queueapp.services import devices

from ..support import ROOT, free_port
from .test_cli import run


def test_the_token_option_prints_only_a_working_device_token_on_the_last_line(tmp_path):
    env = {"QUEUEAPP_INSTANCE_PATH": str(tmp_path)}
    assert run(["seed-demo"], env).returncode == 0
    first = run(["kiosk", "demo", "lobi-1", "--paper", "58", "--token"], env)
    assert first.returncode == 0, first.stderr
    token = first.stdout.strip().splitlines()[-1]
    assert first.stdout.strip() == token and token.startswith("qk_")
    again = run(["kiosk", "demo", "lobi-1", "--token"], env).stdout.strip()
    db = Database(f"sqlite:///{tmp_path / 'queueapp.db'}")
    try:
        assert devices.kiosk_for_token(db, token) is None           # the new token replaced it
        paired = devices.kiosk_for_token(db, again)
        assert paired.name == "lobi-1" and paired.office_slug == "demo"
    finally:
        db.dispose()
    described = run(["kiosk", "demo", "lobi-1"], env)
    assert "58 mm" in described.stdout       # no --paper: the kiosk keeps its paper


def wait_for_server(url: str) -> None:
    for _ in range(300):
        try:
            requests.get(url + "/api/v1/health", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


def test_the_demo_prints_a_pairing_link_that_makes_its_kiosk_issue(tmp_path):
    port = free_port()
    env = {**os.environ, "QUEUEAPP_INSTANCE_PATH": str(tmp_path)}
    with open(tmp_path / "demo.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "queueapp", "demo", "--port", str(port),
                                    "--worker", "threading"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=log, text=True)
        try:
            printed = ""
            while "booking" not in printed:
                line = process.stdout.readline()
                assert line, (tmp_path / "demo.log").read_text()
                printed += line
            link = re.search(r"(http://\S+/kiosk/demo\?kiosk=lobi&pair=qk_\S+)", printed)
            assert link, printed
            wait_for_server(f"http://127.0.0.1:{port}")
            kiosk = requests.Session()
            paired = kiosk.get(link.group(1), allow_redirects=False, timeout=5)
            assert paired.status_code == 302 and "queueapp_kiosk" in kiosk.cookies
            ticket = kiosk.post(f"http://127.0.0.1:{port}/api/v1/offices/demo/tickets", json={"service": "A"},
                                timeout=5)
            assert ticket.status_code == 201, ticket.text
            anonymous = requests.post(f"http://127.0.0.1:{port}/api/v1/offices/demo/tickets",
                                      json={"service": "A"}, timeout=5)
            assert anonymous.status_code == 401
        finally:
            process.terminate()
            process.wait(timeout=30)
