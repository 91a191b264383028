"""Security headers on every response, and pages that a strict Content-Security-Policy does not
break: no inline script, event handler, javascript: URL or style attribute in what they render.
That the screens then run with no CSP violation in Chromium: tests/e2e/test_https_proxy.py."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..support import log_in

ROOT = Path(__file__).resolve().parents[2]
START = "2026-11-24T08:00:00+07:00"


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def ticket_token(client, clerk_headers) -> str:
    response = client.post("/api/v1/offices/demo/tickets", json={"service": "A"}, headers=clerk_headers)
    return response.get_json()["token"]


def public_pages(client, clerk_headers) -> list[str]:
    token = ticket_token(client, clerk_headers)
    return ["/", "/kiosk/demo?lang=id", "/display/demo", f"/t/{token}", f"/t/{token}/leave", "/booking/demo",
            "/booking/demo/A?date=2026-11-24", f"/booking/demo/A/book?start={START}", "/login"]


STAFF_PAGES = ["/counter", "/counter/1", "/admin/demo/settings", "/admin/demo/services",
               "/admin/demo/staff", "/admin/demo/audit", "/admin/demo/devices"]


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_every_page_runs_only_the_app_s_own_script_files_and_cannot_be_framed(client, clerk_headers):
    for path in public_pages(client, clerk_headers) + ["/api/v1/health", "/static/shared/live.js"]:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], path
        assert "'unsafe-inline'" not in policy["style-src"]
        assert policy["frame-ancestors"] == ["'none'"] and response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_live_screens_may_open_their_socket_and_the_kiosk_its_ticket_pdf(client):
    policy = directives(client.get("/kiosk/demo?lang=id", headers={"Host": "antrian.example.go.id:8443"})
                        .headers["Content-Security-Policy"])
    assert {"'self'", "wss://antrian.example.go.id:8443"} <= set(policy["connect-src"])
    assert "blob:" in policy["frame-src"] and "blob:" in policy["media-src"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]


def test_the_counter_screen_cannot_be_framed_by_another_site(client):
    log_in(client, next_url="?next=/counter/1")
    response = client.get("/counter/1")
    assert response.status_code == 200
    assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_ticket_booking_and_staff_pages_are_never_cached(client, clerk_headers):
    token = ticket_token(client, clerk_headers)
    for path in (f"/t/{token}", "/booking/demo", f"/booking/demo/A/book?start={START}", "/login"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    log_in(client, "admin")
    for path in ("/admin/demo/settings", "/admin/demo/staff"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def inline_code(html: str) -> list[str]:
    return [match.group(0) for pattern in (INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE)
            for match in pattern.finditer(html)] + (["javascript:"] if "javascript:" in html else [])


def test_no_page_carries_code_or_styles_the_policy_would_block(client, clerk_headers):
    for path in public_pages(client, clerk_headers):
        assert inline_code(client.get(path).get_data(as_text=True)) == [], path
    log_in(client, "admin")
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert inline_code(response.get_data(as_text=True)) == [], path


def test_no_template_or_screen_asset_carries_inline_code():
    files = [path for folder in ("templates", "display", "kiosk", "queueapp/static")
             for path in (ROOT / folder).rglob("*.html")]
    assert files
    found = {str(path.relative_to(ROOT)): inline_code(path.read_text()) for path in files}
    assert {path: code for path, code in found.items() if code} == {}


def test_a_forged_host_cannot_write_into_the_policy(client):
    policy = client.get("/", headers={"Host": "evil;script-src *"}).headers["Content-Security-Policy"]
    assert directives(policy)["script-src"] == ["'self'"] and "evil" not in policy
