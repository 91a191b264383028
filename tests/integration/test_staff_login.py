"""Staff log-in: hashed passwords checked, CSRF on every form, log-out, session expiry."""
from datetime import timedelta

import pytest
from ..support import csrf_of, log_in


def test_a_clerk_logs_in_and_lands_on_the_counter_choice(client, demo):
    response = log_in(client)
    assert response.status_code == 302 and response.location == "/counter"
    page = client.get("/counter")
    assert page.status_code == 200 and b"Loket 1" in page.data


def test_a_wrong_password_is_refused_plainly(client, demo):
    response = log_in(client, password="wrong-password")
    assert response.status_code == 401 and b"form-error" in response.data
    assert client.get("/counter").status_code == 302


def test_the_log_in_form_refuses_a_post_without_its_csrf_token(client, demo):
    response = client.post("/login", data={"username": "loket1", "password": "demo12345"})
    assert response.status_code == 400
    assert client.get("/counter").status_code == 302


def test_the_counter_pages_send_strangers_to_the_log_in_and_back(client, demo):
    response = client.get("/counter")
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    assert log_in(client, next_url="?next=%2Fcounter%2F1").location == "/counter/1"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_log_in_never_redirects_to_another_site(client, demo, target):
    assert log_in(client, next_url=f"?next={target}").location == "/counter"


def test_log_out_needs_the_csrf_token_and_ends_the_session(client, demo):
    log_in(client)
    client.post("/logout")
    assert client.get("/counter").status_code == 200
    token = csrf_of(client.get("/counter").data)
    assert client.post("/logout", data={"csrf_token": token}).location == "/login"
    assert client.get("/counter").status_code == 302


def test_the_session_expires_after_the_configured_lifetime(app, client, demo):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=30)
    log_in(client)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    # Sessions are signed with their age: one older than the lifetime is rejected.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=-1)
    assert client.get("/counter").status_code == 302
