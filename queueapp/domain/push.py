"""Web push as the rules see it: what a browser's push subscription must look like before
the server keeps it (and later POSTs to its endpoint), and how urgent and how long-lived
each kind of message is. No I/O: the sending is queueapp.webpush's."""
from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .errors import N_, IllegalTransition, InvalidInput

# Push services' endpoints run to about 250 characters (FCM, Mozilla, Apple, WNS).
MAX_ENDPOINT = 1000
# The browser's P-256 public key (uncompressed point: 65 bytes) and its 16-byte auth secret.
P256DH_BYTES = 65
AUTH_BYTES = 16


class InvalidSubscription(InvalidInput):
    code = "invalid_subscription"


class TicketFinished(IllegalTransition):
    """A finished, cancelled or no-show ticket: nothing more will be sent for it."""

    code = "ticket_finished"


@dataclass(frozen=True)
class Subscription:
    """A browser's push subscription (PushSubscription.toJSON()): where to POST, and the keys
    that encrypt the message for that browser only."""

    endpoint: str
    p256dh: str
    auth: str

    @classmethod
    def parse(cls, body: Any) -> Subscription:
        """{"endpoint": "https://...", "keys": {"p256dh": "...", "auth": "..."}} as a browser
        gives it. The endpoint must be an https URL of a named host (the server POSTs to it:
        no address literal, no localhost, no user name), at most MAX_ENDPOINT characters; the
        keys must be base64url of a P-256 point and a 16-byte secret. Raises InvalidSubscription."""
        if not isinstance(body, dict):
            raise InvalidSubscription(N_("A push subscription is a JSON object"))
        endpoint = body.get("endpoint")
        keys = body.get("keys")
        if not isinstance(endpoint, str) or not isinstance(keys, dict):
            raise InvalidSubscription(N_("A push subscription needs an endpoint and keys"))
        check_endpoint(endpoint)
        p256dh, auth = keys.get("p256dh"), keys.get("auth")
        if _decoded_length(p256dh) != P256DH_BYTES or not _decode(p256dh).startswith(b"\x04"):
            raise InvalidSubscription(N_("The subscription's p256dh key is not a P-256 public key"))
        if _decoded_length(auth) != AUTH_BYTES:
            raise InvalidSubscription(N_("The subscription's auth secret is not 16 bytes"))
        return cls(endpoint=endpoint, p256dh=p256dh.rstrip("="), auth=auth.rstrip("="))

    def info(self) -> dict:
        """The subscription as pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


def check_endpoint(endpoint: Any) -> str:
    """The endpoint, when it is an https URL of a named host. Raises InvalidSubscription."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT:
        raise InvalidSubscription(N_("The push endpoint must be a URL of at most %(max)s characters"),
                                  max=MAX_ENDPOINT)
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port   # noqa: B018 - a port that is no number raises here
    except ValueError:
        raise InvalidSubscription(N_("The push endpoint is not a valid URL")) from None
    if parts.scheme != "https" or not host or parts.username is not None or parts.password is not None:
        raise InvalidSubscription(N_("The push endpoint must be an https URL"))
    if _is_address(host) or "." not in host or host == "localhost" or host.endswith(".localhost") \
            or any(ord(ch) < 33 or ord(ch) > 126 for ch in endpoint):
        raise InvalidSubscription(N_("The push endpoint must be a push service's https URL"))
    return endpoint


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def _decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _decoded_length(value: Any) -> int:
    if not isinstance(value, str) or len(value) > 128 or not BASE64URL.fullmatch(value):
        return -1
    try:
        return len(_decode(value))
    except (binascii.Error, ValueError):
        return -1


# How urgent a message is for the push service (RFC 8030 Urgency) and how long it may wait
# for a phone that is offline (TTL, seconds): a call is worth nothing a few minutes late.
CALL_KINDS = frozenset({"called", "recalled"})


@dataclass(frozen=True)
class Delivery:
    ttl: int
    urgency: str


def delivery_for(kind: str) -> Delivery:
    """The TTL and urgency of a message of `kind` (the notification core's message kind)."""
    if kind in CALL_KINDS:
        return Delivery(ttl=5 * 60, urgency="high")
    if kind in {"ahead", "near", "transferred", "no_show"}:
        return Delivery(ttl=15 * 60, urgency="normal")
    return Delivery(ttl=12 * 3600, urgency="normal")
