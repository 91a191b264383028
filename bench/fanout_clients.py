"""One load process of bench_fanout: N python-socketio clients (websocket transport) on the
public room of the demo office, recording when each `ticket.called` event arrives.

Protocol with the parent on stdout/stdin: prints `READY {"connected": n, "failed": n}` once every
client has connected and received its snapshot, then waits for a `DONE` line on stdin (or its
own deadline), prints `RESULT {...}` with the latencies and exits. Started by bench_fanout.py.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from collections import Counter
from datetime import datetime

import socketio

CALLED = "ticket.called"


class Listener:
    """One screen: connects, subscribes to {"office": slug}, keeps (seq, latency_ms) per call."""

    def __init__(self, url: str, office: str):
        self.url, self.office = url, office
        self.sio = socketio.AsyncClient(reconnection=False)
        self.subscribed = asyncio.Event()
        self.received: list[tuple[int, float]] = []
        self.sio.on("snapshot", self._on_snapshot)
        self.sio.on("event", self._on_event)
        self.sio.on("error", self._on_error)
        self.sio.on("disconnect", self._on_disconnect)
        self.dropped_at: float | None = None
        self.leaving = False
        self.problem: str | None = None

    async def _on_snapshot(self, _data) -> None:
        self.subscribed.set()

    async def _on_disconnect(self, reason=None) -> None:
        if not self.leaving and self.dropped_at is None:
            self.dropped_at = time.time()
            self.problem = f"dropped: {reason}"

    async def _on_error(self, data) -> None:
        self.problem = f"subscribe refused: {data.get('code') if isinstance(data, dict) else data}"

    async def _on_event(self, data) -> None:
        arrived = time.time()
        if data.get("type") == CALLED:
            # `at` is the moment the server's call-next request started, in UTC.
            sent = datetime.fromisoformat(data["at"]).timestamp()
            self.received.append((data["seq"], (arrived - sent) * 1000))

    async def start(self, timeout: float) -> bool:
        stage = "connect"
        try:
            await self.sio.connect(self.url, transports=["websocket"], wait_timeout=timeout)
            stage = "subscribe"
            await self.sio.emit("subscribe", {"office": self.office})
            await asyncio.wait_for(self.subscribed.wait(), timeout)
            return True
        except Exception as exc:  # noqa: BLE001 - a failed client is counted, not fatal
            self.problem = f"failed at {stage}: {exc!r}"
            return False


async def wait_for_done(deadline: float) -> None:
    loop = asyncio.get_running_loop()
    while time.monotonic() < deadline:
        line = await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.readline),
                                      max(1.0, deadline - time.monotonic()))
        if not line or line.strip() == "DONE":
            return


async def main(args) -> None:
    deadline = time.monotonic() + args.timeout
    urls = args.urls.split(",")
    listeners = [Listener(urls[i % len(urls)], args.office) for i in range(args.clients)]
    gate = asyncio.Semaphore(args.parallel)

    async def start(listener: Listener) -> bool:
        async with gate:
            return await listener.start(30)

    ok = await asyncio.gather(*(start(listener) for listener in listeners))
    print("READY " + json.dumps({"connected": sum(ok), "failed": len(ok) - sum(ok)}), flush=True)
    try:
        await wait_for_done(deadline)
    except asyncio.TimeoutError:
        pass
    for listener in listeners:
        listener.leaving = True
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print("RESULT " + json.dumps({
        "connected": sum(ok),
        "received": [r for listener in listeners for r in listener.received],
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "dropped": sum(1 for listener in listeners if listener.dropped_at is not None),
        "problems": Counter(listener.problem for listener in listeners if listener.problem),
    }), flush=True)
    await asyncio.gather(*(listener.sio.disconnect() for listener, up in zip(listeners, ok) if up),
                         return_exceptions=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="socket.io listeners for bench_fanout")
    parser.add_argument("--urls", required=True, help="comma-separated server URLs, used in turn")
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--office", default="demo")
    parser.add_argument("--parallel", type=int, default=50, help="connections opened at once")
    parser.add_argument("--timeout", type=float, default=280, help="the process ends by then")
    asyncio.run(main(parser.parse_args()))
