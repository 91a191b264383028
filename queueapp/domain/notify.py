"""Messages to citizens outside the browser: their kinds, default texts (Indonesian and
English), the WhatsApp template parameters of each, phone numbers as providers want
them, and the retry schedule. Pure: rendering and rules only (docs/NOTIFICATIONS.md)."""
from __future__ import annotations

import enum
import re
from datetime import datetime, time, timedelta

from .errors import N_, InvalidInput, InvalidPhone

# Bumped whenever a default text changes in meaning: a consent records the version it saw.
TEXT_VERSION = "2026-11-27"
LANGUAGES = ("id", "en")
# The channels that send to a phone number (web push, added by its own module, does not).
PHONE_CHANNELS = ("whatsapp", "sms")


class Kind(str, enum.Enum):
    BOOKED = "booked"
    REMINDER = "reminder"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    DAY_CLOSED = "day_closed"
    JOINED = "joined"
    AHEAD = "ahead"
    CALLED = "called"
    RECALLED = "recalled"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    SURVEY = "survey"


# Each kind's parameters, in the order of the WhatsApp template's {{1}}, {{2}}, ...
PARAMS: dict[Kind, tuple[str, ...]] = {
    Kind.BOOKED: ("code", "day", "time", "service", "requirements", "link"),
    Kind.REMINDER: ("code", "day", "time", "service", "link"),
    Kind.RESCHEDULED: ("code", "day", "time", "service", "link"),
    Kind.CANCELLED: ("code", "day", "time", "service", "link"),
    Kind.DAY_CLOSED: ("code", "day", "service", "link"),
    Kind.JOINED: ("number", "service", "link"),
    Kind.AHEAD: ("number", "ahead", "link"),
    Kind.CALLED: ("number", "counter"),
    Kind.RECALLED: ("number", "counter"),
    Kind.NO_SHOW: ("number", "link"),
    Kind.TRANSFERRED: ("number", "service", "link"),
    Kind.SURVEY: ("number", "link"),
}

# Default texts; an office may replace any of them (NotifySettings.texts). Short enough
# for one SMS (160 characters) with typical values, except a booking with long requirements.
DEFAULT_TEXTS: dict[Kind, dict[str, str]] = {
    Kind.BOOKED: {
        "id": "Booking {code}: {service}, {day} {time}. Bawa: {requirements}. Ubah/batal: {link}",
        "en": "Booking {code}: {service}, {day} {time}. Bring: {requirements}. Change/cancel: {link}"},
    Kind.REMINDER: {
        "id": "Pengingat booking {code}: {service}, {day} {time}. Ubah/batal: {link}",
        "en": "Reminder, booking {code}: {service}, {day} {time}. Change/cancel: {link}"},
    Kind.RESCHEDULED: {
        "id": "Booking dipindah. Kode baru {code}: {service}, {day} {time}. Kelola: {link}",
        "en": "Booking moved. New code {code}: {service}, {day} {time}. Manage: {link}"},
    Kind.CANCELLED: {
        "id": "Booking {code} ({service}, {day} {time}) dibatalkan. Booking lagi: {link}",
        "en": "Booking {code} ({service}, {day} {time}) is cancelled. Book again: {link}"},
    Kind.DAY_CLOSED: {
        "id": "Kantor tutup {day}. Booking {code} ({service}) perlu dipindah: {link}",
        "en": "The office is closed on {day}. Please move booking {code} ({service}): {link}"},
    Kind.JOINED: {
        "id": "Nomor antrian {number} ({service}). Pantau giliran: {link}",
        "en": "Queue number {number} ({service}). Follow your turn: {link}"},
    Kind.AHEAD: {
        "id": "Nomor {number}: tinggal {ahead} orang lagi sebelum Anda. Mohon bersiap. {link}",
        "en": "Number {number}: {ahead} people ahead of you. Please get ready. {link}"},
    Kind.CALLED: {
        "id": "Nomor {number} dipanggil ke loket {counter}.",
        "en": "Number {number} is called to counter {counter}."},
    Kind.RECALLED: {
        "id": "Panggilan ulang: nomor {number} ke loket {counter}.",
        "en": "Called again: number {number} to counter {counter}."},
    Kind.NO_SHOW: {
        "id": "Nomor {number} dilewati karena tidak hadir saat dipanggil. Info: {link}",
        "en": "Number {number} was skipped: not present when called. Details: {link}"},
    Kind.TRANSFERRED: {
        "id": "Nomor {number} dipindah ke layanan {service}. Pantau: {link}",
        "en": "Number {number} moved to {service}. Follow: {link}"},
    Kind.SURVEY: {
        "id": "Terima kasih, nomor {number}. Mohon nilai layanan kami: {link}",
        "en": "Thank you, number {number}. Please rate our service: {link}"},
}

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def language_of(value: str | None) -> str:
    """The message language of a page locale ("en-US" -> "en"); Indonesian otherwise."""
    return "en" if (value or "").lower().startswith("en") else "id"


