"""Printed tickets: the PDF endpoint, the kiosk's one-minute reprint and staff reprints."""
from __future__ import annotations

import pytest

from queueapp.services.kiosks import configure_kiosk
from queueapp.domain.errors import InvalidInput
from ..support import pair_browser


def take(client, service="B", priority=None):
    response = client.post("/api/v1/offices/demo/tickets", json={"service": service, "priority": priority})
    assert response.status_code == 201
    return response.get_json()


def pdf_path(ticket: dict) -> str:
    return ticket["pdf_url"].removeprefix("https://antrian.example.go.id")


@pytest.mark.parametrize("paper", [80, 58])
def test_the_ticket_pdf_qr_is_that_tickets_status_url(client, demo, paper):
    pair_browser(client, demo)
    import pypdfium2
    import zxingcpp
    ticket = take(client, priority="ibu_hamil")
    response = client.get(f"{pdf_path(ticket)}?paper={paper}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    page = pypdfium2.PdfDocument(response.get_data())[0]
    assert round(page.get_size()[0] / 72 * 25.4) == paper
    text = page.get_textpage().get_text_range()
    assert "B-001" in text and "Kantor Kecamatan Demo" in text and "PRIORITAS: Ibu hamil" in text
    assert "23-11-2026 09:00 WIB" in text and "Antrian di depan Anda: 0" in text
    image = page.render(scale=203 / 72).to_pil()
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [ticket["status_url"]]


def test_an_odd_paper_size_is_a_clear_error(client, demo):
    pair_browser(client, demo)
    response = client.get(f"{pdf_path(take(client))}?paper=a4", headers={"Accept": "application/json"})
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "invalid_input"


def test_a_browser_kiosk_is_told_which_pdf_to_print(client, demo):
    pair_browser(client, demo)
    ticket = take(client)
    response = client.post("/api/v1/offices/demo/kiosk/print", json={"token": ticket["token"]})
    assert response.get_json() == {"printed": False, "print": "browser", "pdf_url": ticket["pdf_url"] + "?paper=80"}


def test_a_kiosk_with_an_escpos_printer_prints_and_may_reprint_for_a_minute(client, demo, clock, tmp_path):
    pair_browser(client, demo)
    device = tmp_path / "lp0"
    device.touch()
    configure_kiosk(demo, "demo", "lobby-1", paper=58, printer=f"file:{device}")
    ticket = take(client)
    assert client.post("/api/v1/offices/demo/kiosk/print", json={"token": ticket["token"], "kiosk": "lobby-1"}).get_json()["printed"]
    assert b"B-001" in device.read_bytes()
    device.write_bytes(b"")
    clock.advance(seconds=59)
    assert client.post("/api/v1/offices/demo/kiosk/print", json={"token": ticket["token"], "kiosk": "lobby-1"}).status_code == 200
    assert b"B-001" in device.read_bytes()
    clock.advance(seconds=2)
    late = client.post("/api/v1/offices/demo/kiosk/print", json={"token": ticket["token"], "kiosk": "lobby-1"})
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "reprint_window_closed"
    assert "60" in late.get_json()["error"]["message"]


def test_a_failed_print_is_reported_and_the_ticket_stays_valid(client, demo):
    pair_browser(client, demo)
    from tests.support import free_port
    configure_kiosk(demo, "demo", "broken", paper=80, printer=f"network:127.0.0.1:{free_port()}")
    ticket = take(client)
    response = client.post("/api/v1/offices/demo/kiosk/print", json={"token": ticket["token"], "kiosk": "broken"})
    assert response.status_code == 503
    assert response.get_json()["error"] == {"code": "printer_failed",
                                            "message": "Tiket tidak dapat dicetak. Nomor antrian Anda tetap berlaku."}
    assert client.get(f"/api/v1/tickets/{ticket['token']}").get_json()["status"] == "waiting"


def test_a_kiosk_cannot_print_another_offices_or_an_unknown_ticket(client, demo):
    pair_browser(client, demo)
    assert client.post("/api/v1/offices/demo/kiosk/print", json={"token": "nope"}).status_code == 404
    assert client.post("/api/v1/offices/demo/kiosk/print", json={"token": take(client)["token"], "kiosk": "ghost"}).status_code == 404


def test_staff_reprint_any_time_on_a_kiosk_printer_or_their_browser(client, demo, clock, clerk_headers, tmp_path):
    pair_browser(client, demo)
    device = tmp_path / "lp0"
    device.touch()
    configure_kiosk(demo, "demo", "lobby-1", paper=80, printer=f"file:{device}")
    ticket = take(client)
    clock.advance(hours=2)
    url = f"/api/v1/tickets/{ticket['id']}/reprint"
    assert client.post(url, json={}).status_code == 401
    browser = client.post(url, json={}, headers=clerk_headers).get_json()
    assert browser == {"printed": False, "print": "browser", "pdf_url": ticket["pdf_url"] + "?paper=80"}
    printed = client.post(url, json={"kiosk": "lobby-1"}, headers=clerk_headers).get_json()
    assert printed["printed"] is True and b"B-001" in device.read_bytes()


def test_the_kiosk_qr_image_is_an_svg_of_the_status_url(client, demo):
    pair_browser(client, demo)
    ticket = take(client)
    response = client.get(f"/tickets/{ticket['token']}/qr.svg")
    assert response.mimetype == "image/svg+xml" and response.get_data().startswith(b"<svg")
    assert client.get("/tickets/unknown/qr.svg").status_code == 404


def test_kiosk_settings_are_checked(demo):
    with pytest.raises(InvalidInput):
        configure_kiosk(demo, "demo", "lobby-1", paper=57, printer="browser")
    with pytest.raises(InvalidInput):
        configure_kiosk(demo, "demo", "lobby-1", paper=80, printer="lpt1")
    settings = configure_kiosk(demo, "demo", "lobby-1", paper=58, printer="network:10.0.0.9")
    assert (settings.paper, str(settings.printer)) == (58, "network:10.0.0.9:9100")
