"""Bad input is a clear 4xx before it reaches the database, on SQLite and PostgreSQL: a
NUL character anywhere, JSON nested too deep, a body over the size limit."""
from __future__ import annotations

import io
import json

import pytest

from queueapp.web.guards import MAX_DEPTH

from ..support import csrf_of, kiosk_headers, log_in

NUL_REQUESTS = [
    ("GET", "/api/v1/tickets/abc%00def", None),
    ("GET", "/t/abc%00def", None),
    ("GET", "/api/v1/offices/de%00mo/board", None),
    ("GET", "/api/v1/offices/demo/services/A/slots?date=2026-11-24%00", None),
    ("GET", "/booking/demo?service=A%00", None),
    ("POST", "/api/v1/offices/demo/tickets", {"service": "A\u0000"}),
    ("POST", "/api/v1/offices/demo/check-in", {"code": "AB\u0000CD"}),
    ("POST", "/api/v1/offices/demo/appointments", {"service": "A", "name": "Budi\u0000", "phone": "081234567890",
                                                   "start": "2026-11-24T08:00:00+07:00"}),
    ("POST", "/api/v1/offices/demo/tickets", {"service": "A", "x\u0000": 1}),
    ("POST", "/api/v1/offices/demo/services/A/join", {"phone": "0812\u00003456789"}),
    ("POST", "/api/v1/appointments/abc%00/cancel", {}),
]


@pytest.mark.parametrize("method, path, body", NUL_REQUESTS)
def test_a_nul_character_anywhere_is_a_4xx_not_a_500(any_db, demo, client, method, path, body):
    response = client.open(path, method=method, json=body, headers=kiosk_headers(demo))
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:200]
    if path.startswith("/api/"):
        assert response.get_json()["error"]["code"] in ("invalid_input", "not_found", "bad_request")


def test_a_nul_in_json_says_what_is_wrong(any_db, demo, client):
    response = client.post("/api/v1/offices/demo/tickets", json={"service": "A\u0000"}, headers=kiosk_headers(demo))
    assert response.status_code == 422
    assert "NUL" in response.get_json()["error"]["message"]


def test_a_nul_in_a_form_gets_a_readable_page(any_db, demo, client):
    page = client.get("/booking/demo/A/join")
    response = client.post("/booking/demo/A/join", data={"csrf_token": csrf_of(page.data), "phone": "0812\u00003456789"})
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert "NUL" in response.get_data(as_text=True)


def nested(depth: int):
    value = "A"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("depth", [40, 5000])
def test_deeply_nested_json_is_refused_with_422(any_db, demo, client, depth):
    body = '{"service": "A", "extra": ' + json.dumps(nested(depth)) + "}" if depth < 900 else \
        '{"service": "A", "extra": ' + "[" * depth + "]" * depth + "}"
    response = client.post("/api/v1/offices/demo/tickets", data=body, content_type="application/json",
                           headers=kiosk_headers(demo))
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "invalid_input"


def test_json_nested_within_the_limit_still_works(any_db, demo, client):
    response = client.post("/api/v1/offices/demo/tickets", json={"service": "A", "extra": nested(10)},
                           headers=kiosk_headers(demo))
    assert response.status_code == 201


def test_json_nested_to_the_limit_is_taken_and_one_level_deeper_is_refused(any_db, demo, client):
    headers = kiosk_headers(demo)
    at_limit = client.post("/api/v1/offices/demo/tickets", json={"service": "A", "extra": nested(MAX_DEPTH - 1)},
                           headers=headers)
    assert at_limit.status_code == 201
    deeper = client.post("/api/v1/offices/demo/tickets", json={"service": "A", "extra": nested(MAX_DEPTH)},
                         headers=headers)
    assert deeper.status_code == 422 and deeper.get_json()["error"]["code"] == "invalid_input"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_a_nul_in_json_is_refused_in_every_encoding_json_allows(any_db, demo, client, encoding):
    body = json.dumps({"service": "A\u0000"}).encode(encoding)
    response = client.post("/api/v1/offices/demo/tickets", data=body, content_type="application/json",
                           headers=kiosk_headers(demo))
    assert response.status_code == 422 and "NUL" in response.get_json()["error"]["message"]


def test_a_body_over_the_limit_is_413_in_the_one_shape(any_db, demo, client):
    big = {"service": "A", "padding": "x" * (65 * 1024)}
    response = client.post("/api/v1/offices/demo/tickets", json=big, headers=kiosk_headers(demo))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert response.get_json()["error"]["message"] == "Permintaan terlalu besar."


def test_the_limit_is_a_setting(app, demo, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/offices/demo/tickets", json={"service": "A", "padding": "x" * 2000},
                           headers=kiosk_headers(demo))
    assert response.status_code == 413


def test_a_logo_over_its_own_limit_gets_the_logos_message_not_a_bare_413(demo, client):
    log_in(client, "admin")
    page = client.get("/admin/demo/settings")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * (400 * 1024)
    response = client.post("/admin/demo/logo", data={"csrf_token": csrf_of(page.data),
                                                      "logo": (io.BytesIO(png), "logo.png", "image/png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "300" in response.get_data(as_text=True)


@pytest.mark.parametrize("digits", ["０８１２３４５６７８９０", "٠٨١٢٣٤٥٦٧٨٩٠"])
def test_a_phone_in_other_digits_cannot_join_from_home_past_the_phone_limit(app, any_db, demo, client, digits):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="")
    url = "/api/v1/offices/demo/services/A/join"
    assert client.post(url, json={"phone": "0812-3456-7890"}).status_code == 201
    refused = client.post(url, json={"phone": digits})
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "invalid_phone"
