"""`queueapp serve` in a subprocess on a free port, as an office runs it.

Shared by the e2e tests and the benchmarks (bench/server.py), so it imports no pytest.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """Starts, waits for /api/v1/health, stops. `env` must name QUEUEAPP_INSTANCE_PATH,
    where the server's log goes."""

    # Variables of the calling environment that must not leak into the server.
    DROP_ENV = ("QUEUEAPP_ASYNC_MODE",)

    def __init__(self, env: dict, worker: str = "gevent", port: int | None = None, cwd: Path | None = None,
                 preexec_fn=None):
        self.env = env
        self.worker = worker
        self.port = port or free_port()
        self.cwd = cwd
        self.preexec_fn = preexec_fn
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return Path(self.env["QUEUEAPP_INSTANCE_PATH"]) / f"server-{self.port}.log"

    def start(self, timeout: float = 30) -> LiveServer:
        env = {**os.environ, **self.env}
        for name in self.DROP_ENV:
            env.pop(name, None)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.command(), env=env, cwd=self.cwd or ROOT, stdout=self.log,
                                     stderr=subprocess.STDOUT, preexec_fn=self.preexec_fn)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.read_log()}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start: {self.read_log()}")

    def command(self) -> list[str]:
        return [sys.executable, "-m", "queueapp", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                "--worker", self.worker]

    def read_log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def stop(self, timeout: float = 10) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
