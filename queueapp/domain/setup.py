"""The rules an office's configuration must keep, checked before anything is written:
slugs, time zones, service codes, counter numbers, and a week of opening hours."""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .errors import InvalidInput, N_
from .hours import parse_breaks, parse_hhmm

# Indonesia's three time zones, by the names citizens and the law use.
TIMEZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
TIMEZONE_NAMES = {zone: name for name, zone in TIMEZONES.items()}

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_CODE = re.compile(r"^[A-Z]{1,2}$")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MAX_COUNTER_NUMBER = 999
MIN_PASSWORD = 8


def office_slug(value: str) -> str:
    """The office's short name in URLs: lowercase letters, digits and dashes."""
    slug = str(value or "").strip().lower()
    if not _SLUG.match(slug):
        raise InvalidInput(N_("slug must be 1-64 lowercase letters, digits or dashes, e.g. kec-sukamaju"),
                           field="slug")
    return slug


def timezone(value: str) -> str:
    """ "WITA" or "Asia/Makassar" -> "Asia/Makassar"; anything else is refused."""
    text = str(value or "").strip()
    if text.upper() in TIMEZONES:
        return TIMEZONES[text.upper()]
    if text in TIMEZONE_NAMES:
        return text
    raise InvalidInput(N_("timezone must be WIB (Asia/Jakarta), WITA (Asia/Makassar) or WIT (Asia/Jayapura)"),
                       field="timezone")


def service_code(value: str) -> str:
    """The ticket prefix of a service: one or two letters ("A", "KK")."""
    code = str(value or "").strip().upper()
    if not _CODE.match(code):
        raise InvalidInput(N_("code must be one or two letters A-Z"), field="code")
    return code


