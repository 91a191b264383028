"""A fake WhatsApp Cloud API and a fake SMS gateway: real HTTP servers on 127.0.0.1 that
record every request and answer with the status codes a test lines up (200 when none)."""
from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Received:
    path: str
    headers: dict
    body: dict


@dataclass
class FakeProvider:
    answers: list[int] = field(default_factory=list)   # status codes to answer, in turn
    received: list[Received] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _app(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            self.received.append(Received(request.path, dict(request.headers), json.loads(request.data or b"{}")))
            status = self.answers.pop(0) if self.answers else 200
        body = {"messages": [{"id": f"wamid.{len(self.received)}"}]} if status < 300 else {"error": "fake failure"}
        return Response(json.dumps(body), status=status, content_type="application/json")(environ, start_response)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """An address where nothing listens (the provider is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/send"
