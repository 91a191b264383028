"""Failed log-ins counted per account and per client address, in the rate limits'
storage (memory, or Redis that every process shares). Each attempt is counted before its
password is hashed (atomically, so parallel guesses are counted too) and a success takes it
back; over a limit, a log-in is refused without hashing anything, so a flood of guesses
costs no hashing. The lock ends by itself when its window ends; a success clears the
account's count, and so does an administrator's password reset."""
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

    def attempt(self, username: str, address: str) -> None:
        """Count a log-in attempt before its password is checked, so that guesses sent in
        parallel cannot all pass a check made before any of them failed. Raises LoginLocked
        (with the minutes left) when the account or the address has used up its attempts:
        the caller then hashes nothing. A storage that does not answer locks no one."""
        try:
            windows = list(self._windows(username, address))
            refused = [(item, key) for item, key in windows if not self._limiter.hit(item, PREFIX, key)]
            if not refused:
                return
            reset = min(self._limiter.get_window_stats(item, PREFIX, key).reset_time for item, key in refused)
        except Exception:  # noqa: BLE001 - e.g. Redis is down: log-in still works, unthrottled
            log.warning("the log-in limits' storage does not answer; log-ins are not limited", exc_info=True)
            return
        seconds = max(1, math.ceil(max(reset, time.time()) - time.time()))
        raise errors.LoginLocked(minutes=math.ceil(seconds / 60), seconds=seconds)

    def used_up(self, username: str, address: str) -> bool:
        """Whether the next attempt is refused (this failure began a lock)."""
        try:
            return any(not self._limiter.test(item, PREFIX, key) for item, key in self._windows(username, address))
        except Exception:  # noqa: BLE001 - see attempt
            return False

    def succeeded(self, username: str, address: str) -> None:
        """The right password: the account's failures are forgotten, and the address gets
        this attempt back (an office of many clerks behind one address logs in each day)."""
        self.clear(username)
        try:
            for item in self.per_address if address else ():
                key = item.key_for(PREFIX, "address/" + address)
                if self.storage.get(key) > 0:
                    self.storage.incr(key, item.get_expiry(), amount=-1)
        except Exception:  # noqa: BLE001 - see attempt
            log.warning("the log-in limits' storage does not answer", exc_info=True)

    def clear(self, username: str) -> None:
        """Forget the account's failed log-ins (a success, or a password reset)."""
        try:
            for item, key in self._windows(username, "", account_only=True):
                self._limiter.clear(item, PREFIX, key)
        except Exception:  # noqa: BLE001 - see attempt
            log.warning("the log-in limits' storage does not answer", exc_info=True)
