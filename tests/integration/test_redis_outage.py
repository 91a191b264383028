"""Redis goes down under two live processes and comes back: booking and check-in go on (rate
limits in memory), /health says "degraded" and then "ok", events between the processes resume
within seconds, and each process logs the outage once when it starts and once when it ends."""
from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from datetime import datetime, timezone

import pytest
import redis
import requests

from queueapp.db import Database
from queueapp.services import staff

from ..e2e.conftest import prepare_instance
from ..e2e.test_realtime_live import Watcher
from ..support import IN_CI, LiveServer, create_pg_schema, drop_pg_schema, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


class RedisServer:
    """A redis-server of the test's own on a spare port, stopped and started at will."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--daemonize", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                if client.ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        if IN_CI:
            pytest.fail("redis-server not installed (CI=true: the Redis outage test must run)")
        pytest.skip("redis-server not installed")
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def processes(redis_server, tmp_path):
    """Two processes of one deployment on PostgreSQL, sharing the test's own Redis."""
    schema, url = create_pg_schema()
    servers = []
    try:
        env = prepare_instance(tmp_path / "shared", database_url=url)
        env.update({"QUEUEAPP_REDIS_URL": redis_server.url, "QUEUEAPP_REDIS_CHANNEL": f"test-{uuid.uuid4().hex}"})
        for _ in range(2):
            servers.append(LiveServer(dict(env)).start())
        database = Database(url)
        try:
            # Tickets are issued as a staff member would (anonymous issuing is being closed).
            token = staff.create_token(database, "loket1", now=datetime.now(timezone.utc))
        finally:
            database.dispose()
        for server in servers:
            server.headers = {"Authorization": f"Bearer {token}"}
        yield servers
    finally:
        for server in servers:
            server.stop()
        drop_pg_schema(schema)


def public_calls(server: LiveServer) -> dict[str, int]:
    """What a citizen and a kiosk do that is rate limited, and the status each answered."""
    api = f"{server.url}/api/v1/offices/demo"
    calls = {
        "booking page": requests.get(f"{server.url}/booking/demo", timeout=10),
        "slots": requests.get(f"{api}/services/A/slots", timeout=10),
        "book without a name": requests.post(f"{api}/appointments", json={"service": "A"}, timeout=10),
        "kiosk check-in, unknown code": requests.post(f"{api}/check-in", json={"code": "ZZZZ-ZZZZ"}, timeout=10),
    }
    return {name: response.status_code for name, response in calls.items()}


def health(server: LiveServer) -> dict:
    return requests.get(f"{server.url}/api/v1/health", timeout=10).json()


def wait_until(predicate, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def issue(server: LiveServer) -> str:
    response = requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": "A"},
                             headers=server.headers, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["number"]


def reaches(watcher: Watcher, number: str, timeout: float) -> bool:
    try:
        watcher.wait_for(lambda: any((e.get("ticket") or {}).get("number") == number for e in watcher.events),
                         timeout=timeout)
    except AssertionError:
        return False
    return True


def outage_lines(server: LiveServer) -> dict[str, int]:
    log = server.log_path.read_text(errors="replace").splitlines()
    return {"start": sum("Redis is unavailable" in line for line in log),
            "end": sum("Redis is available again" in line for line in log),
            "warnings and errors": sum(" WARNING " in line or " ERROR " in line for line in log)}


def test_a_redis_outage_degrades_the_service_and_it_resumes_when_redis_is_back(processes, redis_server):
    first, second = processes
    on_first = Watcher(first.url, {"office": "demo"})
    on_second = Watcher(second.url, {"office": "demo"})
    try:
        on_second.wait_for(lambda: on_second.snapshots)
        on_first.wait_for(lambda: on_first.snapshots)
        assert reaches(on_second, issue(first), timeout=10)
        answers_with_redis = public_calls(first)
        assert health(first)["redis"] == "ok"

        redis_server.stop()
        # Long enough for python-socketio's own back-off (1, 2, 4, 8 s ...) to reach 16 s.
        outage_ends = time.monotonic() + 18
        requests_during_outage = 0
        assert public_calls(first) == answers_with_redis   # the same answers, not 500
        assert public_calls(second) == answers_with_redis
        requests_during_outage += 8
        assert health(first) | {"disk_free_mb": None} == {
            "status": "degraded", "database": "ok", "redis": "unreachable", "disk": "ok", "disk_free_mb": None}
        # This process's own screens still hear its events.
        assert reaches(on_first, issue(first), timeout=10)
        while time.monotonic() < outage_ends:
            assert 500 not in public_calls(first).values()
            requests_during_outage += 4
            time.sleep(1)

        redis_server.start()
        assert wait_until(lambda: health(first)["status"] == "ok" and health(second)["status"] == "ok")

        # An event from the first process reaches a client of the second within seconds.
        def an_event_crosses() -> bool:
            return reaches(on_second, issue(first), timeout=1)
        assert wait_until(an_event_crosses, timeout=10)
    finally:
        on_first.close()
        on_second.close()

    for server in processes:
        lines = outage_lines(server)
        assert lines["start"] == 1 and lines["end"] == 1, lines
        # The rate limits say it too, once: a handful of lines, not one per request or retry.
        assert lines["warnings and errors"] <= 4 < requests_during_outage, lines
