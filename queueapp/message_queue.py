"""The Socket.IO message queue between processes (Redis), made to ride out a Redis outage:
events of this process still reach its own clients, the listener tries again every second
(python-socketio's RedisManager doubles its wait up to 60 s, so events between processes
stayed off for up to a minute after Redis was back), and an outage is logged twice (start,
end) instead of once per event."""
from __future__ import annotations

import time

from socketio import RedisManager

from .outages import REDIS

RETRY_SECONDS = 1.0


def redis_options(timeout: float | None = None) -> dict:
    """Redis client options that bound what a Redis outage costs a request: a host that does
    not answer (not even a refusal) gives up after 2 s, and a failed command is tried once
    more at once (a connection left stale by a Redis restart), not ten times with back-off."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry
    return {"socket_connect_timeout": 2, "socket_timeout": timeout, "retry": Retry(NoBackoff(), 1)}


class PromptRedisManager(RedisManager):
    """RedisManager with a steady one-second retry and one outage log (queueapp.outages)."""

    def __init__(self, url: str, channel: str):
        # No read timeout: the listener waits for messages as long as the channel is quiet.
        super().__init__(url, channel=channel, redis_options=redis_options())
        self._next_publish = 0.0   # monotonic time before which publishing is not tried

    def _redis_listen_with_retries(self):
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    subscribed = True
                    self._next_publish = 0.0
                    REDIS.recovered()
                yield from self.pubsub.listen()
            except Exception as exc:  # noqa: BLE001 - any Redis failure: wait and subscribe again
                REDIS.failed(exc, by="message queue")
                subscribed = False
                time.sleep(RETRY_SECONDS)

    def _publish(self, data):
        """Sent to the other processes; this process's own clients already have it (the
        manager emits locally first). After a failure, publishing is tried again a second
        later (or as soon as the listener is back), not on every event; screens of other
        processes that missed an event see the gap in `seq` and resync."""
        now = time.monotonic()
        if now < self._next_publish:
            return None
        try:
            if not self.connected:
                self._redis_connect()
            return self.redis.publish(self.channel, self.json.dumps(data))
        except Exception as exc:  # noqa: BLE001 - a broadcast never fails the request
            self.connected = False
            self._next_publish = now + RETRY_SECONDS
            REDIS.failed(exc, by="message queue")
            return None


def client_manager(redis_url: str | None, channel: str):
    """The manager for SocketIO.init_app: None (this process only) without Redis."""
    return PromptRedisManager(redis_url, channel) if redis_url else None
