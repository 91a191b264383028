"""How many calls a lobby display shows together: set per display on the devices page (and
the API), 4 unless set, overridden by ?calls= in the display's address."""
from __future__ import annotations

import json
import re

from sqlalchemy import select

from queueapp.models import Display
from queueapp.services import devices

from .admin_office_support import audit_entries, csrf_of, log_in, set_up_people


def display_config(response) -> dict:
    match = re.search(rb'<script type="application/json" id="display-config">(.*?)</script>', response.data, re.S)
    return json.loads(match.group(1))


def test_a_display_shows_four_calls_unless_its_settings_or_address_say_otherwise(client, demo, clock):
    assert display_config(client.get("/display/demo"))["calls"] == 4
    devices.add_display(demo, None, "demo", {"name": "tv-hall", "calls": 6}, now=clock())
    assert display_config(client.get("/display/demo?display=tv-hall"))["calls"] == 6
    assert display_config(client.get("/display/demo?display=tv-hall&calls=2"))["calls"] == 2


def test_an_admin_sets_the_number_of_calls_on_the_devices_page(client, demo, clock):
    set_up_people(demo, clock())
    log_in(client, "admin")
    token = csrf_of(client.get("/admin/demo/devices").data)
    added = client.post("/admin/demo/devices/display", data={
        "csrf_token": token, "new-display-name": "tv-portrait", "new-display-zone_id": "",
        "new-display-services": "", "new-display-language": "id", "new-display-repeat": "1",
        "new-display-calls": "3"})
    assert added.status_code == 302
    with demo.read() as s:
        row = s.execute(select(Display).where(Display.name == "tv-portrait")).scalar_one()
    assert row.calls == 3
    changed = client.post(f"/admin/demo/devices/display/{row.id}", data={
        "csrf_token": token, f"display-{row.id}-name": "tv-portrait", f"display-{row.id}-zone_id": "",
        f"display-{row.id}-services": "", f"display-{row.id}-language": "id", f"display-{row.id}-repeat": "1",
        f"display-{row.id}-calls": "5"})
    assert changed.status_code == 302
    assert display_config(client.get("/display/demo?display=tv-portrait"))["calls"] == 5
    assert audit_entries(demo, "device.updated")[0].changes["calls"] == [3, 5]
    page = client.get("/admin/demo/devices").data.decode()
    assert f'id="display-{row.id}-calls"' in page


def test_a_number_of_calls_outside_one_to_eight_is_refused(client, demo, clock):
    import pytest

    from queueapp.domain.errors import InvalidInput
    with pytest.raises(InvalidInput):
        devices.add_display(demo, None, "demo", {"name": "tv-x", "calls": 9}, now=clock())
