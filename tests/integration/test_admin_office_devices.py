"""Kiosks and lobby displays: configured on the devices page, then read by their own
pages (?kiosk=NAME, ?display=NAME), whose URL parameters still override the row."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select, update

from queueapp.models import Counter, Display, Kiosk, Service
from queueapp.services import devices

from .admin_office_support import audit_entries, csrf_of, log_in, set_up_people, zone_id


@pytest.fixture
def people(demo, clock):
    set_up_people(demo, clock())


@pytest.fixture
def dukcapil_zone(demo, people):
    """Services A and B and counters 1 and 2 of the demo belong to the Dukcapil zone."""
    zone = zone_id(demo)
    with demo.write() as uow:
        uow.session.execute(update(Service).where(Service.prefix.in_(["A", "B"])).values(zone_id=zone))
        uow.session.execute(update(Counter).where(Counter.number.in_([1, 2])).values(zone_id=zone))
    return zone


def display_config(response) -> dict:
    match = re.search(rb'<script type="application/json" id="display-config">(.*?)</script>', response.data, re.S)
    return json.loads(match.group(1))


def kiosk_config(response) -> dict:
    match = re.search(rb'<script type="application/json" id="k-config">(.*?)</script>', response.data, re.S)
    return json.loads(match.group(1))


def row_of(db, model, name):
    with db.read() as s:
        return s.execute(select(model).where(model.name == name)).scalar_one()


def test_an_admin_adds_changes_and_removes_a_kiosk_on_the_devices_page(client, demo, people):
    log_in(client, "admin")
    token = csrf_of(client.get("/admin/demo/devices").data)
    added = client.post("/admin/demo/devices/kiosk", data={"csrf_token": token, "new-kiosk-name": "lobi",
                                                           "new-kiosk-paper": "58", "new-kiosk-printer": "usb:04b8:0e15",
                                                           "new-kiosk-zone_id": ""})
    assert added.status_code == 302
    kiosk = row_of(demo, Kiosk, "lobi")
    assert (kiosk.paper, kiosk.printer, kiosk.zone_id) == (58, "usb:04b8:0e15", None)
    changed = client.post(f"/admin/demo/devices/kiosk/{kiosk.id}", data={
        "csrf_token": token, f"kiosk-{kiosk.id}-name": "lobi", f"kiosk-{kiosk.id}-paper": "80",
        f"kiosk-{kiosk.id}-printer": "network:192.168.1.50", f"kiosk-{kiosk.id}-zone_id": ""})
    assert changed.status_code == 302 and row_of(demo, Kiosk, "lobi").printer == "network:192.168.1.50:9100"
    assert audit_entries(demo, "device.updated")[0].changes["printer"] == ["usb:04b8:0e15", "network:192.168.1.50:9100"]
    removed = client.post(f"/admin/demo/devices/kiosk/{kiosk.id}/remove", data={"csrf_token": token})
    assert removed.status_code == 302
    with demo.read() as s:
        assert s.execute(select(Kiosk)).first() is None


def test_a_bad_printer_or_taken_name_is_shown_on_the_page_with_what_was_typed(client, demo, people, clock):
    devices.add_display(demo, None, "demo", {"name": "tv-lobi"}, now=clock())
    log_in(client, "admin")
    token = csrf_of(client.get("/admin/demo/devices").data)
    bad = client.post("/admin/demo/devices/kiosk?lang=en", data={
        "csrf_token": token, "new-kiosk-name": "lobi", "new-kiosk-paper": "80", "new-kiosk-printer": "lpt1",
        "new-kiosk-zone_id": ""})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "printer must be browser" in page and 'value="lpt1"' in page
    taken = client.post("/admin/demo/devices/display?lang=en", data={
        "csrf_token": token, "new-display-name": "tv-lobi", "new-display-zone_id": "", "new-display-services": "A",
        "new-display-language": "id", "new-display-repeat": "1"})
    assert taken.status_code == 409 and "tv-lobi is already taken" in taken.get_data(as_text=True)
    with demo.read() as s:
        assert s.execute(select(Kiosk)).first() is None


def test_an_agency_admin_configures_the_devices_of_their_zone_only(client, demo, dukcapil_zone):
    log_in(client, "admin-dukcapil")
    token = csrf_of(client.get("/admin/demo/devices").data)
    fields = {"csrf_token": token, "new-display-name": "tv-dukcapil", "new-display-services": "",
              "new-display-language": "id", "new-display-repeat": "2"}
    own = client.post("/admin/demo/devices/display", data={**fields, "new-display-zone_id": str(dukcapil_zone)})
    assert own.status_code == 302
    whole = client.post("/admin/demo/devices/display", data={**fields, "new-display-name": "tv-semua",
                                                             "new-display-zone_id": ""})
    assert whole.status_code == 403


def test_a_display_of_a_zone_shows_only_its_services_and_counters_and_speaks_as_configured(
        client, demo, dukcapil_zone, clock):
    devices.add_display(demo, None, "demo", {"name": "tv-dukcapil", "zone_id": dukcapil_zone, "language": "id,en",
                                             "repeat": 2}, now=clock())
    config = display_config(client.get("/display/demo?display=tv-dukcapil"))
    assert config["filters"] == {"services": ["A", "B"], "counters": [1, 2]}
    assert (config["lang"], config["languages"], config["repeat"]) == ("id", ["id", "en"], 2)


def test_a_display_limited_to_services_shows_those_and_url_parameters_override_it(client, demo, people, clock):
    devices.add_display(demo, None, "demo", {"name": "tv-c", "services": ["C", "D"], "language": "en", "repeat": 3},
                        now=clock())
    config = display_config(client.get("/display/demo?display=tv-c"))
    assert config["filters"] == {"services": ["C", "D"], "counters": []} and config["lang"] == "en"
    overridden = display_config(client.get("/display/demo?display=tv-c&services=E&lang=id&repeat=1&counters=4"))
    assert overridden["filters"] == {"services": ["E"], "counters": [4]}
    assert (overridden["lang"], overridden["languages"], overridden["repeat"]) == ("id", ["id"], 1)


def test_an_unknown_display_name_is_a_404(client, demo):
    assert client.get("/display/demo?display=nowhere").status_code == 404


def test_a_kiosk_reads_its_row_and_a_zone_kiosk_offers_only_its_zone(client, demo, dukcapil_zone, clock):
    devices.add_kiosk(demo, None, "demo", {"name": "k-dukcapil", "zone_id": dukcapil_zone, "paper": 58}, now=clock())
    config = kiosk_config(client.get("/kiosk/demo?kiosk=k-dukcapil", follow_redirects=True))
    assert [s["code"] for s in config["services"]] == ["A", "B"] and config["shown_services"] == ["A", "B"]
    assert config["paper"] == 58 and config["kiosk"] == "k-dukcapil"
    overridden = kiosk_config(client.get("/kiosk/demo?kiosk=k-dukcapil&paper=80", follow_redirects=True))
    assert overridden["paper"] == 80
    everything = kiosk_config(client.get("/kiosk/demo", follow_redirects=True))
    assert len(everything["services"]) == 6 and everything["shown_services"] == []


def test_a_bad_paper_parameter_is_a_plain_error(client, demo):
    assert client.get("/kiosk/demo?lang=id&paper=57").status_code == 422
