"""The admin page of notifications: provider health and failures, the settings and the
message texts with a preview; admins of the office only."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from queueapp.models import NotifySettings
from queueapp.notifications.worker import Worker
from ..notify_fakes import FakeProvider
from ..support import csrf_of, log_in


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def test_the_admin_sees_failures_with_the_providers_answer_and_the_queue(client, demo, app, clock):
    fake = FakeProvider(answers=[500])
    app.config.update(SMS_URL=fake.url + "/send")
    try:
        client.post("/api/v1/offices/demo/services/E/join", json={"phone": "081234567890", "notify": ["sms"]})
        Worker(demo, app.config).run_once(clock())
    finally:
        fake.stop()
    log_in(client, "admin")
    page = client.get("/admin/demo/notifications").get_data(as_text=True)
    assert 'id="failures"' in page and "500" in page and "fake failure" in page
    assert 'data-channel="sms"' in page and "1" in page
    assert "81234567890" not in page


def test_texts_are_previewed_then_saved_and_used(client, demo, app, clock):
    log_in(client, "admin")
    page = client.get("/admin/demo/notifications")
    assert page.status_code == 200
    form = {"csrf_token": csrf_of(page.data), "channels": "sms", "daily_cap": "20", "ahead_threshold": "2",
            "text-called-id": "Giliran {number}: silakan ke loket {counter}.", "action": "preview"}
    preview = client.post("/admin/demo/notifications", data=form).get_data(as_text=True)
    assert "Giliran A-012: silakan ke loket 4." in preview
    with demo.read() as s:
        assert s.execute(select(NotifySettings)).first() is None      # a preview saves nothing
    saved = client.post("/admin/demo/notifications", data=form | {"action": "save"})
    assert saved.status_code == 303
    with demo.read() as s:
        row = s.execute(select(NotifySettings)).scalar_one()
    assert (row.channels, row.daily_cap, row.ahead_threshold) == ("sms", 20, 2)
    assert row.texts == {"called": {"id": "Giliran {number}: silakan ke loket {counter}."}}
    bad = client.post("/admin/demo/notifications", data=form | {"action": "save", "text-called-id": "{phone}"})
    assert bad.status_code == 422


def test_a_clerk_may_not_open_the_notifications_page(client, demo):
    log_in(client, "loket1")
    assert client.get("/admin/demo/notifications").status_code == 403
