"""Behind a reverse proxy over HTTPS: which forwarded headers the app believes
(QUEUEAPP_TRUSTED_PROXIES), the origins a live screen may connect from, CSRF over HTTPS,
Secure cookies and HSTS. The same set-up through a real nginx: tests/e2e/test_https_proxy.py."""
from __future__ import annotations

import re

import pytest

from queueapp import create_app

from ..support import csrf_of, log_in

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"
START = "2026-11-24T08:00:00+07:00"
# What docs/nginx/queueapp.conf sends for a browser at https://localhost:8443.
NGINX = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "localhost:8443", "X-Forwarded-Port": "8443"}


@pytest.fixture
def make_app(demo, clock, tmp_path, monkeypatch):
    """An app of the demo office with these settings (no PUBLIC_URL unless given)."""
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))

    def make(**settings):
        return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "QUEUEAPP_CLOCK": clock,
                           "PUBLIC_URL": None, **settings}, database=demo)
    return make


def handshake(app, origin: str, headers: dict | None = None, host: str = "127.0.0.1:8001") -> int:
    client = app.test_client()
    return client.get(HANDSHAKE, headers={"Origin": origin, "Host": host, **(headers or {})}).status_code


# --- 1. the live screens' WebSocket handshake ------------------------------------------------

def test_a_screen_served_from_the_public_url_may_open_its_socket(make_app):
    app = make_app(PUBLIC_URL="https://antrian.example.go.id:8443")
    assert handshake(app, "https://antrian.example.go.id:8443") == 200
    assert handshake(app, "https://antrian.example.go.id") == 400   # another port is another origin


def test_the_default_https_port_is_the_same_origin_written_or_not(make_app):
    app = make_app(PUBLIC_URL="https://antrian.example.go.id:443/")
    assert handshake(app, "https://antrian.example.go.id") == 200


def test_a_page_of_another_site_may_not_open_a_socket(make_app):
    app = make_app(PUBLIC_URL="https://antrian.example.go.id", TRUSTED_PROXIES=1)
    assert handshake(app, "https://evil.example.com") == 400
    assert handshake(app, "https://evil.example.com", {**NGINX, "X-Forwarded-Host": "antrian.example.go.id"}) == 400
    assert handshake(app, "null") == 400


def test_a_screen_on_the_app_s_own_address_connects_without_any_setting(make_app):
    app = make_app()
    assert handshake(app, "http://127.0.0.1:8001") == 200


def test_forwarded_headers_do_not_make_an_origin_acceptable_unless_the_proxy_is_trusted(make_app):
    app = make_app()
    assert handshake(app, "https://localhost:8443", NGINX, host="localhost:8443") == 400


