"""The issuance path's statements run on the driver's cursor (queueapp.prepared): on both
databases they write and read back exactly what SQLAlchemy's own execution does (dates, enums,
JSON, booleans, column defaults), a database error is SQLAlchemy's (without the parameters),
and anyone counting statements still sees every one of them."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import bindparam, event, exc, select, update

from queueapp.domain.channels import Channel
from queueapp.domain.priority import PriorityGroup
from queueapp.domain.states import TicketStatus
from queueapp.models import DailyCounter, Office, Service, Ticket, TicketEvent
from queueapp.prepared import Prepared, driver_sql
from queueapp.services.tickets import _INSERT_TICKET, _NEXT_NUMBER

AT = datetime(2026, 11, 24, 1, 2, 3, 456789, tzinfo=timezone.utc)
DAY = date(2026, 11, 24)
OFFICES = Office.__table__
OFFICE_ROW = Prepared(select(OFFICES.c.id, OFFICES.c.slug, OFFICES.c.closed).where(OFFICES.c.slug == bindparam("slug")))
NEXT_SEQ = Prepared(update(OFFICES).where(OFFICES.c.id == bindparam("office_id"))
                    .values(seq=OFFICES.c.seq + 1).returning(OFFICES.c.seq))
INSERT_EVENT = Prepared(TicketEvent.__table__.insert(), ["office_id", "ticket_id", "seq", "type", "at", "counter_id",
                                                         "staff_id", "data"])


def _office_and_service(db):
    with db.read() as s:
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        service = s.execute(select(Service).where(Service.office_id == office.id, Service.prefix == "A")).scalar_one()
        return office.id, service.id


def _ticket_values(office_id, service_id, number, **extra):
    return dict(office_id=office_id, service_id=service_id, business_date=DAY, prefix="A", number=number,
                code=f"A-{number:03d}", channel=Channel.KIOSK, priority=PriorityGroup.LANSIA,
                status=TicketStatus.WAITING, issued_at=AT, queued_at=AT, token=f"token-{number}",
                idempotency_key=None, idempotency_hash=None, staff_id=None, counter_id=None, call_count=0,
                notify=True) | extra


def test_a_ticket_written_on_the_cursor_reads_back_as_the_orm_wrote_it(any_db, demo):
    office_id, service_id = _office_and_service(demo)
    with demo.write() as uow:
        connection = uow.connection
        number = _NEXT_NUMBER[connection.dialect.name].scalar_one(connection, {"service_id": service_id, "day": DAY})
        again = _NEXT_NUMBER[connection.dialect.name].scalar_one(connection, {"service_id": service_id, "day": DAY})
        ticket_id = _INSERT_TICKET.scalar_one(connection, _ticket_values(office_id, service_id, number))
        seq = NEXT_SEQ.scalar_one(connection, {"office_id": office_id})
        INSERT_EVENT.all(connection, {"office_id": office_id, "ticket_id": ticket_id, "seq": seq,
                                      "type": "ticket.issued", "at": AT, "counter_id": None, "staff_id": None,
                                      "data": {"channel": "kiosk", "priority": "lansia"}})
    assert (number, again) == (1, 2)
    with demo.read() as s:
        ticket = s.get(Ticket, ticket_id)
        assert (ticket.code, ticket.channel, ticket.priority, ticket.status) == (
            "A-001", Channel.KIOSK, PriorityGroup.LANSIA, TicketStatus.WAITING)
        assert (ticket.issued_at, ticket.queued_at, ticket.business_date, ticket.notify) == (AT, AT, DAY, True)
        logged = s.execute(select(TicketEvent).where(TicketEvent.seq == seq)).scalar_one()
        assert (logged.ticket_id, logged.at, logged.data) == (ticket_id, AT, {"channel": "kiosk", "priority": "lansia"})
        line = s.execute(select(DailyCounter).where(DailyCounter.service_id == service_id)).scalar_one()
        # The column default the upsert fills (waiting = 0), then the trigger's count of the ticket.
        assert (line.last_number, line.waiting) == (2, 1)
        assert s.get(Office, office_id).seq == seq


def test_rows_carry_their_columns_by_name_with_their_types(any_db, demo):
    with demo.write() as uow:
        row = OFFICE_ROW.first(uow.connection, {"slug": "demo"})
        missing = OFFICE_ROW.first(uow.connection, {"slug": "nowhere"})
    assert row.slug == "demo" and row.closed is False and row[0] == row.id
    assert missing is None


def test_a_database_error_is_sqlalchemys_and_never_shows_the_parameters(any_db, demo):
    office_id, service_id = _office_and_service(demo)
    values = _ticket_values(office_id, service_id, 1, token="0812-3456-7890")
    with pytest.raises(exc.IntegrityError) as raised:
        with demo.write() as uow:
            _INSERT_TICKET.scalar_one(uow.connection, values)
            _INSERT_TICKET.scalar_one(uow.connection, values | {"number": 2, "code": "A-002"})  # same token
    # The statement, never its parameters (PostgreSQL's own detail names the key, as it would
    # through SQLAlchemy's execute: tokens are no personal data).
    assert raised.value.params is None and "INSERT INTO tickets" in str(raised.value)
    assert "A-002" not in str(raised.value)
    with demo.read() as s:   # the whole transaction was rolled back
        assert s.execute(select(Ticket)).first() is None


def test_a_missing_value_is_refused_before_the_database_sees_it(demo):
    with pytest.raises(exc.ArgumentError, match="slug"):
        with demo.write() as uow:
            OFFICE_ROW.first(uow.connection, {})


def test_a_statement_listener_counts_every_prepared_statement(any_db, demo):
    office_id, service_id = _office_and_service(demo)
    seen = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement.split()[0])
    event.listen(demo.engine, "before_cursor_execute", count)
    try:
        with demo.write() as uow:
            ticket_id = _INSERT_TICKET.scalar_one(uow.connection, _ticket_values(office_id, service_id, 7))
            driver_sql(uow.connection, "SAVEPOINT counted")
            driver_sql(uow.connection, "RELEASE SAVEPOINT counted")
            seq = NEXT_SEQ.scalar_one(uow.connection, {"office_id": office_id})
    finally:
        event.remove(demo.engine, "before_cursor_execute", count)
    assert seen.count("INSERT") == 1 and seen.count("SAVEPOINT") == 1 and seen.count("RELEASE") == 1
    assert seen.count("UPDATE") == 1
    with demo.read() as s:
        assert s.get(Ticket, ticket_id).number == 7 and s.get(Office, office_id).seq == seq


def test_a_statement_outside_a_transaction_begins_one_that_a_rollback_undoes(any_db, demo):
    office_id, _ = _office_and_service(demo)
    with demo.read() as s:
        before = s.get(Office, office_id).seq
    with demo.engine.connect() as connection:
        assert NEXT_SEQ.scalar_one(connection, {"office_id": office_id}) == before + 1
        assert connection.in_transaction()
        connection.rollback()
    with demo.read() as s:
        assert s.get(Office, office_id).seq == before


def test_a_listener_on_the_connection_alone_or_on_the_engine_class_counts_too(demo):
    from sqlalchemy.engine import Engine
    office_id, _ = _office_and_service(demo)
    seen = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement.split()[0])
    with demo.write() as uow:
        event.listen(uow.connection, "after_cursor_execute", count)
        try:
            NEXT_SEQ.scalar_one(uow.connection, {"office_id": office_id})
        finally:
            event.remove(uow.connection, "after_cursor_execute", count)
        NEXT_SEQ.scalar_one(uow.connection, {"office_id": office_id})   # nobody listens any more
    assert seen == ["UPDATE"]
    event.listen(Engine, "before_cursor_execute", count)
    try:
        with demo.write() as uow:
            NEXT_SEQ.scalar_one(uow.connection, {"office_id": office_id})
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert seen.count("UPDATE") == 2
