"""Web push subscriptions from the status page: a browser subscribes to its ticket with the
ticket's token, the server keeps only a well-formed https subscription, unsubscribes, and
forgets it with the ticket's other personal data; the key, the worker and the manifest are
served by the app itself."""
from __future__ import annotations

import base64
import io
import json
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from PIL import Image
from sqlalchemy import select

from queueapp.domain.retention import Retention
from queueapp.models import PushSubscription
from queueapp.services import counters as counter_ops
from queueapp.services import privacy
from queueapp.services import tickets as ticket_ops
from ..support import pair_browser


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


P256DH = b64url(b"\x04" + bytes(range(64)))
AUTH = b64url(bytes(range(16)))
ENDPOINT = "https://fcm.googleapis.com/fcm/send/dXNlci0xMjM0NTY3ODkw"


def subscription(endpoint=ENDPOINT, p256dh=P256DH, auth=AUTH) -> dict:
    return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": p256dh, "auth": auth}}


def take(client) -> dict:
    response = client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def ticket(client, demo):
    pair_browser(client, demo)
    return take(client)


def stored(db) -> list[PushSubscription]:
    with db.read() as session:
        return list(session.execute(select(PushSubscription).order_by(PushSubscription.id)).scalars())


def test_a_browser_subscribes_to_its_ticket_and_unsubscribes(any_db, client, ticket):
    url = f"/api/v1/tickets/{ticket['token']}/push"
    response = client.post(url, json=subscription())
    assert response.status_code == 201 and response.get_json() == {"subscribed": True}
    assert client.post(url, json=subscription()).status_code == 201      # the same browser again: one row
    [row] = stored(any_db)
    assert (row.endpoint, row.p256dh, row.auth, row.locale) == (ENDPOINT, P256DH, AUTH, "id")
    assert client.delete(url, json={"endpoint": ENDPOINT}).status_code == 204
    assert stored(any_db) == []
    assert client.delete(url, json={"endpoint": ENDPOINT}).status_code == 204   # already gone: still fine


def test_an_unknown_token_is_404(client, demo):
    response = client.post("/api/v1/tickets/no-such-ticket/push", json=subscription())
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "ticket_not_found"
    assert client.delete("/api/v1/tickets/no-such-ticket/push", json={"endpoint": ENDPOINT}).status_code == 404


@pytest.mark.parametrize("body", [
    subscription(endpoint="http://fcm.googleapis.com/fcm/send/abc"),             # not https
    subscription(endpoint="https://127.0.0.1/push/abc"),                          # an address, not a push service
    subscription(endpoint="https://[::1]/push/abc"),
    subscription(endpoint="https://localhost/push/abc"),
    subscription(endpoint="https://intranet/push/abc"),
    subscription(endpoint="https://user:pw@fcm.googleapis.com/fcm/send/abc"),
    subscription(endpoint="https://fcm.googleapis.com/" + "a" * 1000),           # too long
    subscription(endpoint="https://fcm.googleapis.com/fcm/send/a b"),
    subscription(endpoint="javascript:alert(1)"),
    subscription(endpoint=12),
    subscription(p256dh=b64url(b"\x04" + bytes(10))),                             # not a P-256 point
    subscription(p256dh=b64url(b"\x05" + bytes(64))),
    subscription(p256dh="!" * 87),
    subscription(p256dh="A" * 5000),
    subscription(auth=b64url(bytes(15))),
    subscription(auth=None),
    {"endpoint": ENDPOINT},
    {},
])
def test_a_malformed_subscription_is_422_and_nothing_is_kept(client, ticket, demo, body):
    response = client.post(f"/api/v1/tickets/{ticket['token']}/push", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_subscription"
    assert stored(demo) == []


def test_a_body_that_is_no_json_object_is_400(client, ticket):
    response = client.post(f"/api/v1/tickets/{ticket['token']}/push", data="[1]", content_type="application/json")
    assert response.status_code == 400


def test_a_finished_ticket_takes_no_new_subscription(client, ticket, demo, clock):
    ticket_ops.cancel_by_token(demo, ticket["token"], now=clock())
    response = client.post(f"/api/v1/tickets/{ticket['token']}/push", json=subscription())
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "ticket_finished"


def test_a_ticket_keeps_at_most_five_browsers_the_newest(client, ticket, demo, clock):
    for n in range(7):
        clock.advance(seconds=1)
        client.post(f"/api/v1/tickets/{ticket['token']}/push", json=subscription(endpoint=f"{ENDPOINT}-{n}"))
    assert [row.endpoint[-1] for row in stored(demo)] == ["2", "3", "4", "5", "6"]


def test_the_privacy_purge_deletes_the_subscriptions_with_the_tickets_personal_data(client, ticket, demo, clock):
    client.post(f"/api/v1/tickets/{ticket['token']}/push", json=subscription())
    retention = Retention(online_join_days=7)
    privacy.purge(demo, retention, now=clock() + timedelta(days=6))
    assert len(stored(demo)) == 1
    privacy.purge(demo, retention, now=clock() + timedelta(days=8))
    assert stored(demo) == []


def test_the_endpoint_is_never_written_to_the_log(client, ticket, demo, caplog, clock):
    caplog.set_level("DEBUG")
    client.post(f"/api/v1/tickets/{ticket['token']}/push", json=subscription())
    client.delete(f"/api/v1/tickets/{ticket['token']}/push", json={"endpoint": ENDPOINT})
    assert "dXNlci0xMjM0NTY3ODkw" not in caplog.text and P256DH not in caplog.text


def test_the_public_key_is_generated_once_into_the_instance_folder(client, app, tmp_path):
    key = client.get("/api/v1/push/key").get_json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "==")
    assert len(raw) == 65 and raw[0] == 4
    stored_keys = json.loads((tmp_path / "vapid.json").read_text())
    assert stored_keys["public_key"] == key and "PRIVATE KEY" in stored_keys["private_key"]
    assert (tmp_path / "vapid.json").stat().st_mode & 0o077 == 0
    app.extensions.pop("queueapp.vapid")
    assert client.get("/api/v1/push/key").get_json()["public_key"] == key


