"""The catalog's use cases on SQLite and PostgreSQL: the command line may configure,
a refusal late in a change writes nothing, a counter's matrix is replaced in place, a
renamed code stays on the displays, and two admins taking one code get one service."""
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from queueapp.domain import errors
from queueapp.models import AuditEntry, Counter, Display, Office, Service
from queueapp.services import catalog

from .catalog_fixtures import counts

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def counter_of(db, number):
    with db.read() as s:
        return s.execute(select(Counter.id).where(Counter.number == number)).scalar_one()


def matrix_of(db, counter_id):
    with db.read() as s:
        return {link.service.prefix: link.order for link in s.get(Counter, counter_id).links}


def test_the_command_line_adds_a_service_and_the_log_names_it(any_db, demo):
    code = catalog.add_service(demo, None, "demo", {"code": "kt", "name": "Kartu Tani"}, now=NOW)
    assert code == "KT"
    with demo.read() as s:
        service = s.execute(select(Service).where(Service.prefix == "KT")).scalar_one()
        assert (service.name_en, service.position, service.expected_minutes) == ("Kartu Tani", 6, 10)
        entry = s.execute(select(AuditEntry).where(AuditEntry.target == "service:KT")).scalar_one()
        assert (entry.username, entry.action, entry.staff_id) == ("(command line)", "service.created", None)


def test_a_refusal_found_late_writes_nothing(any_db, demo):
    before = counts(demo)
    with pytest.raises(errors.ServiceNotFound):
        catalog.add_counter(demo, None, "demo", {"number": 9, "services": {"A": 1, "B": 2, "Q": 3}}, now=NOW)
    with pytest.raises(errors.AlreadyExists):
        catalog.update_service(demo, None, "demo", "A", {"name": "Baru", "code": "F"}, now=NOW)
    with pytest.raises(errors.InvalidInput):
        catalog.update_service(demo, None, "demo", "A", {"booking": {"capacity": 0}}, now=NOW)
    assert counts(demo) == before


def test_replacing_a_counters_services_keeps_the_ones_it_still_calls(any_db, demo):
    cid = counter_of(demo, 4)
    catalog.update_counter(demo, None, cid, {"services": {"F": 1, "D": 3, "A": 2}}, now=NOW)
    assert matrix_of(demo, cid) == {"F": 1, "A": 2, "D": 3}
    catalog.update_counter(demo, None, cid, {"services": {}}, now=NOW)
    assert matrix_of(demo, cid) == {}


def test_a_renamed_code_stays_on_the_displays_that_show_it(any_db, demo):
    with demo.write() as uow:
        office = uow.session.execute(select(Office)).scalar_one()
        uow.session.add(Display(office_id=office.id, name="Lobi", services="A,B"))
    catalog.update_service(demo, None, "demo", "A", {"code": "KT"}, now=NOW)
    with demo.read() as s:
        assert s.execute(select(Display.services)).scalar_one() == "KT,B"


def test_two_admins_taking_one_code_at_once_get_one_service(any_db, demo):
    results = []

    def add(name):
        try:
            results.append(catalog.add_service(demo, None, "demo", {"code": "G", "name": name}, now=NOW))
        except errors.AlreadyExists as error:
            results.append(error.code)

    threads = [threading.Thread(target=add, args=(f"Layanan {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["G", "already_exists"]
    with demo.read() as s:
        assert len(s.execute(select(Service).where(Service.prefix == "G")).all()) == 1
