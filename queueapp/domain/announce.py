"""The spoken call: its phrase and the chain of short clips a lobby display plays.

"Nomor antrian A seratus dua puluh tiga, silakan menuju loket tiga." Numbers are read
by num2words; letters of the service prefix are spelled one by one. Each word of the
phrase is one clip, so a display can speak any number from a few dozen recordings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from num2words import num2words

from .errors import InvalidInput

LANGUAGES = ("id", "en")
CHIME = "chime"

# Letter names as a speaker of each language says them when spelling.
LETTER_NAMES = {
    "id": dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   "a be ce de e ef ge ha i je ka el em en o pe ki er es te u fe we eks ye zet".split())),
    "en": {letter: letter for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
}

# Fixed parts of the phrase: clip name -> spoken text.
PHRASES = {
    "id": {"nomor_antrian": "nomor antrian", "silakan_menuju": "silakan menuju", "loket": "loket"},
    "en": {"queue_number": "queue number", "please_go_to": "please go to", "counter": "counter"},
}
LEAD_IN = {"id": "nomor_antrian", "en": "queue_number"}
GO_TO = {"id": ("silakan_menuju", "loket"), "en": ("please_go_to", "counter")}

# Every word num2words uses for 1 to 999 999 in each language (the unit tests prove it).
NUMBER_WORDS = {
    "id": ("nol satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belas "
           "puluh seratus ratus seribu ribu").split(),
    "en": ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
           "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty "
           "sixty seventy eighty ninety hundred thousand and").split(),
}

# "A-123", or "A123" when the prefix is letters only.
_CODE = re.compile(r"^\s*(?:([A-Za-z0-9]{1,3})-|([A-Za-z]{1,3}))(\d{1,6})\s*$")


@dataclass(frozen=True)
class Announcement:
    """What a display says for one call: the sentence and the clip names to play."""

    text: str
    clips: tuple[str, ...]
    lang: str


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}")
    return lang


def number_words(n: int, lang: str = "id") -> list[str]:
    """The words of a number as num2words reads it ("dua puluh tiga" -> 3 words)."""
    if not isinstance(n, int) or n < 0 or n > 999_999:
        raise InvalidInput("number must be between 0 and 999999")
    return re.split(r"[\s\-,]+", num2words(n, lang=_check_lang(lang)).strip())


def letter_clip(letter: str) -> str:
    return f"letter_{letter.lower()}"


def parse_code(code: str) -> tuple[str, int]:
    """"A-123" (or "A123") -> ("A", 123)."""
    match = _CODE.match(code or "")
    if not match:
        raise InvalidInput("a queue number looks like A-123")
    return (match.group(1) or match.group(2)).upper(), int(match.group(3))


def _prefix_parts(prefix: str, lang: str) -> tuple[list[str], list[str]]:
    """Clips and spoken words of the prefix: letters spelled, digits read as numbers."""
    clips, words = [], []
    for char in prefix.upper():
        if char.isdigit():
            clips += number_words(int(char), lang)
            words += number_words(int(char), lang)
        else:
            clips.append(letter_clip(char))
            words.append(char)
    return clips, words


def announcement(code: str, counter_number: int, lang: str = "id") -> Announcement:
    """The call of ticket `code` ("A-123") to counter `counter_number`, in `lang`."""
    _check_lang(lang)
    if not isinstance(counter_number, int) or counter_number < 1:
        raise InvalidInput("counter number must be positive")
    prefix, number = parse_code(code)
    prefix_clips, prefix_words = _prefix_parts(prefix, lang)
    number_part = number_words(number, lang)
    counter_part = number_words(counter_number, lang)
    go_to, counter_word = GO_TO[lang]
    clips = ([CHIME, LEAD_IN[lang]] + prefix_clips + number_part + [go_to, counter_word] + counter_part)
    phrases = PHRASES[lang]
    text = (f"{phrases[LEAD_IN[lang]].capitalize()} {' '.join(prefix_words)} "
            f"{num2words(number, lang=lang)}, {phrases[go_to]} {phrases[counter_word]} "
            f"{num2words(counter_number, lang=lang)}.")
    return Announcement(text=text, clips=tuple(clips), lang=lang)


def clip_texts(lang: str) -> dict[str, str]:
    """Every clip a display in `lang` may play (but the chime), with the text to record."""
    _check_lang(lang)
    texts = dict(PHRASES[lang])
    texts.update({letter_clip(letter): name for letter, name in LETTER_NAMES[lang].items()})
    texts.update({word: word for word in NUMBER_WORDS[lang]})
    return texts
