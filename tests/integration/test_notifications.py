"""Messages to citizens: consent, the outbox and its worker against a fake WhatsApp Cloud
API and a fake SMS gateway (real HTTP servers), retries, order, the delivery log."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from queueapp.models import DeliveryLog, NotifyConsent, NotifySettings, Office, OutboxMessage, TicketEvent
from queueapp.notifications.worker import Worker
from queueapp.services import counters, tickets
from ..conftest import token_for
from ..notify_fakes import FakeProvider, closed_port_url

TUESDAY_0800 = "2026-11-24T08:00:00+07:00"
PHONE = "0812 3456 7890"
DIGITS = "81234567890"


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


@pytest.fixture
def whatsapp(app):
    fake = FakeProvider()
    app.config.update(WHATSAPP_API_URL=fake.url + "/v21.0", WHATSAPP_TOKEN="wa-token",
                      WHATSAPP_PHONE_NUMBER_ID="1234567")
    yield fake
    fake.stop()


@pytest.fixture
def sms(app):
    fake = FakeProvider()
    app.config.update(SMS_URL=fake.url + "/send", SMS_TOKEN="sms-token")
    yield fake
    fake.stop()


def worker(app, demo) -> Worker:
    return Worker(demo, app.config)


def book(client, notify=None, phone=PHONE, start=TUESDAY_0800):
    body = {"service": "E", "start": start, "name": "Siti Aminah", "phone": phone}
    if notify is not None:
        body["notify"] = notify
    return client.post("/api/v1/offices/demo/appointments", json=body)


def join(client, notify=None, phone=PHONE):
    body = {"phone": phone} | ({"notify": notify} if notify is not None else {})
    return client.post("/api/v1/offices/demo/services/E/join", json=body)


def outbox(demo) -> list[OutboxMessage]:
    with demo.read() as s:
        return list(s.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def counter_id(demo, number: int) -> int:
    with demo.read() as s:
        return next(c.id for c in s.execute(select(Office)).scalar_one().counters if c.number == number)


def test_a_booking_with_whatsapp_consent_is_confirmed_with_its_code(client, demo, app, whatsapp, clock):
    response = book(client, notify=["whatsapp"])
    assert response.status_code == 201
    code = response.get_json()["code"]
    assert worker(app, demo).run_once(clock()) == 1
    [sent] = whatsapp.received
    assert sent.path == "/v21.0/1234567/messages"
    assert sent.headers["Authorization"] == "Bearer wa-token"
    assert sent.body["messaging_product"] == "whatsapp" and sent.body["type"] == "template"
    assert sent.body["to"] == "62" + DIGITS
    template = sent.body["template"]
    assert template["name"] == "queueapp_booked" and template["language"] == {"code": "id"}
    values = [p["text"] for p in template["components"][0]["parameters"]]
    assert values[0] == code and "Selasa" in values[1] and values[2] == "08:00 WIB"
    assert values[5] == "https://antrian.example.go.id/booking/a/" + response.get_json()["manage_token"]
    [message] = outbox(demo)
    assert message.state == "sent" and message.kind == "booked"
    assert DIGITS not in str(message.params)


def test_an_english_booking_gets_english_text_by_sms(client, demo, app, sms, clock):
    response = client.post("/api/v1/offices/demo/appointments",
                           json={"service": "E", "start": TUESDAY_0800, "name": "Siti Aminah", "phone": PHONE,
                                 "notify": ["sms"]}, headers={"Accept-Language": "en"})
    assert response.status_code == 201
    worker(app, demo).run_once(clock())
    [sent] = sms.received
    assert sent.body["to"] == "+62" + DIGITS
    assert sent.body["text"].startswith("Booking " + response.get_json()["code"])
    assert "Tuesday" in sent.body["text"] and "08:00 WIB" in sent.body["text"]
    assert sent.headers["Authorization"] == "Bearer sms-token"
    assert sent.headers["Idempotency-Key"] == outbox(demo)[0].idempotency_key


def test_nothing_is_sent_without_consent(client, demo, app, whatsapp, sms, clock, clerk):
    assert book(client).status_code == 201
    assert join(client, notify=[]).status_code == 201
    called = counters.call_next(demo, clerk, counter_id(demo, 4), now=clock())
    tickets.finish(demo, clerk, called.ticket_id, now=clock())
    worker(app, demo).run_once(clock())
    assert outbox(demo) == [] and whatsapp.received == [] and sms.received == []


def test_an_unknown_channel_or_a_missing_phone_is_refused(client, demo, clerk_headers):
    unknown = book(client, notify=["telegram"])
    assert unknown.status_code == 422 and unknown.get_json()["error"]["code"] == "invalid_input"
    assert join(client, notify="pigeon").status_code == 422
    ticket = join(client).get_json()
    no_phone = client.post(f"/api/v1/tickets/{ticket['id']}/notify", json={"channel": "sms"}, headers=clerk_headers)
    assert no_phone.status_code == 422
    bad_phone = client.post(f"/api/v1/tickets/{ticket['id']}/notify", json={"channel": "sms", "phone": "12"},
                            headers=clerk_headers)
    assert bad_phone.status_code == 422 and bad_phone.get_json()["error"]["code"] == "invalid_phone"


def test_a_joined_ticket_hears_three_ahead_then_called_as_counters_call(any_db, client, demo, app, sms, clock,
                                                                     clerk):
    for _ in range(5):
        tickets.issue_ticket(demo, "demo", "E", now=clock())
    mine = join(client, notify=["sms"]).get_json()
    run = worker(app, demo)
    run.run_once(clock())
    assert [r.body["text"] for r in sms.received] == [
        f"Nomor antrian {mine['number']} (Legalisir Dokumen). Pantau giliran: "
        f"https://antrian.example.go.id/t/{mine['token']}"]
    loket4 = counter_id(demo, 4)
    called = counters.call_next(demo, clerk, loket4, now=clock())    # 4 ahead: not yet
    run.run_once(clock())
    assert len(sms.received) == 1
    tickets.finish(demo, clerk, called.ticket_id, now=clock())
    called = counters.call_next(demo, clerk, loket4, now=clock())    # 3 ahead
    run.run_once(clock())
    assert sms.received[-1].body["text"].startswith(f"Nomor {mine['number']}: tinggal 3 orang lagi")
    for _ in range(3):
        tickets.finish(demo, clerk, called.ticket_id, now=clock())
        called = counters.call_next(demo, clerk, loket4, now=clock())
    run.run_once(clock())
    assert len(sms.received) == 2     # "3 ahead" is said once
    tickets.finish(demo, clerk, called.ticket_id, now=clock())
    called = counters.call_next(demo, clerk, loket4, now=clock())
    assert called.ticket_id == mine["id"]
    run.run_once(clock())
    assert sms.received[-1].body["text"] == f"Nomor {mine['number']} dipanggil ke loket 4."
    tickets.recall(demo, clerk, mine["id"], now=clock())
    tickets.finish(demo, clerk, mine["id"], now=clock())
    run.run_once(clock())
    assert sms.received[-2].body["text"].startswith("Panggilan ulang")
    assert sms.received[-1].body["text"].endswith(f"/t/{mine['token']}/survei")


def test_a_500_is_retried_within_seconds_with_the_same_idempotency_key(client, demo, app, sms, clock):
    sms.answers = [500]
    book(client, notify=["sms"])
    run = worker(app, demo)
    run.run_once(clock())
    [message] = outbox(demo)
    assert message.state == "queued" and message.attempts == 1
    assert message.next_attempt_at <= clock() + timedelta(seconds=5)
    run.run_once(clock() + timedelta(seconds=1))
    assert len(sms.received) == 1     # not before its time
    run.run_once(clock() + timedelta(seconds=5))
    assert [m.state for m in outbox(demo)] == ["sent"]
    keys = {r.headers["Idempotency-Key"] for r in sms.received}
    assert len(sms.received) == 2 and len(keys) == 1
    with demo.read() as s:
        steps = [(row.state, (row.answer or "")[:3]) for row in
                 s.execute(select(DeliveryLog).order_by(DeliveryLog.id)).scalars()]
    assert steps == [("queued", ""), ("retry", "500"), ("sent", "200")]


def test_a_later_message_waits_for_the_earlier_one_of_the_same_citizen(client, demo, app, sms, clock, clerk):
    sms.answers = [503]
    mine = join(client, notify=["sms"]).get_json()                     # "joined" fails once
    counters.call_next(demo, clerk, counter_id(demo, 4), now=clock())  # "called" is queued behind it
    run = worker(app, demo)
    run.run_once(clock())
    assert len(sms.received) == 1
    run.run_once(clock() + timedelta(seconds=3))
    texts = [r.body["text"] for r in sms.received]
    assert texts[1].startswith(f"Nomor antrian {mine['number']}") and "dipanggil" in texts[2]


def test_a_provider_outage_never_fails_a_booking_or_a_ticket(client, demo, app, clock, clerk):
    app.config.update(SMS_URL=closed_port_url())
    assert book(client, notify=["sms"]).status_code == 201
    assert join(client, notify=["sms"]).status_code == 201
    counters.call_next(demo, clerk, counter_id(demo, 4), now=clock())
    worker(app, demo).run_once(clock())
    messages = outbox(demo)
    assert messages and all(m.state == "queued" and m.attempts == 1 for m in messages[:2])
    assert "no answer from the provider" in messages[0].last_answer


def test_a_refusal_falls_back_to_sms_after_a_few_tries(client, demo, app, whatsapp, sms, clock):
    whatsapp.answers = [400, 400, 400]
    book(client, notify=["whatsapp", "sms"])
    run = worker(app, demo)
    moment = clock()
    for _ in range(4):
        run.run_once(moment)
        moment += timedelta(minutes=5)
    assert len(whatsapp.received) == 3 and len(sms.received) == 1
    [message] = outbox(demo)
    assert message.state == "sent" and message.channel == "sms"


def test_the_daily_cap_stops_paid_messages(client, demo, app, sms, clock):
    with demo.write() as uow:
        office = uow.session.execute(select(Office)).scalar_one()
        uow.session.add(NotifySettings(office_id=office.id, channels="sms", daily_cap=1, ahead_threshold=3, texts={}))
    join(client, notify=["sms"])
    join(client, notify=["sms"], phone="081299998888")
    worker(app, demo).run_once(clock())
    assert len(sms.received) == 1
    assert sorted(m.state for m in outbox(demo)) == ["failed", "sent"]
    assert "cap" in next(m.last_answer for m in outbox(demo) if m.state == "failed")


def test_a_clerk_records_consent_for_a_citizen_without_a_smartphone(client, demo, app, sms, clock, clerk_headers):
    ticket = tickets.issue_ticket(demo, "demo", "E", now=clock())
    response = client.post(f"/api/v1/tickets/{ticket.ticket_id}/notify",
                           json={"channel": "sms", "phone": "0812-7777-6666"}, headers=clerk_headers)
    assert response.status_code == 201
    worker(app, demo).run_once(clock())
    assert sms.received[0].body["to"] == "+6281277776666"
    with demo.read() as s:
        consent = s.execute(select(NotifyConsent)).scalar_one()
    assert consent.given_by == "clerk" and consent.channel == "sms" and consent.text_version
    assert "7777" not in consent.recipient     # sealed


def test_a_clerk_of_another_office_cannot_record_consent(client, demo, app, clock):
    from queueapp.services import office_import, staff
    office_import.import_office(demo, {"office": {"slug": "lain", "name": "Kantor Lain"},
                                       "services": [{"code": "A", "name": "Umum", "name_en": "General"}]},
                                now=clock())
    staff.create_user(demo, "lain1", "teh-manis-hangat", office_slug="lain", role="clerk", now=clock())
    ticket = tickets.issue_ticket(demo, "demo", "E", now=clock())
    response = client.post(f"/api/v1/tickets/{ticket.ticket_id}/notify", json={"channel": "sms", "phone": PHONE},
                           headers={"Authorization": f"Bearer {token_for(demo, 'lain1')}"})
    assert response.status_code in (403, 404)
    assert outbox(demo) == []


def test_reminders_come_the_evening_before_and_that_morning_once_each(client, demo, app, sms, clock):
    book(client, notify=["sms"])
    run = worker(app, demo)
    run.run_once(clock())
    evening = datetime(2026, 11, 23, 10, 30, tzinfo=timezone.utc)   # Monday 17:30 WIB
    assert run.queue_reminders(evening) == 1
    assert run.queue_reminders(evening + timedelta(minutes=5)) == 0
    morning = datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc)     # Tuesday 07:00 WIB
    assert run.queue_reminders(morning) == 1
    run.run_once(morning)
    texts = [r.body["text"] for r in sms.received]
    assert len(texts) == 3 and all(t.startswith("Pengingat booking") for t in texts[1:])


def test_cancel_and_reschedule_are_told(client, demo, app, sms, clock):
    token = book(client, notify=["sms"]).get_json()["manage_token"]
    moved = client.post(f"/api/v1/appointments/{token}/reschedule", json={"start": "2026-11-24T09:00:00+07:00"})
    new_token = moved.get_json()["manage_token"]
    client.post(f"/api/v1/appointments/{new_token}/cancel")
    worker(app, demo).run_once(clock())
    texts = [r.body["text"] for r in sms.received]
    assert texts[1].startswith("Booking dipindah") and "09:00 WIB" in texts[1]
    assert "dibatalkan" in texts[2]


def test_a_closed_day_tells_its_bookings_to_pick_another_slot(client, demo, app, sms, clock, clerk_headers):
    token = book(client, notify=["sms"]).get_json()["manage_token"]
    from queueapp.services import holidays
    from datetime import date
    holidays.import_holidays(demo, "demo", [(date(2026, 11, 24), "Libur daerah")], now=clock())
    worker(app, demo).run_once(clock())
    assert sms.received[-1].body["text"].startswith("Kantor tutup Selasa")
    assert sms.received[-1].body["text"].endswith(f"/booking/a/{token}")


def test_the_phone_is_never_logged_nor_in_events_and_is_erased_with_personal_data(
        client, demo, app, sms, clock, clerk, caplog, capfd):
    # Every logger at DEBUG (requests' urllib3 too), but sqlalchemy's DEBUG prints result
    # rows (the appointment's own phone column) and is never on in production.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy")
    sms.answers = [500]
    book(client, notify=["sms"])
    join(client, notify=["sms"])
    counters.call_next(demo, clerk, counter_id(demo, 4), now=clock())
    run = worker(app, demo)
    run.run_once(clock())
    run.run_once(clock() + timedelta(minutes=1))
    assert sms.received and caplog.records
    logged = caplog.text + "".join(capfd.readouterr())
    assert DIGITS not in logged and "0812 3456" not in logged
    with demo.read() as s:
        assert all(DIGITS not in str(e.data) for e in s.execute(select(TicketEvent)).scalars())
        assert all(DIGITS not in (row.answer or "") for row in s.execute(select(DeliveryLog)).scalars())
    from queueapp.domain.retention import Citizen
    from queueapp.services import privacy
    privacy.erase(demo, Citizen.of(phone=PHONE, secret_key="test-secret"), now=clock())
    with demo.read() as s:
        consents = list(s.execute(select(NotifyConsent)).scalars())
    assert consents and all(c.recipient == "" and c.recipient_hash == "" for c in consents)


def test_consents_are_erased_by_the_retention_purge(client, demo, app, clock):
    from queueapp.services import privacy
    book(client, notify=["sms"])
    join(client, notify=["whatsapp"])
    later = clock() + timedelta(days=60)
    privacy.purge(demo, privacy.retention_of(app.config), now=later)
    with demo.read() as s:
        assert all(c.recipient == "" for c in s.execute(select(NotifyConsent)).scalars())


def _csrf(page: str) -> str:
    import re
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_booking_and_join_pages_offer_the_same_choice(client, demo, app, sms, clock):
    page = client.get("/booking/demo/E/book", query_string={"start": TUESDAY_0800}).get_data(as_text=True)
    assert 'name="notify" value="whatsapp"' in page and 'name="notify" value="sms"' in page
    booked = client.post("/booking/demo/E/book", data={"csrf_token": _csrf(page), "start": TUESDAY_0800,
                                                       "name": "Dewi Lestari", "phone": PHONE, "notify": "sms"})
    assert booked.status_code == 303
    page = client.get("/booking/demo/E/join").get_data(as_text=True)
    assert 'name="notify" value="sms"' in page
    joined = client.post("/booking/demo/E/join", data={"csrf_token": _csrf(page), "phone": "081277778888"})
    assert joined.status_code == 303
    worker(app, demo).run_once(clock())
    assert [m.kind for m in outbox(demo)] == ["booked"]    # the join gave no consent
    assert len(sms.received) == 1


def test_a_checked_in_booking_is_told_when_it_is_called(client, demo, app, sms, clock, clerk):
    from queueapp.services import checkin
    code = book(client, notify=["sms"]).get_json()["code"]
    clock.current = datetime(2026, 11, 24, 0, 50, tzinfo=timezone.utc)     # Tuesday 07:50 WIB
    checkin.check_in(demo, "demo", code, now=clock())
    clock.current = datetime(2026, 11, 24, 1, 1, tzinfo=timezone.utc)
    counters.call_next(demo, clerk, counter_id(demo, 4), now=clock())
    worker(app, demo).run_once(clock())
    assert sms.received[-1].body["text"] == "Nomor E-001 dipanggil ke loket 4."


def test_a_crashed_workers_claim_is_taken_over_after_its_lease(client, demo, app, sms, clock):
    from queueapp.notifications.worker import LEASE
    join(client, notify=["sms"])
    crashed = worker(app, demo)
    [claim] = crashed.claim(clock())                       # claimed, then the worker died
    other = worker(app, demo)
    assert other.run_once(clock() + timedelta(seconds=5)) == 0
    assert other.run_once(clock() + LEASE + timedelta(seconds=1)) == 1
    assert len(sms.received) == 1 and outbox(demo)[0].state == "sent"
    # At least once: its late send repeats the idempotency key, and changes no state.
    assert crashed.deliver(claim, clock()) == "lost"
    assert {r.headers["Idempotency-Key"] for r in sms.received} == {outbox(demo)[0].idempotency_key}


def test_a_citizen_stops_the_messages_with_the_secret_link(client, demo, app, sms, clock, clerk):
    mine = join(client, notify=["sms"]).get_json()
    token = book(client, notify=["sms"]).get_json()["manage_token"]
    assert client.post(f"/api/v1/tickets/{mine['token']}/notify/stop").get_json() == {"withdrawn": 1}
    assert client.post(f"/api/v1/appointments/{token}/notify/stop").get_json() == {"withdrawn": 1}
    assert client.post("/api/v1/tickets/not-a-token/notify/stop").status_code == 404
    counters.call_next(demo, clerk, counter_id(demo, 4), now=clock())
    worker(app, demo).run_once(clock())
    assert sms.received == []
    assert {m.state for m in outbox(demo)} == {"failed"}


def test_an_access_request_lists_the_consents_given_with_the_phone(client, demo, app, clock):
    from queueapp.domain.retention import Citizen
    from queueapp.queries.privacy import citizen_records
    join(client, notify=["sms", "whatsapp"])
    records = citizen_records(demo, Citizen.of(phone="+62 812-3456-7890", secret_key="test-secret"))
    assert [(c["channel"], c["for"], c["given_by"]) for c in records["notify_consents"]] == [
        ("sms", "ticket", "citizen"), ("whatsapp", "ticket", "citizen")]
    assert records["notify_consents"][0]["given_at"].endswith("+07:00")


def test_a_transfer_out_of_the_line_brings_the_ones_behind_nearer(client, demo, app, sms, clock, clerk):
    ahead = [tickets.issue_ticket(demo, "demo", "E", now=clock()).ticket_id for _ in range(4)]
    mine = join(client, notify=["sms"]).get_json()
    run = worker(app, demo)
    run.run_once(clock())
    tickets.transfer(demo, clerk, ahead[0], "F", now=clock())      # 3 left ahead in line E
    run.run_once(clock())
    assert sms.received[-1].body["text"].startswith(f"Nomor {mine['number']}: tinggal 3 orang lagi")
