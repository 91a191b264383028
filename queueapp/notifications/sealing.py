"""The citizen's phone (or push subscription) at rest: encrypted with a Fernet key derived
from the app's SECRET_KEY, so a copy of the database alone does not give the numbers out.
A changed SECRET_KEY makes old recipients unreadable: their messages fail, nothing leaks."""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from ..domain.booking import keyed_digest, personal_data_key


def _fernet(secret_key: str) -> Fernet:
    key = hashlib.sha256(b"queueapp:notify-recipient:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(value.encode()).decode()


def unseal(token: str, secret_key: str) -> str | None:
    """The recipient, or None when erased or sealed under another key."""
    if not token:
        return None
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def phone_hash(phone: str, secret_key: str) -> str:
    """The keyed hash an erasure request by phone matches (as online joins keep it)."""
    return keyed_digest(phone, personal_data_key(secret_key))
