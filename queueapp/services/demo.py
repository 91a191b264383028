"""The demo office: a kecamatan in Asia/Jakarta with real services and five counters."""
from __future__ import annotations

from datetime import datetime, timezone

from ..db import Database
from .office_import import import_office, office_exists

DEMO_SLUG = "demo"
# The demo's kiosk: `queueapp demo` prints a link that pairs a browser with it.
DEMO_KIOSK = "lobi"
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


def seed_demo(db: Database, *, example_holidays: bool = True, now: datetime | None = None) -> bool:
    """Load the demo office when absent, through the same use cases as any office (the
    import of one document). Returns False when it was already there. Without
    `example_holidays` its kiosk issues tickets on every date (servers that run on the
    real clock in tests and benchmarks must not meet a closed day)."""
    if office_exists(db, DEMO_SLUG):
        return False
    import_office(db, demo_document(example_holidays=example_holidays), now=now or datetime.now(timezone.utc))
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
# The service standard citizens see (requirements, procedure, completion time, fee, product).
STANDARDS = {
    "A": {"requirements": "Fotokopi Kartu Keluarga\nSurat pengantar RT/RW (perekaman baru)",
          "completion_time": "1 hari kerja", "fee": "Gratis", "product": "KTP elektronik",
          "procedure": "Ambil nomor antrian di kios\nPetugas memeriksa berkas\n"
                       "Perekaman sidik jari, iris mata, foto dan tanda tangan\nKTP-el dicetak dan diserahkan"},
    "B": {"requirements": "KK lama\nSurat pengantar RT/RW\nBuku nikah / akta perkawinan (perubahan)",
          "completion_time": "1 hari kerja", "fee": "Gratis", "product": "Kartu Keluarga",
          "procedure": "Ambil nomor antrian di kios\nPetugas memeriksa berkas\nData diverifikasi dan KK dicetak"},
    "C": {"requirements": "Surat keterangan lahir dari rumah sakit/bidan\nKK dan KTP-el orang tua",
          "completion_time": "1 hari kerja", "fee": "Gratis", "product": "Kutipan akta kelahiran"},
}
BOOKING_RULES = {"A": (15, 4, True, 30), "B": (20, 3, True, 20), "C": (20, 2, True, 0),
                 "D": (30, 2, True, 0), "E": (10, 4, False, 40), "F": (15, 3, False, 30)}


def demo_document(*, example_holidays: bool = True) -> dict:
    """The demo office as an import document (docs/ADMIN.md describes the format)."""
    services = []
    for position, (code, name_id, name_en, quota, minutes, target) in enumerate(SERVICES):
        slot, capacity, requires_nik, online = BOOKING_RULES[code]
        services.append({
            "code": code, "name": name_id, "name_en": name_en, "daily_quota": quota, "expected_minutes": minutes,
            "target_wait_minutes": target, "position": position, **STANDARDS.get(code, {}),
            "booking": {"bookable": True, "slot_minutes": slot, "capacity": capacity, "requires_nik": requires_nik,
                        "online_join": online > 0, "online_daily_quota": online}})
    hours = [{"weekday": day, "opens": WALK_IN_HOURS[0], "closes": WALK_IN_HOURS[1], "walk_ins": True,
              "appointments": False} for day in range(1, 8)]
    hours += [{"weekday": day, "opens": opens, "closes": closes, "breaks": breaks, "walk_ins": False,
               "appointments": True} for day, (opens, closes, breaks) in BOOKING_HOURS.items()]
    staff = [{"username": "supervisor", "role": "supervisor", "display_name": "Kepala Seksi Pelayanan"},
             {"username": "admin", "role": "admin", "display_name": "Admin TI"}]
    staff += [{"username": f"loket{number}", "role": "clerk", "display_name": f"Petugas Loket {number}"}
              for number, *_ in COUNTERS]
    return {
        "office": {"slug": DEMO_SLUG, "name": "Kantor Kecamatan Demo", "timezone": "WIB",
                   "address": "Jl. Merdeka No. 1, Jakarta", "max_calls": 3,
                   "running_text": "Selamat datang di Kantor Kecamatan Demo. "
                                   "Layanan administrasi kependudukan tidak dipungut biaya.",
                   "contact": "(021) 555-0100, kecamatan.demo@example.go.id",
                   "complaint_channel": "SP4N-LAPOR! www.lapor.go.id, kotak saran di lobi"},
        "services": services,
        "counters": [{"number": number, "name": name, "services": mix, "priority_first": priority_first,
                      "state": "open"} for number, name, mix, priority_first in COUNTERS],
        "hours": hours,
        "holidays": [{"date": day, "name": name} for day, name in EXAMPLE_HOLIDAYS] if example_holidays else [],
        "staff": [{**member, "password": DEMO_PASSWORD} for member in staff],
    }
