"""Every member of the domain's enums has a label in English and in Indonesian, and a service's
name is picked by language from any view of it."""
import pytest
from babel.messages.mofile import read_mo
from flask import Flask
from flask_babel import Babel, force_locale

from queueapp.domain.booking import AppointmentStatus
from queueapp.domain.channels import Channel
from queueapp.domain.permissions import Role
from queueapp.domain.priority import PriorityGroup
from queueapp.domain.states import Action, CounterState, TicketStatus
from queueapp.i18n import DOMAIN, translations_folder
from queueapp.web.labels import for_script, holder_status, label, service_name

ENUMS = (TicketStatus, Action, PriorityGroup, CounterState, Channel, Role, AppointmentStatus)


@pytest.fixture(scope="module")
def app():
    app = Flask(__name__)
    Babel(app, default_translation_directories=str(translations_folder()))
    return app


@pytest.fixture(scope="module")
def indonesian() -> dict[str, str]:
    """The compiled catalog the app reads: msgid -> Indonesian."""
    with open(translations_folder() / "id" / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
        return {m.id: m.string for m in read_mo(f) if m.id and m.string}


@pytest.mark.parametrize("members", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_an_english_label_and_an_indonesian_translation(app, indonesian, members):
    with app.test_request_context(), force_locale("en"):
        english = {member: label(member) for member in members}
    assert all(english.values()), english
    missing = [f"{members.__name__}.{m.name}: {text!r}" for m, text in english.items() if text not in indonesian]
    assert not missing
    with app.test_request_context(), force_locale("id"):
        assert {m: label(m.value, members.__name__) for m in members} == {m: indonesian[t] for m, t in english.items()}


def test_every_ticket_status_tells_its_holder_what_it_means_in_both_languages(app, indonesian):
    with app.test_request_context(), force_locale("en"):
        english = {status: holder_status(status) for status in TicketStatus}
    assert all(english.values()) and all(text in indonesian for text in english.values())


def test_screens_get_the_tables_by_enum_value(app):
    with app.test_request_context(), force_locale("id"):
        tables = for_script("TicketStatus", "PriorityGroup")
    assert set(tables["TicketStatus"]) == {status.value for status in TicketStatus}
    assert tables["PriorityGroup"]["lansia"] == "Lansia"


@pytest.mark.parametrize("view, key", [
    ({"code": "A", "name": "Akta Kelahiran", "name_en": "Birth certificate"}, "name"),         # ticket views
    ({"code": "A", "name_id": "Akta Kelahiran", "name_en": "Birth certificate"}, "name"),      # booking
    ({"service_name": "Akta Kelahiran", "service_name_en": "Birth certificate"}, "service_name"),      # appointment
    ({"service_name_id": "Akta Kelahiran", "service_name_en": "Birth certificate"}, "service_name"),   # calendar
])
def test_a_service_name_is_picked_by_language_from_any_view(app, view, key):
    with app.test_request_context(), force_locale("id"):
        assert service_name(view, key) == "Akta Kelahiran"
    with app.test_request_context(), force_locale("en"):
        assert service_name(view, key) == "Birth certificate"
