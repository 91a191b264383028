"""The capacity of a slot is never exceeded under concurrent bookings, on SQLite and PostgreSQL."""
import threading
from collections import Counter as Tally
from datetime import datetime, timezone

from sqlalchemy import func, select

from queueapp.domain import errors
from queueapp.models import Appointment, BookingRule, Service
from ..support import appointments

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)     # Monday 09:00 WIB
SLOT = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)    # Tuesday 08:00 WIB
CAPACITY, ALREADY_BOOKED, RACERS = 10, 7, 32


def book(db, n):
    return appointments.book(db, "demo", "A", SLOT, name=f"Warga {n}", phone=f"0812{n:08d}",
                             nik=f"3174{n:012d}", now=NOW, secret_key="test-secret")


def test_thirty_two_parallel_bookings_for_the_last_three_seats_book_exactly_three(any_db, demo):
    with demo.write() as uow:
        service = uow.session.execute(select(Service).where(Service.prefix == "A")).scalar_one()
        uow.session.get(BookingRule, service.id).capacity = CAPACITY
    for n in range(ALREADY_BOOKED):
        book(demo, 1000 + n)
    outcomes, unexpected = [], []
    lock, start = threading.Lock(), threading.Barrier(RACERS)

    def racer(n):
        start.wait()
        try:
            book(demo, n)
            outcome = "booked"
        except errors.SlotFull:
            outcome = "slot_full"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            unexpected.append(repr(exc))
            return
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not unexpected, unexpected[:3]
    assert Tally(outcomes) == {"booked": 3, "slot_full": RACERS - 3}
    with demo.read() as s:
        assert s.execute(select(func.count()).select_from(Appointment)).scalar_one() == CAPACITY
