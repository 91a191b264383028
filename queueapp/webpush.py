"""Web push I/O: the server's VAPID key pair (generated once into the instance folder) and
one encrypted POST to a browser's push service with pywebpush. No Flask, no database: the
notification channel (queueapp.notifications) decides what to send and what to do after.

The endpoint identifies a browser (personal data): nothing here logs it, and the answer
this module hands back names the push service's status only."""
from __future__ import annotations

import base64
import enum
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

KEY_FILE = "vapid.json"
DEFAULT_SUBJECT = "mailto:queueapp@localhost"
# A push service answers in well under a second; a hung one must not hold the worker.
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class VapidKeys:
    """The application server's keys: the private one signs each push (RFC 8292), the public
    one (base64url of the P-256 point) is what a browser subscribes with."""

    private_pem: str
    public_key: str

    def signer(self) -> Vapid:
        return Vapid.from_pem(self.private_pem.encode())


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generate_keys() -> VapidKeys:
    vapid = Vapid()
    vapid.generate_keys()
    public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return VapidKeys(private_pem=vapid.private_pem().decode(), public_key=_b64url(public))


def vapid_keys(folder: Path) -> VapidKeys:
    """The keys kept in <folder>/vapid.json (owner-readable only), generated on first need.
    Processes starting at once agree: the first file linked into place wins, the others
    read it. A new pair would orphan every subscription, so the file is never rewritten."""
    path = Path(folder) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = generate_keys()
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "w") as out:
                json.dump({"private_key": keys.private_pem, "public_key": keys.public_key}, out)
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    stored = json.loads(path.read_text())
    return VapidKeys(private_pem=stored["private_key"], public_key=stored["public_key"])


def subject_for(configured: str | None, public_url: str | None) -> str:
    """The VAPID `sub` claim (a contact for the push service's operator): the configured
    one, else the site's https origin, else a mailto: placeholder."""
    if configured:
        return configured
    if public_url and public_url.lower().startswith("https://"):
        parts = urlsplit(public_url)
        if parts.hostname and "." in parts.hostname and parts.port is None:
            return f"https://{parts.hostname}"
    return DEFAULT_SUBJECT


class _WhilePushing(logging.Filter):
    """urllib3 logs each request's path at DEBUG, and a push endpoint's path identifies the
    browser: its records are dropped while this thread (or greenlet) sends a push."""

    local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(self.local, "pushing", False)


_QUIET = _WhilePushing()
for _name in ("urllib3.connectionpool", "urllib3.util.retry", "requests.packages.urllib3.connectionpool"):
    logging.getLogger(_name).addFilter(_QUIET)


class Outcome(str, enum.Enum):
    DELIVERED = "delivered"     # the push service took it (201/202)
    GONE = "gone"               # 404/410: the browser unsubscribed; forget the subscription
    RETRY = "retry"             # 429, 5xx or no answer: try again later
    REJECTED = "rejected"       # another 4xx (a bad key, too large): trying again won't help


@dataclass(frozen=True)
class Sent:
    outcome: Outcome
    answer: str                 # "HTTP 201", "HTTP 410", "no answer: ConnectTimeout"


def outcome_of(status: int) -> Outcome:
    if status in (200, 201, 202):
        return Outcome.DELIVERED
    if status in (404, 410):
        return Outcome.GONE
    if status == 429 or status >= 500 or status == 408:
        return Outcome.RETRY
    return Outcome.REJECTED


def push(subscription: dict, payload: dict, *, keys: VapidKeys, subject: str, ttl: int,
         urgency: str = "normal", topic: str | None = None, timeout: float = TIMEOUT_SECONDS) -> Sent:
    """Encrypt `payload` (JSON) for the browser of `subscription` ({"endpoint", "keys":
    {"p256dh", "auth"}}) and POST it to its push service, signed with the VAPID keys, with
    `ttl` (seconds the service may hold it for an offline phone), `urgency` and `topic` (a
    newer message of the same topic replaces one still held)."""
    headers = {"Urgency": urgency}
    if topic:
        headers["Topic"] = topic
    _QUIET.local.pushing = True
    try:
        response = webpush(subscription, json.dumps(payload, ensure_ascii=False), vapid_private_key=keys.signer(),
                           vapid_claims={"sub": subject}, ttl=ttl, timeout=timeout,
                           headers=headers)
    except WebPushException as exc:
        if exc.response is None:   # refused before sending (a subscription pywebpush cannot use)
            return Sent(Outcome.REJECTED, "not sent: invalid subscription")
        status = exc.response.status_code
        return Sent(outcome_of(status), f"HTTP {status}")
    except (ValueError, TypeError):
        return Sent(Outcome.REJECTED, "not sent: invalid subscription keys")
    except requests.RequestException as exc:
        return Sent(Outcome.RETRY, f"no answer: {type(exc).__name__}")
    finally:
        _QUIET.local.pushing = False
    return Sent(outcome_of(response.status_code), f"HTTP {response.status_code}")
