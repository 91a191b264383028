"""A kiosk's printer health: ESC/POS real-time status from a fake network printer (paper out,
offline, cover open), the browser kiosk's own reports, staff marking a kiosk out of paper,
and the supervisor's "printer" alert each of them raises."""
from __future__ import annotations

import socket
import threading
import time

import pytest
from sqlalchemy import select

from queueapp.domain.events import EventType
from queueapp.models import Kiosk, TicketEvent
from queueapp.queries import dashboard
from queueapp.services.kiosks import configure_kiosk

from ..support import csrf_of, kiosk_headers, log_in, pair_browser

# Answers to DLE EOT 1 (printer), 2 (offline cause), 4 (paper sensor), as an Epson TM-T20 sends them.
READY = {1: 0x16, 2: 0x12, 4: 0x12}
STATUS = {
    "ok": READY,
    "paper_out": {1: 0x1E, 2: 0x32, 4: 0x72},
    "cover_open": {1: 0x1E, 2: 0x16, 4: 0x12},
    "offline": {1: 0x1E, 2: 0x12, 4: 0x12},
    "paper_low": {1: 0x16, 2: 0x12, 4: 0x1E},
}


class FakePrinter:
    """A TCP ESC/POS printer on 127.0.0.1: answers each DLE EOT n with its status byte and
    keeps every other byte it is sent (the printed tickets)."""

    def __init__(self, status: dict[int, int]):
        self.status = status
        self.received = bytearray()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.closed:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                pending = b""
                while True:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    pending += chunk
                    while b"\x10\x04" in pending and len(pending) >= pending.index(b"\x10\x04") + 3:
                        at = pending.index(b"\x10\x04")
                        self.received += pending[:at]
                        conn.sendall(bytes([self.status[pending[at + 2]]]))
                        pending = pending[at + 3:]
                    if b"\x10\x04" not in pending:
                        self.received += pending
                        pending = b""

    def printed(self, text: bytes) -> bool:
        """Whether `text` came in, waiting for the connection's last bytes (up to 5 s)."""
        for _ in range(250):
            if text in self.received:
                return True
            time.sleep(0.02)
        return False

    def close(self):
        self.closed = True
        self.server.close()


@pytest.fixture
def fake_printer():
    printers = []

    def make(state: str) -> FakePrinter:
        printers.append(FakePrinter(STATUS[state]))
        return printers[-1]
    yield make
    for printer in printers:
        printer.close()


def take(client, headers=None):
    response = client.post("/api/v1/offices/demo/tickets", json={"service": "B"}, headers=headers or {})
    assert response.status_code == 201, response.text
    return response.get_json()


def kiosk_row(db, name: str) -> Kiosk:
    with db.read() as s:
        return s.execute(select(Kiosk).where(Kiosk.name == name)).scalar_one()


def alert_events(db) -> list[tuple[str, dict]]:
    with db.read() as s:
        return [(t, d) for t, d in s.execute(select(TicketEvent.type, TicketEvent.data).where(
            TicketEvent.type.in_([EventType.ALERT_RAISED.value, EventType.ALERT_CLEARED.value]))
            .order_by(TicketEvent.seq))]


def standing(db, now) -> list[dict]:
    return [a.as_dict() for a in dashboard.office_alerts(db, now, pause_alert_minutes=0)[kiosk_office(db)]]


def kiosk_office(db) -> int:
    with db.read() as s:
        return s.execute(select(Kiosk.office_id)).scalars().first()


def print_at(client, ticket, kiosk):
    return client.post("/api/v1/offices/demo/kiosk/print", json={"token": ticket["token"], "kiosk": kiosk})


@pytest.mark.parametrize("state", ["paper_out", "cover_open", "offline"])
def test_an_escpos_printer_reporting_a_problem_is_not_sent_the_ticket_and_staff_are_alerted(
        client, demo, clock, fake_printer, state):
    pair_browser(client, demo)
    printer = fake_printer(state)
    configure_kiosk(demo, "demo", "lobi", paper=80, printer=f"network:127.0.0.1:{printer.port}")
    ticket = take(client)
    response = print_at(client, ticket, "lobi")
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "printer_failed"
    assert b"B-001" not in printer.received                 # nothing queued to come out later
    row = kiosk_row(demo, "lobi")
    assert row.printer_state == state and row.printer_checked_at == clock()
    assert alert_events(demo)[-1] == (EventType.ALERT_RAISED.value, {
        "key": "printer:lobi", "kind": "printer", "subject": "lobi", "minutes": 0, "limit_minutes": 0,
        "detail": state})
    assert [a["key"] for a in standing(demo, clock())] == ["printer:lobi"]   # the alert check keeps it


def test_an_unreachable_printer_is_offline(client, demo, clock):
    pair_browser(client, demo)
    from tests.support import free_port
    configure_kiosk(demo, "demo", "lobi", paper=80, printer=f"network:127.0.0.1:{free_port()}")
    assert print_at(client, take(client), "lobi").status_code == 503
    assert kiosk_row(demo, "lobi").printer_state == "offline"


