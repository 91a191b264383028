"""A citizen's phone, NIK and name never reach a log line: the booking, the join from home,
their refusals and the privacy commands, with every logger of the app at DEBUG."""
import logging

import pytest

from queueapp.domain.retention import Citizen
from queueapp.queries.privacy import citizen_records
from queueapp.services import privacy

PHONE, PHONE_DIGITS, NIK, NAME = "0812 7777 3333", "081277773333", "3174019876540007", "Rahmawati Kusuma"


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def test_a_booking_with_a_known_phone_and_nik_leaves_no_trace_in_the_logs(client, demo, app, caplog, capfd):
    # sqlalchemy.engine logs its statements at INFO (parameters hidden); its DEBUG level prints
    # result rows and is never on in production.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy")
    body = {"service": "A", "start": "2026-11-24T08:00:00+07:00", "name": NAME, "phone": PHONE, "nik": NIK}
    assert client.post("/api/v1/offices/demo/appointments", json=body).status_code == 201
    again = client.post("/api/v1/offices/demo/appointments", json=body | {"start": "2026-11-24T09:00:00+07:00"})
    assert again.status_code == 409                                   # the per-NIK limit
    bad = client.post("/api/v1/offices/demo/appointments", json=body | {"nik": NIK[:15] + "x"})
    assert bad.status_code == 422
    assert client.post("/api/v1/offices/demo/services/A/join", json={"phone": PHONE}).status_code == 201
    assert client.post("/api/v1/offices/demo/services/A/join", json={"phone": PHONE}).status_code == 409
    who = Citizen.of(phone=PHONE, secret_key=app.config["SECRET_KEY"])
    privacy.record_export(demo, who, citizen_records(demo, who)["found"], now=app.config["QUEUEAPP_CLOCK"]())
    privacy.erase(demo, who, now=app.config["QUEUEAPP_CLOCK"]())
    logged = caplog.text + "".join(capfd.readouterr())
    assert caplog.records                                              # the logs were captured at all
    for secret in (PHONE, PHONE_DIGITS, PHONE_DIGITS[1:], NIK, NIK[:15], NAME):
        assert secret not in logged
