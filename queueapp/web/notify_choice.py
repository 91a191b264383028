"""The citizen's choice of message channels, as the booking and join requests carry it
("notify": ["whatsapp", "sms"] in JSON, or checked boxes named notify in a form)."""
from __future__ import annotations

from flask_babel import get_locale

from ..domain.notify import PHONE_CHANNELS, language_of, parse_channels


def message_language() -> str:
    """The language of the page or request (id by default, en when chosen)."""
    return language_of(str(get_locale() or "id"))


def notify_choice(body) -> dict:
    """Keyword arguments for the use case: the channels agreed to and the page's language.
    Raises InvalidInput (422) for an unknown channel."""
    value = body.getlist("notify") if hasattr(body, "getlist") else body.get("notify")
    return {"notify_channels": parse_channels(value, PHONE_CHANNELS), "language": message_language()}