def test_a_ready_printer_prints_and_its_alert_clears_once_paper_is_back(client, any_db, demo, clock, fake_printer):
    pair_browser(client, demo)
    printer = fake_printer("paper_out")
    configure_kiosk(demo, "demo", "lobi", paper=80, printer=f"network:127.0.0.1:{printer.port}")
    ticket = take(client)
    assert print_at(client, ticket, "lobi").status_code == 503
    printer.status = READY                                   # paper refilled
    clock.advance(seconds=10)
    printed = print_at(client, ticket, "lobi")
    assert printed.status_code == 200 and printed.get_json()["printed"] is True
    assert printer.printed(b"B-001")
    assert kiosk_row(demo, "lobi").printer_state == "ok"
    assert alert_events(demo)[-1][0] == EventType.ALERT_CLEARED.value
    assert standing(demo, clock()) == []


def test_paper_running_low_still_prints_and_tells_staff(client, demo, clock, fake_printer):
    pair_browser(client, demo)
    printer = fake_printer("paper_low")
    configure_kiosk(demo, "demo", "lobi", paper=80, printer=f"network:127.0.0.1:{printer.port}")
    assert print_at(client, take(client), "lobi").status_code == 200
    assert printer.printed(b"B-001")
    assert [a["detail"] for a in standing(demo, clock())] == ["paper_low"]


def test_a_browser_kiosk_reports_a_print_it_could_not_confirm(client, any_db, demo, clock):
    headers = kiosk_headers(demo)
    report = client.post("/api/v1/offices/demo/kiosk/printer", json={"state": "unconfirmed"}, headers=headers)
    assert report.status_code == 200 and report.get_json() == {"kiosk": "lobi", "state": "unconfirmed"}
    assert [a["key"] for a in standing(demo, clock())] == ["printer:lobi"]
    ok = client.post("/api/v1/offices/demo/kiosk/printer", json={"state": "ok"}, headers=headers)
    assert ok.get_json()["state"] == "ok" and standing(demo, clock()) == []
    assert [t for t, _ in alert_events(demo)] == [EventType.ALERT_RAISED.value, EventType.ALERT_CLEARED.value]


def test_only_a_paired_kiosk_of_the_office_reports_its_printer(client, demo):
    assert client.post("/api/v1/offices/demo/kiosk/printer", json={"state": "ok"}).status_code == 401
    headers = kiosk_headers(demo)
    bad = client.post("/api/v1/offices/demo/kiosk/printer", json={"state": "paper_out"}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_input"


def test_a_supervisor_marks_a_kiosk_out_of_paper_and_back(client, any_db, demo, clock):
    headers = kiosk_headers(demo)
    kiosk_id = kiosk_row(demo, "lobi").id
    log_in(client, "supervisor")
    page = client.get("/admin/demo/devices")
    assert "Tandai kertas habis" in page.get_data(as_text=True)
    marked = client.post(f"/admin/demo/devices/kiosk/{kiosk_id}/paper/out", data={"csrf_token": csrf_of(page.data)})
    assert marked.status_code == 302
    assert kiosk_row(demo, "lobi").printer_state == "marked_out"
    # The kiosk's page knows, and shows numbers on screen instead of printing.
    kiosk_page = client.get("/kiosk/demo?kiosk=lobi&lang=id").get_data(as_text=True)
    assert '"printer_state": "marked_out"' in kiosk_page
    # A kiosk's own "ok" does not lift a staff mark; the dashboard shows the alert.
    assert client.post("/api/v1/offices/demo/kiosk/printer", json={"state": "ok"},
                       headers=headers).get_json()["state"] == "marked_out"
    board = client.get("/api/v1/offices/demo/dashboard").get_json()
    assert [(a["kind"], a["detail"]) for a in board["alerts"]] == [("printer", "marked_out")]
    devices_page = client.get("/admin/demo/devices").get_data(as_text=True)
    assert "Ditandai kertas habis oleh petugas" in devices_page
    back = client.post(f"/admin/demo/devices/kiosk/{kiosk_id}/paper/back", data={"csrf_token": csrf_of(page.data)})
    assert back.status_code == 302 and kiosk_row(demo, "lobi").printer_state == "ok"
    assert client.get("/api/v1/offices/demo/dashboard").get_json()["alerts"] == []


def test_a_clerk_may_not_mark_a_kiosk_out_of_paper(client, demo):
    kiosk_headers(demo)
    kiosk_id = kiosk_row(demo, "lobi").id
    log_in(client, "loket1")
    response = client.post(f"/admin/demo/devices/kiosk/{kiosk_id}/paper/out")
    assert response.status_code in (400, 403)
    assert kiosk_row(demo, "lobi").printer_state is None