def test_the_status_page_offers_notifications_and_sharing_to_whatsapp(client, ticket):
    html = client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert '<button id="notify" class="button" type="button" hidden>Beri tahu saya</button>' in html
    share = re.search(r'id="share-whatsapp" class="button secondary" href="([^"]+)"', html).group(1)
    assert share.startswith("https://wa.me/?text=")
    text = unquote(share.removeprefix("https://wa.me/?text="))
    assert ticket["number"] in text and f"https://antrian.example.go.id/t/{ticket['token']}" in text
    assert "Bagikan ke WhatsApp" in html
    assert f'rel="manifest" href="/manifest.webmanifest?t={ticket["token"]}"' in html
    config = json.loads(re.search(r'<script type="application/json" id="notify-config">(.*?)</script>', html,
                                  re.S).group(1))
    assert config["subscribe"] == f"/api/v1/tickets/{ticket['token']}/push"
    assert config["public_key"] == client.get("/api/v1/push/key").get_json()["public_key"]
    assert config["worker"] == "/sw.js"
    assert 'id="notify-insecure"' in html and "HTTPS" in html and 'id="notify-ios"' in html


def test_a_called_ticket_shows_no_phone_or_endpoint_on_its_page(client, ticket, demo, clerk, clock):
    client.post(f"/api/v1/tickets/{ticket['token']}/push", json=subscription())
    counter = next(c["id"] for c in client.get("/api/v1/offices/demo/counters").get_json() if c["number"] == 1)
    counter_ops.call_next(demo, clerk, counter, now=clock())
    assert ENDPOINT not in client.get(f"/t/{ticket['token']}").get_data(as_text=True)


def test_the_service_worker_is_served_from_the_root_and_not_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    assert "showNotification" in body and "notificationclick" in body
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_manifest_opens_the_ticket_and_its_icons_are_pngs(client, ticket):
    manifest = client.get(f"/manifest.webmanifest?t={ticket['token']}")
    assert manifest.mimetype == "application/manifest+json"
    body = manifest.get_json()
    assert body["start_url"] == f"/t/{ticket['token']}" and body["display"] == "standalone"
    assert body["short_name"] == ticket["number"]
    for icon in body["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
        assert Image.open(io.BytesIO(png.data)).size == tuple(int(n) for n in icon["sizes"].split("x"))
    assert client.get("/manifest.webmanifest").get_json()["start_url"] == "/"
    assert client.get("/manifest.webmanifest?t=nope").get_json()["start_url"] == "/"
    assert client.get("/icons/icon-17.png").status_code == 404


def test_subscribe_and_unsubscribe_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = spec["paths"]["/tickets/{token}/push"]
    assert set(operations) >= {"post", "delete"}
    assert {"201", "404", "409", "422"} <= set(operations["post"]["responses"])
    assert {"204", "404", "422"} <= set(operations["delete"]["responses"])
    assert "/push/key" in spec["paths"]
