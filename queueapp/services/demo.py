"""The demo office: a kecamatan in Asia/Jakarta with real services and five counters."""
from __future__ import annotations

from sqlalchemy import select

from ..db import Database
from ..domain.states import CounterState
from ..models import Counter, CounterService, Office, Service
from . import staff

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo12345"

SERVICES = [
    # prefix, Indonesian name, English name, daily quota, expected minutes, target wait
    ("A", "KTP-el (Rekam / Cetak)", "Electronic ID card (record / print)", 150, 8, 45),
    ("B", "Kartu Keluarga (KK)", "Family card", 100, 10, 45),
    ("C", "Akta Kelahiran", "Birth certificate", 80, 12, 60),
    ("D", "Surat Pindah / Datang", "Moving in / out letter", 60, 15, 60),
    ("E", "Legalisir Dokumen", "Document legalisation", 120, 5, 30),
    ("F", "Surat Keterangan (SKTM, Domisili)", "Certificates (SKTM, domicile)", 100, 7, 30),
]

COUNTERS = [
    # number, name, {prefix: order}, priority first
    (1, "Loket 1", {"A": 1}, True),
    (2, "Loket 2", {"A": 1, "B": 2}, True),
    (3, "Loket 3", {"B": 1, "C": 1}, True),
    (4, "Loket 4", {"D": 1, "E": 2, "F": 2}, True),
    (5, "Loket 5 (Prioritas)", {"A": 1, "B": 1, "C": 1, "D": 1, "E": 1, "F": 1}, True),
]


def seed_demo(db: Database, *, example_holidays: bool = True) -> bool:
    """Load the demo office when absent. Returns False when it was already there.
    Without `example_holidays` its kiosk issues tickets on every date (servers that run on
    the real clock in tests and benchmarks must not meet a closed day)."""
    with db.write() as uow:
        s = uow.session
        if s.execute(select(Office).where(Office.slug == DEMO_SLUG)).first():
            return False
        office = Office(slug=DEMO_SLUG, name="Kantor Kecamatan Demo", timezone="Asia/Jakarta",
                        address="Jl. Merdeka No. 1, Jakarta", max_calls=3,
                        running_text="Selamat datang di Kantor Kecamatan Demo. "
                                     "Layanan administrasi kependudukan tidak dipungut biaya.")
        s.add(office)
        s.flush()
        services = {}
        for position, (prefix, name_id, name_en, quota, minutes, target) in enumerate(SERVICES):
            services[prefix] = Service(office_id=office.id, prefix=prefix, name_id=name_id,
                                       name_en=name_en, daily_quota=quota, expected_minutes=minutes,
                                       target_wait_minutes=target, position=position)
            s.add(services[prefix])
        s.flush()
        for number, name, mix, priority_first in COUNTERS:
            counter = Counter(office_id=office.id, number=number, name=name,
                              state=CounterState.OPEN, priority_first=priority_first)
            s.add(counter)
            s.flush()
            for prefix, order in mix.items():
                s.add(CounterService(counter_id=counter.id, service_id=services[prefix].id, order=order))
    seed_booking(db, example_holidays=example_holidays)
    staff.create_user(db, "supervisor", DEMO_PASSWORD, office_slug=DEMO_SLUG, role="supervisor",
                      display_name="Kepala Seksi Pelayanan")
    staff.create_user(db, "admin", DEMO_PASSWORD, office_slug=DEMO_SLUG, role="admin",
                      display_name="Admin TI")
    for number, *_ in COUNTERS:
        staff.create_user(db, f"loket{number}", DEMO_PASSWORD, office_slug=DEMO_SLUG, role="clerk",
                          display_name=f"Petugas Loket {number}")
    return True


# Hours of the demo office. Its kiosk issues tickets every day and hour, so the demo can
# be tried at any time (a walk-in period 00:00-24:00); appointments follow real hours:
# Monday to Friday 08:00-15:00 with a lunch break, and the Friday prayer break 11:30-13:00
# instead; Saturday morning; Sunday closed. A real office usually has one period a day
# serving both (docs/BOOKING.md).
WALK_IN_HOURS = ("00:00", "24:00")
BOOKING_HOURS = {1: ("08:00", "15:00", "12:00-13:00"), 2: ("08:00", "15:00", "12:00-13:00"),
                 3: ("08:00", "15:00", "12:00-13:00"), 4: ("08:00", "15:00", "12:00-13:00"),
                 5: ("08:00", "15:00", "11:30-13:00"), 6: ("08:00", "12:00", "")}
# Examples of national holidays (fixed dates set by law; check each year's SKB for the
# moving holidays and cuti bersama, and import them with `queueapp import-holidays`).
EXAMPLE_HOLIDAYS = [
    ("2026-08-17", "Hari Kemerdekaan Republik Indonesia"),
    ("2026-12-25", "Hari Raya Natal"),
    ("2027-01-01", "Tahun Baru Masehi"),
    ("2027-05-01", "Hari Buruh Internasional"),
    ("2027-06-01", "Hari Lahir Pancasila"),
]
# prefix: slot minutes, capacity, requires NIK, online join quota (0: no online join)
BOOKING_RULES = {"A": (15, 4, True, 30), "B": (20, 3, True, 20), "C": (20, 2, True, 0),
                 "D": (30, 2, True, 0), "E": (10, 4, False, 40), "F": (15, 3, False, 30)}


def seed_booking(db: Database, *, example_holidays: bool = True) -> None:
    """The demo office's hours, breaks and example holidays, and its services bookable."""
    from datetime import date

    from ..models import BookingRule, Holiday, OpeningHours
    with db.write() as uow:
        s = uow.session
        office = s.execute(select(Office).where(Office.slug == DEMO_SLUG)).scalar_one()
        for weekday in range(1, 8):
            s.add(OpeningHours(office_id=office.id, weekday=weekday, opens=WALK_IN_HOURS[0],
                               closes=WALK_IN_HOURS[1], breaks="", walk_ins=True, appointments=False))
        for weekday, (opens, closes, breaks) in BOOKING_HOURS.items():
            s.add(OpeningHours(office_id=office.id, weekday=weekday, opens=opens, closes=closes, breaks=breaks,
                               walk_ins=False, appointments=True))
        for day, name in EXAMPLE_HOLIDAYS if example_holidays else ():
            s.add(Holiday(office_id=office.id, day=date.fromisoformat(day), name=name))
        for service in office.services:
            minutes, capacity, requires_nik, online = BOOKING_RULES[service.prefix]
            s.add(BookingRule(service_id=service.id, bookable=True, slot_minutes=minutes, capacity=capacity,
                              requires_nik=requires_nik, online_join=online > 0, online_daily_quota=online))
