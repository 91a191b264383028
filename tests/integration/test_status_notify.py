"""WhatsApp/SMS asked for on the status page (issue 13): while waiting, a plain form takes
the phone and the channels this office sends on; the consent is recorded as the citizen's,
in the page's language, and the "joined" message is queued; the page then names the
channels and the number's last three digits only, and offers "stop". Bad input gets a 422
page that keeps what was typed; nothing is offered without a configured channel or once
the ticket is called."""
from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from queueapp.models import NotifyConsent, OutboxMessage
from queueapp.services import counters as counter_ops
from ..support import pair_browser
from .test_status_page import counter_id, take

PHONE = "0812 3456 7890"


@pytest.fixture
def providers(app):
    """WhatsApp and SMS configured for the deployment (no message is sent in these tests)."""
    app.config.update(WHATSAPP_TOKEN="wa-token", WHATSAPP_PHONE_NUMBER_ID="1234567", SMS_URL="http://127.0.0.1:9/send")


def rows(demo, model):
    with demo.read() as s:
        return list(s.execute(select(model).order_by(model.id)).scalars())


def waiting_ticket(client, demo) -> str:
    pair_browser(client, demo)
    return take(client)["token"]


def test_the_waiting_page_offers_the_configured_channels(client, demo, providers):
    html = client.get(f"/t/{waiting_ticket(client, demo)}").get_data(as_text=True)
    assert "Kirim kabar lewat WhatsApp/SMS" in html
    assert 'name="notify" value="whatsapp"' in html and 'name="notify" value="sms"' in html
    assert "<script>" not in html and 'style="' not in html


def test_only_the_channels_of_the_office_and_deployment_are_offered(client, demo, app):
    app.config.update(SMS_URL="http://127.0.0.1:9/send")   # no WhatsApp provider
    html = client.get(f"/t/{waiting_ticket(client, demo)}").get_data(as_text=True)
    assert 'value="sms"' in html and 'value="whatsapp"' not in html


def test_nothing_is_offered_when_no_phone_channel_is_configured(client, demo):
    token = waiting_ticket(client, demo)
    html = client.get(f"/t/{token}").get_data(as_text=True)
    assert 'id="notify-phone"' not in html
    response = client.post(f"/t/{token}/notify", data={"phone": PHONE, "notify": ["sms"]})
    assert response.status_code == 422 and rows(demo, NotifyConsent) == []


def test_the_form_records_the_citizens_consent_and_queues_the_joined_message(client, demo, providers, caplog):
    token = waiting_ticket(client, demo)
    with caplog.at_level(logging.DEBUG):
        response = client.post(f"/t/{token}/notify?lang=en", data={"phone": PHONE, "notify": ["whatsapp", "sms"]})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/t/{token}#notify-phone")
    consents = rows(demo, NotifyConsent)
    assert [(c.channel, c.given_by, c.language) for c in consents] == [("whatsapp", "citizen", "en"),
                                                                        ("sms", "citizen", "en")]
    assert PHONE.replace(" ", "") not in consents[0].recipient   # sealed
    joined = rows(demo, OutboxMessage)
    assert {m.kind for m in joined} == {"joined"} and joined[0].params["link"].endswith(f"/t/{token}")
    html = client.get(f"/t/{token}").get_data(as_text=True)
    assert "WhatsApp, SMS" in html and "•••890" in html
    assert "7890" not in html.replace("•••890", "") and "081234567890" not in html
    assert 'id="notify-phone-stop"' in html and 'id="notify-phone-send"' not in html
    assert "81234567890" not in caplog.text and "3456" not in caplog.text


def test_stop_withdraws_the_consents_and_offers_the_form_again(client, demo, providers):
    token = waiting_ticket(client, demo)
    client.post(f"/t/{token}/notify", data={"phone": PHONE, "notify": ["sms"]})
    response = client.post(f"/t/{token}/notify/stop")
    assert response.status_code == 303
    assert all(c.withdrawn_at is not None for c in rows(demo, NotifyConsent))
    assert 'id="notify-phone-send"' in client.get(f"/t/{token}").get_data(as_text=True)


def test_a_bad_phone_is_refused_with_the_typed_values_kept_in_indonesian_and_english(client, demo, providers):
    token = waiting_ticket(client, demo)
    response = client.post(f"/t/{token}/notify", data={"phone": "12345", "notify": ["sms"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Masukkan nomor HP Indonesia" in html
    assert 'value="12345"' in html and re.search(r'value="sms"\s+checked', html)
    assert 'aria-invalid="true"' in html and rows(demo, NotifyConsent) == []
    english = client.post(f"/t/{token}/notify?lang=en", data={"phone": "12345", "notify": ["sms"]})
    assert english.status_code == 422 and "Enter an Indonesian mobile number" in english.get_data(as_text=True)


def test_no_channel_chosen_is_refused_and_keeps_the_phone(client, demo, providers):
    token = waiting_ticket(client, demo)
    response = client.post(f"/t/{token}/notify?lang=en", data={"phone": PHONE})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose WhatsApp or SMS" in html and f'value="{PHONE}"' in html
    unknown = client.post(f"/t/{token}/notify", data={"phone": PHONE, "notify": ["pigeon"]})
    assert unknown.status_code == 422 and rows(demo, NotifyConsent) == []


def test_a_called_or_finished_ticket_is_offered_nothing_and_refused(client, demo, providers, clerk, clock):
    token = waiting_ticket(client, demo)
    counter_ops.call_next(demo, clerk, counter_id(client, 1), now=clock())
    assert 'id="notify-phone"' not in client.get(f"/t/{token}").get_data(as_text=True)
    response = client.post(f"/t/{token}/notify", data={"phone": PHONE, "notify": ["sms"]})
    assert response.status_code == 409 and "Traceback" not in response.get_data(as_text=True)
    assert rows(demo, NotifyConsent) == []


def test_an_unknown_ticket_gets_the_friendly_404(client, demo, providers):
    assert client.post("/t/not-a-token/notify", data={"phone": PHONE, "notify": ["sms"]}).status_code == 404
    assert client.post("/t/not-a-token/notify/stop").status_code == 404
