"""What issuing a ticket keeps per process (queueapp.office_cache: the services, the day's
hours and holiday, the paired kiosks) never outlives a change: an administrator's change
applies to the next request, a revoked kiosk token is refused at once, a change made by
another process is seen after the TTL."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from queueapp import office_cache
from queueapp.db import Database, PublishedEvent
from queueapp.models import Kiosk, Office, Service
from queueapp.services import catalog, devices, holidays

from ..support import kiosk_headers

TICKETS = "/api/v1/offices/demo/tickets"


def issue(client, headers, service: str = "A"):
    return client.post(TICKETS, json={"service": service}, headers=headers)


def test_a_revoked_kiosk_token_is_refused_at_its_next_request(client, demo):
    headers = kiosk_headers(demo)
    assert issue(client, headers).status_code == 201
    assert issue(client, headers).status_code == 201   # the second one from the kept kiosk
    with demo.read() as s:
        kiosk_id = s.execute(select(Kiosk.id).where(Kiosk.name == "lobi")).scalar_one()
    devices.revoke_kiosk(demo, None, kiosk_id, now=datetime.now(timezone.utc))
    assert issue(client, headers).status_code == 401


def test_a_service_an_administrator_deactivates_takes_no_next_ticket(client, demo):
    headers = kiosk_headers(demo)
    assert issue(client, headers).status_code == 201
    catalog.update_service(demo, None, "demo", "A", {"active": False}, now=datetime.now(timezone.utc))
    response = issue(client, headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "service_inactive"
    catalog.update_service(demo, None, "demo", "A", {"active": True}, now=datetime.now(timezone.utc))
    assert issue(client, headers).status_code == 201


def test_a_holiday_added_today_closes_the_kiosk_at_the_next_ticket(client, demo, clock):
    headers = kiosk_headers(demo)
    assert issue(client, headers).status_code == 201
    with demo.read() as s:
        tz = s.execute(select(Office.timezone)).scalar_one()
    today = clock().astimezone(ZoneInfo(tz)).date()
    holidays.import_holidays(demo, "demo", [(today, "Hari libur")])
    response = issue(client, headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "office_closed"
    assert "Hari libur" in response.get_json()["error"]["message"]


def test_a_change_written_straight_to_the_rows_applies_to_the_next_ticket(client, demo):
    # The command line or a script changes rows without an office.configured event: the
    # commit's changed rows drop the copies all the same.
    headers = kiosk_headers(demo)
    assert issue(client, headers).status_code == 201
    with demo.write() as uow:
        uow.session.execute(select(Service).where(Service.prefix == "A")).scalar_one().daily_quota = 1
    response = issue(client, headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "quota_reached"


def test_a_change_made_by_another_process_is_seen_after_the_ttl(client, demo):
    headers = kiosk_headers(demo)
    assert issue(client, headers).status_code == 201
    kept = office_cache.of(demo)
    moment = [0.0]
    kept.clock = lambda: moment[0]
    kept.entries.clear()
    assert issue(client, headers).status_code == 201          # read again, kept at moment 0
    other = Database(str(demo.url))                           # another process's own engine
    try:
        with other.write() as uow:
            uow.session.execute(select(Service).where(Service.prefix == "A")).scalar_one().active = False
    finally:
        other.dispose()
    moment[0] = kept.TTL + 1
    response = issue(client, headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "service_inactive"


def _configured(office_id: int) -> PublishedEvent:
    return PublishedEvent(type="office.configured", office_id=office_id, office_slug="x", seq=1,
                          at=datetime(2026, 11, 24, tzinfo=timezone.utc))


def test_an_office_configured_event_drops_that_office_only():
    kept = office_cache.OfficeCache(clock=lambda: 0.0)
    assert kept.get("a", lambda: "one", lambda _: 1) == "one"
    assert kept.get("b", lambda: "two", lambda _: 2) == "two"
    kept.after_commit([_configured(1)])
    assert kept.get("a", lambda: "one again", lambda _: 1) == "one again"
    assert kept.get("b", lambda: "not read", lambda _: 2) == "two"


def test_a_copy_read_while_an_office_changed_is_not_kept():
    kept = office_cache.OfficeCache(clock=lambda: 0.0)

    def load_during_a_change():
        kept.drop({1})   # the change commits while this copy is being read
        return "maybe stale"
    assert kept.get("a", load_during_a_change, lambda _: 1) == "maybe stale"
    assert kept.get("a", lambda: "fresh", lambda _: 1) == "fresh"


def test_nothing_is_kept_for_an_unknown_key():
    kept = office_cache.OfficeCache(clock=lambda: 0.0)
    assert kept.get("token", lambda: None, lambda _: 1) is None
    assert kept.get("token", lambda: "paired since", lambda _: 1) == "paired since"
