"""Failed log-ins counted per account and per client address, in the rate limits'
storage (memory, or Redis that every process shares). Over a limit, a log-in is refused
before its password is hashed, so a flood of guesses costs no hashing; the lock ends by
itself when its window ends. A success clears the account's count, and so does an
administrator's password reset."""
from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from ..domain import errors

log = logging.getLogger(__name__)
PREFIX = "queueapp-login"


def _account_key(username: str) -> str:
    # A name typed into the wrong field may be a password: the storage keeps its hash only.
    name = str(username or "").strip().lower()[:64]
    return "account/" + hashlib.sha256(name.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class LoginThrottle:
    """`per_account`: at most this many failed log-ins per account (known or not) per
    window; `per_address`: per client address. Empty tuples turn a limit off."""

    storage: Storage
    per_account: tuple[RateLimitItem, ...] = ()
    per_address: tuple[RateLimitItem, ...] = ()

    @classmethod
    def of(cls, storage_uri: str, *, lockout: str, per_address: str) -> LoginThrottle:
        """From the settings' notation ("10 per 15 minutes"; empty: no limit)."""
        return cls(storage_from_string(storage_uri), tuple(parse_many(lockout)) if lockout else (),
                   tuple(parse_many(per_address)) if per_address else ())

    @property
    def _limiter(self) -> FixedWindowRateLimiter:
        return FixedWindowRateLimiter(self.storage)

    def _windows(self, username: str, address: str, *, account_only: bool = False
                 ) -> Iterator[tuple[RateLimitItem, str]]:
        for item in self.per_account:
            yield item, _account_key(username)
        if address and not account_only:
            for item in self.per_address:
                yield item, "address/" + address

    def check(self, username: str, address: str) -> None:
        """Raises LoginLocked (with the minutes left) when the account or the address has
        used up its failed log-ins. A storage that does not answer locks no one."""
        try:
            for item, key in self._windows(username, address):
                if not self._limiter.test(item, PREFIX, key):
                    reset = self._limiter.get_window_stats(item, PREFIX, key).reset_time
                    seconds = max(1, math.ceil(reset - time.time()))
                    raise errors.LoginLocked(minutes=math.ceil(seconds / 60), seconds=seconds)
        except errors.LoginLocked:
            raise
        except Exception:  # noqa: BLE001 - e.g. Redis is down: log-in still works, unthrottled
            log.warning("the log-in limits' storage does not answer; log-ins are not limited", exc_info=True)

    def failed(self, username: str, address: str) -> bool:
        """Count a failed log-in against the account and the address; returns whether
        this failure used up a limit (the next log-in is refused)."""
        try:
            windows = list(self._windows(username, address))
            for item, key in windows:
                self._limiter.hit(item, PREFIX, key)
            return any(not self._limiter.test(item, PREFIX, key) for item, key in windows)
        except Exception:  # noqa: BLE001 - see check
            log.warning("the log-in limits' storage does not answer", exc_info=True)
            return False

    def clear(self, username: str) -> None:
        """Forget the account's failed log-ins (a success, or a password reset)."""
        try:
            for item, key in self._windows(username, "", account_only=True):
                self._limiter.clear(item, PREFIX, key)
        except Exception:  # noqa: BLE001 - see check
            log.warning("the log-in limits' storage does not answer", exc_info=True)
