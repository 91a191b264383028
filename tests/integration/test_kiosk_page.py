"""The kiosk page /kiosk/<office>: full-screen, its services with waiting counts and
states, priority groups, and its own assets served by the app."""
from __future__ import annotations

import json
import re

from sqlalchemy import update

from queueapp.models import Office, Service
from ..support import pair_browser


def kiosk_config(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="k-config">(.*?)</script>', html, re.S).group(1))


def test_the_kiosk_lists_every_service_with_waiting_and_eta(client, demo):
    pair_browser(client, demo)
    client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    html = client.get("/kiosk/demo", follow_redirects=True).get_data(as_text=True)
    config = kiosk_config(html)
    services = {s["code"]: s for s in config["services"]}
    assert set(services) == set("ABCDEF")
    assert services["A"]["waiting"] == 1 and services["A"]["open"] is True
    assert services["A"]["eta_minutes"] is not None
    assert config["paper"] == 80 and config["direct_print"] is False


def test_the_kiosk_offers_the_five_priority_groups_of_uu_25_2009(client, demo):
    html = client.get("/kiosk/demo", follow_redirects=True).get_data(as_text=True)
    groups = re.findall(r'data-priority="(\w+)">([^<]+)<', html)
    assert [g for g, _ in groups] == ["lansia", "disabilitas", "ibu_hamil", "anak", "korban_bencana"]
    assert dict(groups)["lansia"] == "Lansia"
    assert 'data-priority="">' in html   # the regular queue


def test_a_closed_office_and_a_full_quota_are_explained_not_errors(client, demo):
    with demo.write() as uow:
        uow.session.execute(update(Service).where(Service.prefix == "B").values(daily_quota=0))
        uow.session.execute(update(Service).where(Service.prefix == "C").values(active=False))
    services = {s["code"]: s for s in kiosk_config(client.get("/kiosk/demo", follow_redirects=True).get_data(as_text=True))["services"]}
    assert services["C"]["open"] is False and services["C"]["active"] is False
    with demo.write() as uow:
        uow.session.execute(update(Office).values(closed=True))
    config = kiosk_config(client.get("/kiosk/demo", follow_redirects=True).get_data(as_text=True))
    assert config["office"]["open"] is False
    assert all(not s["open"] for s in config["services"])
    assert "Kantor sedang tutup" in config["texts"]["office_closed"]


def test_the_kiosk_starts_in_indonesian_whatever_the_browser_language(client, demo):
    response = client.get("/kiosk/demo?kiosk=", headers={"Accept-Language": "en-US"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/demo?lang=id")
    html = client.get(response.headers["Location"], headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "Pilih layanan" in html


def test_the_kiosk_speaks_english_on_request(client, demo):
    html = client.get("/kiosk/demo?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "Please choose a service" in html and kiosk_config(html)["locale"] == "en"
    assert "Pilih layanan" in client.get("/kiosk/demo?lang=id", follow_redirects=True).get_data(as_text=True)


def test_a_named_kiosk_uses_its_paper(client, demo):
    from queueapp.services.kiosks import configure_kiosk
    configure_kiosk(demo, "demo", "mpp-2", paper=58, printer="network:10.1.2.3")
    config = kiosk_config(client.get("/kiosk/demo?kiosk=mpp-2", follow_redirects=True).get_data(as_text=True))
    assert config["paper"] == 58 and config["direct_print"] is True and config["kiosk"] == "mpp-2"


def test_an_unknown_office_or_kiosk_gets_an_error_page_not_a_stack_trace(client, demo):
    for url in ("/kiosk/nowhere", "/kiosk/demo?kiosk=ghost"):
        response = client.get(url)
        assert response.status_code == 404 and "Traceback" not in response.get_data(as_text=True)


def test_the_kiosk_assets_come_from_the_app_itself(client, demo):
    html = client.get("/kiosk/demo", follow_redirects=True).get_data(as_text=True)
    for path in re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', html):
        assert client.get(path).status_code == 200, path
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
