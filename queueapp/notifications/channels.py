"""How a message leaves: the Channel interface, a registry by name, and the WhatsApp
Cloud API and SMS gateway channels. Another module adds "webpush" with `register`.

A channel is built from the app's settings (None when it is not configured) and sends
one message to one recipient, answering with a Result; it never raises for a provider's
failure, and never puts the recipient into its answer."""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests

from ..domain.notify import e164, template_values, trim_answer

log = logging.getLogger(__name__)

# Seconds to connect and to read: a hung provider holds one worker for this long at most.
TIMEOUT = (3.05, 10)


@dataclass(frozen=True)
class Outgoing:
    """One message as a channel sees it: the text is rendered in the citizen's language,
    links are absolute; `params` are the template's (for WhatsApp)."""

    id: int
    idempotency_key: str
    kind: str
    language: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """delivered: the provider took it. retry: not delivered, worth another try later.
    answer: the provider's answer for the delivery log (trimmed, phone-free)."""

    delivered: bool
    retry: bool
    answer: str = ""


class Channel(Protocol):
    name: str
    paid: bool          # counts against the office's daily cap

    def send(self, message: Outgoing, recipient: str) -> Result: ...


# name -> factory(settings) returning the channel, or None when it is not configured.
Factory = Callable[[Mapping[str, Any]], "Channel | None"]
_REGISTRY: dict[str, Factory] = {}


def register(name: str, factory: Factory) -> None:
    """Add (or replace) a channel kind; the worker builds every registered one at start."""
    _REGISTRY[name] = factory


def registered() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def build(settings: Mapping[str, Any]) -> dict[str, Channel]:
    """The configured channels, by name."""
    built = {}
    for name, factory in _REGISTRY.items():
        channel = factory(settings)
        if channel is not None:
            built[name] = channel
    return built


def http_result(response: requests.Response | None, error: Exception | None = None) -> Result:
    """Any 2xx is delivered; 429 and 5xx and network errors are retried; other 4xx are
    refused (retried a few times by the worker, then failed)."""
    if error is not None:
        return Result(False, True, trim_answer(f"{type(error).__name__}: no answer from the provider"))
    answer = trim_answer(f"{response.status_code} {response.text[:400]}")
    if 200 <= response.status_code < 300:
        return Result(True, False, answer)
    return Result(False, response.status_code == 429 or response.status_code >= 500, answer)


def post(url: str, payload: dict, headers: dict) -> Result:
    try:
        response = requests.post(url, json=payload, headers=headers, timeout=TIMEOUT)
    except requests.RequestException as exc:
        return http_result(None, exc)
    return http_result(response)


class WhatsAppChannel:
    """WhatsApp Business Platform Cloud API: an approved template per kind, its body
    parameters in PARAMS order, language id or en."""

    name = "whatsapp"
    paid = True

    def __init__(self, base_url: str, token: str, phone_number_id: str, templates: Mapping[str, str]):
        self.url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self.token = token
        self.templates = templates

    def send(self, message: Outgoing, recipient: str) -> Result:
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": e164(recipient).lstrip("+"),
            "type": "template",
            "template": {
                "name": self.templates.get(message.kind, f"queueapp_{message.kind}"),
                "language": {"code": message.language},
                "components": [{"type": "body", "parameters": [
                    {"type": "text", "text": value} for value in template_values(message.kind, message.params)]}],
            },
            # Cloud API has no idempotency header; the key travels as the message's tracking data.
            "biz_opaque_callback_data": message.idempotency_key,
        }
        return post(self.url, payload, {"Authorization": f"Bearer {self.token}"})


class SmsChannel:
    """A generic HTTP gateway: POST {"to": "+62...", "text": "..."} with an optional bearer
    token and the message's Idempotency-Key header."""

    name = "sms"
    paid = True

    def __init__(self, url: str, token: str | None):
        self.url = url
        self.token = token

    def send(self, message: Outgoing, recipient: str) -> Result:
        headers = {"Idempotency-Key": message.idempotency_key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return post(self.url, {"to": e164(recipient), "text": message.text}, headers)


def parse_templates(value: str) -> dict[str, str]:
    """QUEUEAPP_WHATSAPP_TEMPLATES: "booked=my_booking,called=my_call" (others: queueapp_<kind>)."""
    pairs = [item.split("=", 1) for item in (value or "").split(",") if "=" in item]
    return {kind.strip(): name.strip() for kind, name in pairs}


def _whatsapp(settings: Mapping[str, Any]) -> WhatsAppChannel | None:
    if not (settings.get("WHATSAPP_TOKEN") and settings.get("WHATSAPP_PHONE_NUMBER_ID")):
        return None
    return WhatsAppChannel(settings.get("WHATSAPP_API_URL") or "https://graph.facebook.com/v21.0",
                           settings["WHATSAPP_TOKEN"], settings["WHATSAPP_PHONE_NUMBER_ID"],
                           parse_templates(settings.get("WHATSAPP_TEMPLATES") or ""))


def _sms(settings: Mapping[str, Any]) -> SmsChannel | None:
    if not settings.get("SMS_URL"):
        return None
    return SmsChannel(settings["SMS_URL"], settings.get("SMS_TOKEN"))


register("whatsapp", _whatsapp)
register("sms", _sms)
