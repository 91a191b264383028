"""The demo office: a kecamatan in Asia/Jakarta with real services and five counters."""
from __future__ import annotations

from sqlalchemy import select

from ..db import Database
from ..models import Counter, CounterService, CounterState, Office, Service
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


def seed_demo(db: Database) -> bool:
    """Load the demo office when absent. Returns False when it was already there."""
    with db.write() as uow:
        s = uow.session
        if s.execute(select(Office).where(Office.slug == DEMO_SLUG)).first():
            return False
        # The demo is open every day and hour so it can be tried at any time; real
        # offices set their hours (default Monday to Friday 07:30-16:00).
        office = Office(slug=DEMO_SLUG, name="Kantor Kecamatan Demo", timezone="Asia/Jakarta",
                        address="Jl. Merdeka No. 1, Jakarta", open_weekdays="1234567",
                        opens="00:00", closes="24:00", max_calls=3,
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
    staff.create_user(db, "supervisor", DEMO_PASSWORD, office_slug=DEMO_SLUG, role="supervisor",
                      display_name="Kepala Seksi Pelayanan")
    staff.create_user(db, "admin", DEMO_PASSWORD, office_slug=DEMO_SLUG, role="admin",
                      display_name="Admin TI")
    for number, *_ in COUNTERS:
        staff.create_user(db, f"loket{number}", DEMO_PASSWORD, office_slug=DEMO_SLUG, role="clerk",
                          display_name=f"Petugas Loket {number}")
    return True