def text_for(kind: Kind | str, language: str, custom: dict | None = None) -> str:
    """The office's own text of this kind and language, or the default."""
    kind = Kind(kind)
    own = ((custom or {}).get(kind.value) or {}).get(language)
    return own or DEFAULT_TEXTS[kind][language_of(language)]


def render(template: str, params: dict) -> str:
    """Fill {name} placeholders; an unknown one is left as it is (never an error)."""
    return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), template)


def check_text(kind: Kind | str, text: str) -> str:
    """An office's own text: only the kind's placeholders, at most 480 characters.
    Raises InvalidInput."""
    text = " ".join((text or "").split())
    if not text or len(text) > 480:
        raise InvalidInput(N_("A message text needs 1 to 480 characters"), field="text")
    unknown = set(_PLACEHOLDER.findall(text)) - set(PARAMS[Kind(kind)])
    if unknown:
        raise InvalidInput(N_("Unknown placeholder in the text: %(names)s"), field="text",
                           names=", ".join(sorted(unknown)))
    return text


def template_values(kind: Kind | str, params: dict) -> list[str]:
    """The WhatsApp template's body parameters, in order (never empty: WhatsApp refuses "")."""
    return [str(params.get(name) or "-") for name in PARAMS[Kind(kind)]]


def e164(phone: str) -> str:
    """An Indonesian mobile number as providers want it: "0812-345..." -> "+62812345..."."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if digits.startswith("+62"):
        rest = digits[3:]
    elif digits.startswith("62"):
        rest = digits[2:]
    elif digits.startswith("0"):
        rest = digits[1:]
    else:
        raise InvalidPhone("phone must be an Indonesian mobile number, e.g. 0812xxxxxxx")
    if not re.fullmatch(r"8\d{7,12}", rest):
        raise InvalidPhone("phone must be an Indonesian mobile number, e.g. 0812xxxxxxx")
    return "+62" + rest


# Seconds before retry n (1-based); the first retry comes within a few seconds.
BACKOFF = (2, 10, 30, 120, 600, 1800, 3600)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A provider's refusal (4xx other than 429) is retried this many times, then failed:
# a refused template or number rarely heals, but a misconfigured token may be fixed soon.
MAX_REFUSED_ATTEMPTS = 3


def next_attempt(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` tries; None when the message is dead."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + timedelta(seconds=BACKOFF[max(0, attempts - 1)])


def parse_channels(value, known: tuple[str, ...]) -> list[str]:
    """The channels a citizen agreed to ("notify": ["whatsapp", "sms"]); empty or absent:
    none. Raises InvalidInput for anything else."""
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(N_("notify must be a list of channels"), field="notify")
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise InvalidInput(N_("Unknown notification channel: %(names)s"), field="notify",
                           names=", ".join(unknown))
    return list(dict.fromkeys(value))


def trim_answer(answer: str, limit: int = 300) -> str:
    """A provider's answer for the log: one line, bounded, no long digit runs (a phone)."""
    one_line = " ".join(str(answer or "").split())
    return re.sub(r"\+?\d{8,}", "[number]", one_line)[:limit]


# Reminders of a booking: the evening before and the morning of the day (office time).
EVE_HOUR = 17
MORNING_HOUR = 6


def reminders_due(slot_start: datetime, created_at: datetime, now: datetime) -> list[str]:
    """Which reminders of a booking are due at `now` ("eve", "morning"); all three times
    in the office's zone. A reminder whose moment passed before the booking was made is
    never due (the confirmation said it all), nor one after the slot began."""
    due = []
    eve = datetime.combine(slot_start.date() - timedelta(days=1), time(EVE_HOUR), slot_start.tzinfo)
    morning = datetime.combine(slot_start.date(), time(MORNING_HOUR), slot_start.tzinfo)
    if created_at < eve <= now < morning:
        due.append("eve")
    if created_at < morning <= now < slot_start:
        due.append("morning")
    return due
