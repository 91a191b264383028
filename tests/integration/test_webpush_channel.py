"""The "webpush" channel against a fake push service (a real HTTP server on 127.0.0.1 that
receives the encrypted POST): a "called" message of a subscribed ticket goes through the
notify outbox and its worker, signed with the server's VAPID key, with a TTL and high
urgency; the browser's keys decrypt it; 404/410 deletes the subscription (not retried),
429/5xx is retried. The browser side is simulated with a real P-256 key pair."""
from __future__ import annotations

import base64
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import timedelta

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from queueapp.domain.push import Subscription
from queueapp.models import DeliveryLog, NotifyConsent, OutboxMessage, PushSubscription
from queueapp.notifications.worker import Worker
from queueapp.services import counters as counter_ops
from queueapp.services import push as push_ops
from ..support import pair_browser


@dataclass
class Pushed:
    path: str
    headers: dict
    body: bytes


@dataclass
class FakePushService:
    """Answers each POST with the next status lined up (201 when none), keeping what came."""

    answers: list[int] = field(default_factory=list)
    received: list[Pushed] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _app(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            self.received.append(Pushed(request.path, dict(request.headers), request.get_data()))
            status = self.answers.pop(0) if self.answers else 201
        return Response(status=status)(environ, start_response)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Browser:
    """A browser's side of a push subscription: its P-256 key pair and auth secret."""

    def __init__(self, endpoint: str):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        public = self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                            serialization.PublicFormat.UncompressedPoint)
        # The fake service is plain http on 127.0.0.1, which the API refuses (Subscription.parse):
        # the subscription is built directly, as the service layer takes it.
        self.subscription = Subscription(endpoint=endpoint, p256dh=b64url(public), auth=b64url(self.auth))

    def read(self, pushed: Pushed) -> dict:
        return json.loads(http_ece.decrypt(pushed.body, private_key=self.private_key, auth_secret=self.auth,
                                           version="aes128gcm"))


@pytest.fixture
def push_service():
    fake = FakePushService()
    yield fake
    fake.stop()


@pytest.fixture
def ticket(client, demo):
    pair_browser(client, demo)
    response = client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    assert response.status_code == 201
    return response.get_json()


def subscribe(demo, app, clock, ticket, push_service, path="/push/browser-1") -> Browser:
    browser = Browser(push_service.url + path)
    push_ops.subscribe(demo, ticket["token"], browser.subscription, now=clock(), secret_key=app.config["SECRET_KEY"])
    return browser


def call(client, demo, clerk, clock):
    counter = next(c["id"] for c in client.get("/api/v1/offices/demo/counters").get_json() if c["number"] == 1)
    return counter_ops.call_next(demo, clerk, counter, now=clock())