def test_behind_a_trusted_proxy_the_forwarded_scheme_host_and_port_make_the_origin(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    assert handshake(app, "https://localhost:8443", NGINX) == 200
    assert handshake(app, "http://localhost:8443", NGINX) == 400


# --- 3. the client's address and the public links ---------------------------------------------

def booking_reads(app, forwarded_for: list[str]) -> list[int]:
    client = app.test_client()
    return [client.get("/booking/demo", headers={**NGINX, "X-Forwarded-For": address},
                       environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code for address in forwarded_for]


def test_behind_a_trusted_proxy_each_citizen_has_a_booking_limit_of_their_own(make_app):
    app = make_app(TRUSTED_PROXIES=1, BOOKING_READ_RATE_LIMIT="2 per minute")
    assert booking_reads(app, ["10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2"]) == [200, 200, 429, 200]


def test_without_trusted_proxies_a_forwarded_for_header_changes_no_client_s_address(make_app):
    app = make_app(BOOKING_READ_RATE_LIMIT="2 per minute")
    assert booking_reads(app, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) == [200, 200, 429]


def test_a_client_cannot_pose_as_another_behind_one_trusted_proxy(make_app):
    # nginx appends the address it saw to whatever the client sent: only the last hop counts.
    app = make_app(TRUSTED_PROXIES=1, BOOKING_READ_RATE_LIMIT="2 per minute")
    assert booking_reads(app, ["1.1.1.1, 10.0.0.9", "2.2.2.2, 10.0.0.9", "3.3.3.3, 10.0.0.9"]) == [200, 200, 429]


def issue(app, headers: dict, clerk_headers: dict) -> dict:
    response = app.test_client().post("/api/v1/offices/demo/tickets", json={"service": "A"},
                                      headers={"Host": "127.0.0.1:8001", **clerk_headers, **headers})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_ticket_links_carry_the_public_host_and_port_the_trusted_proxy_forwards(make_app, clerk_headers):
    ticket = issue(make_app(TRUSTED_PROXIES=1), NGINX, clerk_headers)
    assert ticket["status_url"] == f"https://localhost:8443/t/{ticket['token']}"
    assert ticket["pdf_url"].startswith("https://localhost:8443/tickets/")


def test_ticket_links_ignore_forwarded_headers_of_an_untrusted_client(make_app, clerk_headers):
    ticket = issue(make_app(), NGINX, clerk_headers)
    assert ticket["status_url"] == f"http://127.0.0.1:8001/t/{ticket['token']}"


# --- 2. citizen forms over HTTPS: Referer and CSRF --------------------------------------------

def test_booking_pages_send_a_referer_to_this_site_only(client):
    response = client.get("/booking/demo")
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-referrer" not in response.get_data(as_text=True)


def post_booking(app, referer: str | None) -> tuple[int, str]:
    client = app.test_client()
    headers = {**NGINX, "Host": "127.0.0.1:8001"}
    form = client.get("/booking/demo/A/book", query_string={"start": START}, headers=headers).data
    if referer:
        headers["Referer"] = referer
    response = client.post("/booking/demo/A/book", headers=headers, data={
        "csrf_token": csrf_of(form), "start": START, "name": "Dewi Lestari", "phone": "081234567890",
        "nik": "3174012345670001"})
    return response.status_code, response.get_data(as_text=True)


def test_a_booking_form_sent_over_https_with_this_site_s_referer_is_accepted(make_app):
    app = make_app(TRUSTED_PROXIES=1, BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="")
    status, _ = post_booking(app, f"https://localhost:8443/booking/demo/A/book?start={START}")
    assert status == 303


@pytest.mark.parametrize("referer", [None, "https://evil.example.com/form", "http://localhost:8443/booking/demo"])
def test_over_https_a_form_without_this_site_s_referer_is_refused_as_a_csrf_failure(make_app, referer):
    app = make_app(TRUSTED_PROXIES=1, BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="")
    status, page = post_booking(app, referer)
    assert status == 400
    assert 'data-error="csrf_failed"' in page and "tidak berasal dari situs ini" in page


# --- 5. cookies and HSTS -----------------------------------------------------------------------

def test_with_an_https_public_url_every_cookie_is_secure_and_hsts_is_sent(make_app):
    app = make_app(PUBLIC_URL="https://antrian.example.go.id")
    client = app.test_client()
    response = log_in(client)
    assert response.status_code == 302
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "; Secure" in session_cookie and "; HttpOnly" in session_cookie
    language = client.get("/booking/demo?lang=en").headers["Set-Cookie"]
    assert language.startswith("lang=en") and "; Secure" in language
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_with_a_plain_http_address_cookies_are_not_secure_and_no_hsts(make_app):
    client = make_app(PUBLIC_URL="http://192.168.1.10:8000").test_client()
    response = log_in(client)
    assert all("; Secure" not in cookie for cookie in response.headers.getlist("Set-Cookie"))
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_can_be_turned_off(make_app):
    client = make_app(PUBLIC_URL="https://antrian.example.go.id", HSTS_SECONDS=0).test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_the_settings_are_read_from_the_environment(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QUEUEAPP_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("QUEUEAPP_HSTS_SECONDS", "600")
    monkeypatch.setenv("QUEUEAPP_PUBLIC_URL", "https://antrian.example.go.id")
    app = create_app({"SECRET_KEY": "x"}, database=demo)
    assert app.config["TRUSTED_PROXIES"] == 1 and app.config["SESSION_COOKIE_SECURE"]
    assert app.test_client().get("/").headers["Strict-Transport-Security"] == "max-age=600"
    monkeypatch.setenv("QUEUEAPP_TRUSTED_PROXIES", "one")
    with pytest.raises(ValueError, match="QUEUEAPP_TRUSTED_PROXIES"):
        create_app({"SECRET_KEY": "x"}, database=demo)


def test_no_cookie_is_marked_for_https_only_on_an_http_only_app(make_app):
    app = make_app()
    assert not app.config["SESSION_COOKIE_SECURE"] and not app.config["REMEMBER_COOKIE_SECURE"]


def test_a_staff_action_over_https_is_checked_like_a_form_and_says_csrf_failed(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    client = app.test_client()
    log_in(client, "loket1")
    headers = dict(NGINX)
    page = client.get("/counter/1", headers=headers).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    headers["X-CSRFToken"] = token
    refused = client.post("/api/v1/counters/1/call-next", headers=headers)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "csrf_failed"
    accepted = client.post("/api/v1/counters/1/call-next",
                           headers={**headers, "Referer": "https://localhost:8443/counter/1"})
    assert accepted.get_json()["error"]["code"] == "queue_empty"    # past the check: nobody is waiting
