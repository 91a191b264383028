"""The citizen's status page /t/<token>: server-rendered, self-refreshing, light, and
friendly for unknown or expired tickets; leaving the queue needs a confirmation."""
from __future__ import annotations

import re

from queueapp.services import counters as counter_ops
from ..support import pair_browser

STATUS_BUDGET = 60 * 1024


def take(client, service="A", priority=None, lang="id"):
    response = client.post(f"/api/v1/offices/demo/tickets?lang={lang}",
                           json={"service": service, "priority": priority})
    assert response.status_code == 201
    return response.get_json()


def counter_id(client, number: int) -> int:
    return next(c["id"] for c in client.get("/api/v1/offices/demo/counters").get_json() if c["number"] == number)


def test_the_page_shows_number_service_status_and_people_ahead_in_indonesian(client, demo):
    pair_browser(client, demo)
    take(client)
    mine = take(client)
    html = client.get(f"/t/{mine['token']}").get_data(as_text=True)
    assert 'id="number" class="number">A-002<' in html
    assert "KTP-el (Rekam / Cetak)" in html
    assert "Menunggu" in html and "Antrian di depan Anda" in html
    assert re.search(r'id="position">1<', html)
    assert "Kantor Kecamatan Demo" in html


def test_without_javascript_the_page_refreshes_itself(client, demo):
    pair_browser(client, demo)
    html = client.get(f"/t/{take(client)['token']}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in html


def test_a_called_ticket_shows_the_counter_in_big_type(client, demo, clerk, clock):
    pair_browser(client, demo)
    mine = take(client)
    counter_ops.call_next(demo, clerk, counter_id(client, 1), now=clock())
    html = client.get(f"/t/{mine['token']}?lang=en").get_data(as_text=True)
    assert re.search(r'<section id="called" class="phase called" data-phase="called"\s+aria-live', html)   # not hidden
    assert 'id="counter" class="counter">Loket 1<' in html
    assert "Called: please go to the counter" in html


def test_an_unknown_token_gets_a_friendly_404_page(client, demo):
    response = client.get("/t/no-such-ticket")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'data-error="ticket_not_found"' in html and "Tiket tidak ditemukan" in html
    assert "Traceback" not in html


def test_yesterdays_ticket_has_expired(client, demo, clock):
    pair_browser(client, demo)
    mine = take(client)
    clock.advance(days=1)
    assert client.get(f"/t/{mine['token']}").status_code == 404
    assert client.get(f"/tickets/{mine['token']}/ticket.pdf").status_code == 404


def test_leaving_the_queue_asks_first_then_cancels(client, demo):
    pair_browser(client, demo)
    mine = take(client)
    confirm = client.get(f"/t/{mine['token']}/leave").get_data(as_text=True)
    assert "Keluar dari antrian?" in confirm and 'method="post"' in confirm
    assert client.get(f"/api/v1/tickets/{mine['token']}").get_json()["status"] == "waiting"
    response = client.post(f"/t/{mine['token']}/leave")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/t/{mine['token']}?left=1")
    assert client.get(f"/api/v1/tickets/{mine['token']}").get_json()["status"] == "cancelled"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Anda telah keluar dari antrian" in html and 'id="leave"' not in html


def test_leaving_twice_is_refused_with_a_page_not_a_stack_trace(client, demo):
    pair_browser(client, demo)
    mine = take(client)
    client.post(f"/t/{mine['token']}/leave")
    response = client.post(f"/t/{mine['token']}/leave")
    assert response.status_code == 409 and "Traceback" not in response.get_data(as_text=True)


def test_the_page_with_its_scripts_and_styles_stays_under_60_kb(client, demo):
    pair_browser(client, demo)
    html = client.get(f"/t/{take(client)['token']}").get_data()
    assets = {path.decode() for path in re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)}
    bodies = {path: client.get(path).get_data() for path in assets}
    imported = {path.decode() for body in bodies.values() for path in re.findall(rb'from "(/[^"]+)"', body)}
    assert imported <= assets   # every module it imports is preloaded, so counted here
    # status.css, status.js (and reload.js for old browsers), the live.js, dom.js, i18n.js, wait.js it imports,
    # and notify.js (notifications through the service worker) with http.js
    assert len(assets) == 9
    total = len(html) + sum(len(body) for body in bodies.values())
    assert total < STATUS_BUDGET


def test_the_public_ticket_json_links_its_pdf(client, demo):
    pair_browser(client, demo)
    mine = take(client)
    assert mine["pdf_url"] == f"https://antrian.example.go.id/tickets/{mine['token']}/ticket.pdf"
    assert client.get(f"/api/v1/tickets/{mine['token']}").get_json()["pdf_url"] == mine["pdf_url"]


def test_english_is_one_tap_away(client, demo):
    pair_browser(client, demo)
    html = client.get(f"/t/{take(client)['token']}?lang=en").get_data(as_text=True)
    assert "Your number" in html and 'href="?lang=id"' in html
