"""Web push rules without I/O: which subscriptions the server keeps, and how urgent and
long-lived each kind of message is for the push service."""
from __future__ import annotations

import base64

import pytest

from queueapp.domain.push import InvalidSubscription, Subscription, check_endpoint, delivery_for
from queueapp.webpush import Outcome, outcome_of, subject_for


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_browsers_subscription_is_kept_without_padding():
    body = {"endpoint": "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
            "keys": {"p256dh": b64url(b"\x04" + bytes(64)) + "=", "auth": b64url(bytes(16)) + "=="}}
    subscription = Subscription.parse(body)
    assert subscription.info() == {"endpoint": body["endpoint"],
                                   "keys": {"p256dh": b64url(b"\x04" + bytes(64)), "auth": b64url(bytes(16))}}


@pytest.mark.parametrize("endpoint", ["https://10.0.0.5/push", "https://printer.local:notaport/x", "ftp://a.b/c",
                                      "https://web.push.apple.com\n/x"])
def test_an_endpoint_the_server_should_not_post_to_is_refused(endpoint):
    with pytest.raises(InvalidSubscription):
        check_endpoint(endpoint)


def test_a_call_is_urgent_and_short_lived_and_the_rest_may_wait():
    assert (delivery_for("called").urgency, delivery_for("called").ttl) == ("high", 300)
    assert delivery_for("recalled").urgency == "high"
    assert delivery_for("ahead").urgency == "normal" and delivery_for("ahead").ttl == 900
    assert delivery_for("survey").ttl == 12 * 3600


@pytest.mark.parametrize("status, outcome", [(201, Outcome.DELIVERED), (202, Outcome.DELIVERED),
                                             (404, Outcome.GONE), (410, Outcome.GONE), (429, Outcome.RETRY),
                                             (500, Outcome.RETRY), (503, Outcome.RETRY), (400, Outcome.REJECTED),
                                             (413, Outcome.REJECTED), (403, Outcome.REJECTED)])
def test_the_push_services_answer_decides_what_happens_next(status, outcome):
    assert outcome_of(status) is outcome


def test_the_vapid_contact_is_the_configured_one_else_the_sites_https_origin():
    assert subject_for("mailto:it@kecamatan.go.id", "https://antrian.go.id") == "mailto:it@kecamatan.go.id"
    assert subject_for(None, "https://antrian.kecamatan.go.id/") == "https://antrian.kecamatan.go.id"
    assert subject_for(None, "http://192.168.1.10:8000") == "mailto:queueapp@localhost"