def counter_number(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_COUNTER_NUMBER:
        raise InvalidInput(N_("%(field)s must be a whole number from %(minimum)s to %(maximum)s"), field="number",
                           minimum=1, maximum=MAX_COUNTER_NUMBER)
    return value


def username(value: str) -> str:
    name = str(value or "").strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput(N_("username must be 2-64 lowercase letters, digits, dots, dashes or underscores"),
                           field="username")
    return name


def password(value: str, *, username: str = "", office: str = "", common: Collection[str] = ()) -> str:
    """A password a guessing tool will not find first: at least MIN_PASSWORD characters;
    not one of `common` (lowercase, e.g. the shipped common_passwords.txt), also with
    digits or symbols around it ("Bismillah123!"); not containing the username or the
    office's slug; not one repeated character or short pattern ("aaaaaaaa", "abababab"),
    nor a sequence or keyboard walk ("12345678", "abcdefgh", "qwertyui")."""
    if not isinstance(value, str) or len(value) < MIN_PASSWORD:
        raise InvalidInput(N_("password must have at least %(minimum)s characters"), field="password",
                           minimum=MIN_PASSWORD)
    lowered = value.lower()
    if _repeated(lowered) or _sequence(lowered):
        raise InvalidInput(N_("password must not be a repeated character, a sequence such as 12345678 or a "
                              "row of the keyboard"), field="password")
    if lowered in common or _PADDING.sub("", lowered) in common:
        raise InvalidInput(N_("password is one of the most common passwords; choose one that is harder to "
                              "guess, e.g. three unrelated words"), field="password")
    if any(name in lowered for name in _names(username, office)):
        raise InvalidInput(N_("password must not contain the username or the office's short name"),
                           field="password")
    return value


# Digits and symbols people put around a word ("!Rahasia2024").
_PADDING = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
# A shorter part of a name inside a password is likely chance ("demo" in a passphrase).
MIN_USERNAME_PART = 4
MIN_OFFICE_PART = 5


def _repeated(text: str) -> bool:
    """One character or a unit of up to four repeated: "aaaaaaaa", "abababab", "12341234"."""
    return any(len(text) % size == 0 and text == text[:size] * (len(text) // size) for size in range(1, 5))


def _sequence(text: str) -> bool:
    """Characters that step by one ("98765432", "abcdefgh") or a run along a keyboard row,
    either way ("qwertyui", "lkjhgfds")."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:])}
    if len(steps) == 1 and steps <= {1, -1}:
        return True
    return any(text in row or text in row[::-1] for row in _ROWS)


def _names(username: str, office: str) -> set[str]:
    """The username and the office's slug, whole and by their parts ("budi.santoso":
    "budi", "santoso"; "kec-sukamaju": "sukamaju"), when long enough to matter."""
    names = set()
    for value, minimum in ((username, MIN_USERNAME_PART), (office, MIN_OFFICE_PART)):
        name = str(value or "").lower()
        names.update(part for part in {name, *re.split(r"[._-]+", name)} if len(part) >= minimum)
    return names


def text(value, name: str, *, max_length: int, required: bool = False) -> str:
    """A trimmed text field of at most `max_length` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(N_("%(field)s must be text"), field=name)
    value = value.strip()
    if required and not value:
        raise InvalidInput(N_("%(field)s is required"), field=name)
    if len(value) > max_length:
        raise InvalidInput(N_("%(field)s is longer than %(maximum)s characters"), field=name, maximum=max_length)
    return value


def whole_number(value, name: str, *, minimum: int = 0, maximum: int = 100_000, optional: bool = False):
    """An int in [minimum, maximum]; None allowed when `optional`."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise InvalidInput(N_("%(field)s must be a whole number from %(minimum)s to %(maximum)s"), field=name,
                           minimum=minimum, maximum=maximum)
    return value


@dataclass(frozen=True)
class Period:
    """One period of the weekly hours as an administrator enters it."""

    weekday: int
    opens: str
    closes: str
    breaks: tuple[tuple[str, str], ...] = ()
    walk_ins: bool = True
    appointments: bool = True

    @property
    def breaks_text(self) -> str:
        return ", ".join(f"{a}-{b}" for a, b in self.breaks)


def _hhmm(value, name: str) -> str:
    if not isinstance(value, str) or not re.match(r"^\d{2}:\d{2}$", value.strip()):
        raise InvalidInput(N_("%(field)s must be a time HH:MM"), field=name)
    parse_hhmm(value.strip())
    return value.strip()


def period(weekday, opens, closes, breaks=(), *, walk_ins: bool = True, appointments: bool = True) -> Period:
    """One checked period: weekday 1 (Monday) to 7, opens before closes, breaks inside it.
    `breaks` is [["11:30", "13:00"], ...] or the text "11:30-13:00, ..."."""
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 1 <= weekday <= 7:
        raise InvalidInput(N_("weekday must be 1 (Monday) to 7 (Sunday)"), field="weekday")
    opens, closes = _hhmm(opens, "opens"), _hhmm(closes, "closes")
    if parse_hhmm(closes) <= parse_hhmm(opens):
        raise InvalidInput(N_("%(opens)s-%(closes)s closes before it opens"), field="closes", opens=opens,
                           closes=closes)
    if isinstance(breaks, str):
        pairs = parse_breaks(breaks)
    else:
        if not isinstance(breaks, (list, tuple)) or not all(
                isinstance(b, (list, tuple)) and len(b) == 2 for b in breaks):
            raise InvalidInput(N_('breaks must be a list of ["HH:MM", "HH:MM"]'), field="breaks")
        pairs = tuple((_hhmm(a, "breaks"), _hhmm(b, "breaks")) for a, b in breaks)
    pairs = tuple(sorted(pairs, key=lambda pair: parse_hhmm(pair[0])))
    for start, end in pairs:
        if not parse_hhmm(opens) <= parse_hhmm(start) < parse_hhmm(end) <= parse_hhmm(closes):
            raise InvalidInput(N_("break %(start)s-%(end)s is not inside %(opens)s-%(closes)s"), field="breaks",
                               start=start, end=end, opens=opens, closes=closes)
    for (_, end), (start, _) in zip(pairs, pairs[1:]):
        if parse_hhmm(start) < parse_hhmm(end):
            raise InvalidInput(N_("breaks overlap at %(start)s"), field="breaks", start=start)
    if not walk_ins and not appointments:
        raise InvalidInput(N_("a period serves walk-ins, appointments or both"), field="walk_ins")
    return Period(weekday, opens, closes, pairs, walk_ins, appointments)


def week(periods: list[Period]) -> list[Period]:
    """A whole week of periods, sorted; two periods of one day that serve the same kind of
    visitor must not overlap."""
    ordered = sorted(periods, key=lambda p: (p.weekday, parse_hhmm(p.opens)))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1:]:
            if second.weekday != first.weekday:
                break
            shared = (first.walk_ins and second.walk_ins) or (first.appointments and second.appointments)
            if shared and parse_hhmm(second.opens) < parse_hhmm(first.closes):
                raise InvalidInput(N_("day %(weekday)s: %(first)s overlaps %(second)s"), field="hours",
                                   weekday=first.weekday, first=f"{first.opens}-{first.closes}",
                                   second=f"{second.opens}-{second.closes}")
    return ordered