def outbox(demo) -> list[OutboxMessage]:
    with demo.read() as s:
        return list(s.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def test_a_call_reaches_the_subscribed_browser_through_the_outbox(client, demo, app, clerk, clock, ticket,
                                                                  push_service):
    browser = subscribe(demo, app, clock, ticket, push_service)
    worker = Worker(demo, app.config)
    assert "webpush" in worker.channels
    assert worker.run_once(clock()) == 1            # "joined": the consent's confirmation
    call(client, demo, clerk, clock)
    assert worker.run_once(clock()) == 1
    joined, called = push_service.received
    assert browser.read(joined)["body"].startswith(f"Nomor antrian {ticket['number']}")
    message = browser.read(called)
    assert message["title"] == ticket["number"]
    assert message["body"] == f"Nomor {ticket['number']} dipanggil ke loket 1."
    assert message["url"] == f"/t/{ticket['token']}" and message["tag"] == ticket["token"]
    assert called.path == "/push/browser-1"
    assert called.headers["Ttl"] == "300" and called.headers["Urgency"] == "high"
    assert joined.headers["Urgency"] == "normal" and int(joined.headers["Ttl"]) > 300
    assert called.headers["Content-Encoding"] == "aes128gcm"
    assert len(called.headers["Topic"]) <= 32
    # The VAPID signature: the server's public key, a token whose audience is the push service.
    authorization = called.headers["Authorization"]
    assert authorization.startswith("vapid t=")
    assert authorization.split(",k=")[1] == client.get("/api/v1/push/key").get_json()["public_key"]
    assert Vapid.verify(authorization)
    claims = json.loads(base64.urlsafe_b64decode(authorization.split("t=")[1].split(".")[1] + "=="))
    assert claims["aud"] == push_service.url and claims["sub"].startswith(("mailto:", "https://"))
    assert [m.state for m in outbox(demo)] == ["sent", "sent"]


def test_every_browser_of_the_ticket_is_told(client, demo, app, clerk, clock, ticket, push_service):
    phone = subscribe(demo, app, clock, ticket, push_service, "/push/phone")
    tablet = subscribe(demo, app, clock, ticket, push_service, "/push/tablet")
    call(client, demo, clerk, clock)
    Worker(demo, app.config).run_once(clock())
    assert sorted(p.path for p in push_service.received) == ["/push/phone", "/push/phone", "/push/tablet",
                                                             "/push/tablet"]
    last = {p.path: p for p in push_service.received}
    assert "dipanggil" in phone.read(last["/push/phone"])["body"]
    assert "dipanggil" in tablet.read(last["/push/tablet"])["body"]


@pytest.mark.parametrize("gone", [410, 404])
def test_a_subscription_the_push_service_calls_gone_is_deleted_and_not_retried(client, demo, app, clock, ticket,
                                                                               push_service, gone):
    subscribe(demo, app, clock, ticket, push_service)
    push_service.answers = [gone]
    worker = Worker(demo, app.config)
    worker.run_once(clock())
    with demo.read() as s:
        assert s.execute(select(PushSubscription)).first() is None
        consent = s.execute(select(NotifyConsent).where(NotifyConsent.channel == "webpush")).scalar_one()
        assert consent.withdrawn_at is not None
    worker.run_once(clock() + timedelta(minutes=5))
    assert len(push_service.received) == 1          # never sent again
    [message] = outbox(demo)
    assert message.state == "failed"
    with demo.read() as s:
        answers = [row.answer for row in s.execute(select(DeliveryLog).order_by(DeliveryLog.id)).scalars()]
    assert f"HTTP {gone}: subscription gone" in answers
    assert not any("/push/browser-1" in (answer or "") for answer in answers)


@pytest.mark.parametrize("trouble", [500, 503, 429])
def test_a_push_service_in_trouble_is_retried(client, demo, app, clerk, clock, ticket, push_service, trouble):
    browser = subscribe(demo, app, clock, ticket, push_service)
    worker = Worker(demo, app.config)
    worker.run_once(clock())                        # "joined"
    push_service.answers = [trouble]
    call(client, demo, clerk, clock)
    worker.run_once(clock())
    called = outbox(demo)[-1]
    assert called.state == "queued" and called.attempts == 1 and called.last_answer == f"HTTP {trouble}"
    worker.run_once(clock() + timedelta(seconds=5))
    assert outbox(demo)[-1].state == "sent"
    first, second = push_service.received[-2:]
    assert browser.read(first) == browser.read(second)
    assert first.headers["Topic"] == second.headers["Topic"]     # the retry replaces a held copy


def test_an_unsubscribed_ticket_gets_no_push(client, demo, app, clerk, clock, ticket, push_service):
    browser = subscribe(demo, app, clock, ticket, push_service)
    assert push_ops.unsubscribe(demo, ticket["token"], browser.subscription.endpoint, now=clock())
    call(client, demo, clerk, clock)
    worker = Worker(demo, app.config)
    worker.run_once(clock())
    worker.run_once(clock() + timedelta(minutes=5))
    assert push_service.received == []
    assert {m.state for m in outbox(demo)} == {"failed"}      # the "joined" queued before: not sent


def test_a_ticket_without_a_subscription_queues_nothing(client, demo, app, clerk, clock, ticket, push_service):
    call(client, demo, clerk, clock)
    assert outbox(demo) == []
    assert Worker(demo, app.config).run_once(clock()) == 0
    assert push_service.received == []


def test_the_endpoint_is_not_logged_even_at_debug_level(client, demo, app, clerk, clock, ticket, push_service,
                                                        caplog):
    caplog.set_level("DEBUG")
    subscribe(demo, app, clock, ticket, push_service, "/push/secret-browser-id")
    push_service.answers = [201, 410]
    call(client, demo, clerk, clock)
    worker = Worker(demo, app.config)
    worker.run_once(clock())
    worker.run_once(clock() + timedelta(minutes=1))
    assert len(push_service.received) == 2
    ours = [record for record in caplog.records if record.name != "werkzeug"]   # not the fake service's own log
    assert not [record.getMessage() for record in ours if "secret-browser-id" in record.getMessage()]
