"""The community satisfaction survey (Survei Kepuasan Masyarakat, PermenPANRB 14/2017) and
its index (Indeks Kepuasan Masyarakat): nine elements answered 1-4, the element averages
(NRR), the index with weights of exactly 1/9, its converted value and category, the
Krejcie-Morgan sample size, and the elements a follow-up plan starts from.

Arithmetic is exact (Fraction): a survey answered 4 everywhere scores 4.00 / 100.00, never
the 99.99 that a weight printed as 0.111 gives."""
from __future__ import annotations

import enum
from datetime import datetime, timedelta
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Mapping

from . import errors
from .errors import N_

# The nine elements (unsur) of the regulation, in its order, keyed "1".."9".
ELEMENTS: dict[str, str] = {
    "1": N_("Requirements"),
    "2": N_("Systems, mechanisms and procedures"),
    "3": N_("Completion time"),
    "4": N_("Costs / fees"),
    "5": N_("Service products (specification of the service)"),
    "6": N_("Competence of the staff"),
    "7": N_("Behaviour of the staff"),
    "8": N_("Handling of complaints, suggestions and feedback"),
    "9": N_("Facilities and infrastructure"),
}
KEYS: tuple[str, ...] = tuple(ELEMENTS)
WEIGHT = Fraction(1, len(KEYS))
LOWEST_SCORE, HIGHEST_SCORE = 1, 4
# Converted value = IKM x 25 (a scale of 25 to 100).
CONVERSION = 25
# The version of the question texts a response answered (stored with it).
QUESTIONNAIRE_VERSION = "2017.1"
# A comment is free text: capped, never logged.
COMMENT_MAX = 1000
# Days after a ticket is finished during which its survey may be answered.
DEFAULT_SURVEY_DAYS = 7


class Category(str, enum.Enum):
    """Quality of service (mutu pelayanan) with its label (kinerja unit pelayanan)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {Category.A: N_("very good"), Category.B: N_("good"), Category.C: N_("not good enough"),
                   Category.D: N_("not good")}
# The regulation's own words, for reports printed as the regulation lays them out.
CATEGORY_LABELS_ID = {Category.A: "sangat baik", Category.B: "baik", Category.C: "kurang baik",
                      Category.D: "tidak baik"}

# Half-open bands: D < 65.00 <= C < 76.61 <= B < 88.31 <= A on the converted value
# (rounded to two decimals); the same bands on an element's NRR: 2.60 / 3.0644 / 3.5324.
CONVERTED_BANDS = ((Decimal("88.31"), Category.A), (Decimal("76.61"), Category.B), (Decimal("65.00"), Category.C))
NRR_BANDS = ((Fraction("3.5324"), Category.A), (Fraction("3.0644"), Category.B), (Fraction("2.60"), Category.C))


# Errors a respondent can make ------------------------------------------------------------

class TicketNotFinished(errors.Conflict):
    """The survey opens when the ticket has been served."""

    code = "ticket_not_finished"


class SurveyClosed(errors.Conflict):
    """More than `days` days passed since the ticket was served."""

    code = "survey_closed"


class AlreadyAnswered(errors.Conflict):
    """One response per ticket."""

    code = "already_answered"


class MissingAnswer(errors.InvalidInput):
    """Elements left unanswered (`elements`: "3, 5"; `element`: the first)."""

    code = "missing_answer"


class InvalidAnswer(errors.InvalidInput):
    """An answer outside 1-4, or to an element that does not exist (`element`)."""

    code = "invalid_answer"


# Answers ---------------------------------------------------------------------------------

def _score(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def missing(answers: Mapping | None) -> list[str]:
    """The elements without an answer, in order (what a form says is missing)."""
    answers = answers or {}
    return [key for key in KEYS if answers.get(key) in (None, "")]


def validate_answers(answers) -> dict[str, int]:
    """The nine answers as {"1": 4, ...}. Raises InvalidAnswer (not a mapping, an unknown
    element, a score outside 1-4) or MissingAnswer (naming every element left out)."""
    if not isinstance(answers, Mapping):
        raise InvalidAnswer(N_("answers must be an object of the elements 1 to 9"), field="answers", element="")
    for key in answers:
        if str(key) not in ELEMENTS:
            raise InvalidAnswer(N_("there is no element %(element)s (elements are 1 to 9)"),
                                field="answers", element=str(key))
    absent = missing(answers)
    if absent:
        raise MissingAnswer(N_("answer element %(elements)s"), field=f"answers.{absent[0]}",
                            element=absent[0], elements=", ".join(absent))
    scores = {}
    for key in KEYS:
        score = _score(answers[key])
        if score is None or not LOWEST_SCORE <= score <= HIGHEST_SCORE:
            raise InvalidAnswer(N_("element %(element)s is answered with 1, 2, 3 or 4"),
                                field=f"answers.{key}", element=key)
        scores[key] = score
    return scores


# The respondent's profile (all optional) -------------------------------------------------

PROFILE: dict[str, dict[str, str]] = {
    "age_group": {"under_20": N_("under 20"), "20_29": N_("20-29"), "30_39": N_("30-39"), "40_49": N_("40-49"),
                  "50_59": N_("50-59"), "60_plus": N_("60 or older")},
    "sex": {"male": N_("male"), "female": N_("female")},
    "education": {"none": N_("no formal schooling"), "sd": N_("primary school (SD)"),
                  "smp": N_("junior high school (SMP)"), "sma": N_("senior high school (SMA/SMK)"),
                  "diploma": N_("diploma (D1-D3)"), "s1": N_("bachelor (D4/S1)"), "s2_plus": N_("master or doctorate (S2/S3)")},
    "occupation": {"civil_servant": N_("civil servant (PNS/ASN)"), "military_police": N_("TNI / Polri"),
                   "private": N_("private employee"), "self_employed": N_("self-employed"),
                   "student": N_("pupil / student"), "homemaker": N_("homemaker"), "other": N_("other")},
}
PROFILE_FIELDS: dict[str, str] = {"age_group": N_("Age"), "sex": N_("Sex"), "education": N_("Education"),
                                  "occupation": N_("Occupation")}


def validate_profile(profile) -> dict[str, str | None]:
    """{"age_group": .., "sex": .., "education": .., "occupation": ..}, each a known choice or
    None. Raises InvalidInput for an unknown field or choice."""
    if profile in (None, ""):
        profile = {}
    if not isinstance(profile, Mapping):
        raise errors.InvalidInput(N_("profile must be an object"), field="profile")
    for field in profile:
        if field not in PROFILE:
            raise errors.InvalidInput(N_("%(field)s is not a profile field"), field=str(field))
    clean: dict[str, str | None] = {}
    for field, choices in PROFILE.items():
        value = profile.get(field)
        if value in (None, ""):
            clean[field] = None
        elif isinstance(value, str) and value in choices:
            clean[field] = value
        else:
            raise errors.InvalidInput(N_("%(field)s is not one of the choices"), field=f"profile.{field}")
    return clean


def clean_comment(comment) -> str | None:
    """The comment trimmed, None when empty; InvalidInput past COMMENT_MAX characters."""
    if comment is None:
        return None
    if not isinstance(comment, str):
        raise errors.InvalidInput(N_("comment must be text"), field="comment")
    comment = comment.strip().replace("\x00", "")
    if len(comment) > COMMENT_MAX:
        raise errors.InvalidInput(N_("a comment has at most %(maximum)s characters"), field="comment",
                                  maximum=COMMENT_MAX)
    return comment or None


def survey_open(finished_at: datetime, now: datetime, days: int) -> bool:
    """A finished ticket's survey stays open for `days` days after it was finished."""
    return now <= finished_at + timedelta(days=days)


# The index -------------------------------------------------------------------------------

def two_decimals(value: Fraction | int) -> Decimal:
    """Rounded half up to two decimals, as the regulation's tables print values."""
    value = Fraction(value)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def converted_category(converted: Fraction | Decimal | float) -> Category:
    """The category of a converted value (25-100), read on its two-decimal rounding."""
    rounded = two_decimals(Fraction(converted) if not isinstance(converted, Decimal) else Fraction(converted))
    return next((category for floor, category in CONVERTED_BANDS if rounded >= floor), Category.D)


def element_category(nrr: Fraction | float) -> Category:
    """The category of one element's average (1-4), on the exact value."""
    nrr = Fraction(nrr)
    return next((category for floor, category in NRR_BANDS if nrr >= floor), Category.D)


@dataclass(frozen=True)
class Index:
    """An SKM result: per element its NRR (None without answers), the index, and more."""

    respondents: int
    nrr: dict[str, Fraction | None]
    ikm: Fraction | None

    @property
    def converted(self) -> Fraction | None:
        return None if self.ikm is None else self.ikm * CONVERSION

    @property
    def category(self) -> Category | None:
        return None if self.converted is None else converted_category(self.converted)

    def weighted(self, key: str) -> Fraction | None:
        value = self.nrr[key]
        return None if value is None else value * WEIGHT


def index(respondents: int, sums: Mapping[str, int], counts: Mapping[str, int]) -> Index:
    """NRR per element = sum of its scores / number of its answers; IKM = sum of NRR x 1/9.
    Without an answer to every element there is no index (None)."""
    nrr = {key: (Fraction(sums.get(key) or 0, counts[key]) if counts.get(key) else None) for key in KEYS}
    ikm = None if any(value is None for value in nrr.values()) else sum((v * WEIGHT for v in nrr.values()),
                                                                         Fraction(0))
    return Index(respondents, nrr, ikm)


def lowest(nrr: Mapping[str, Fraction | None], count: int = 3) -> list[str]:
    """The elements a follow-up plan (rencana tindak lanjut) starts from: the `count` lowest
    averages below the top score, with every element tied with the last one, lowest first."""
    scored = sorted(((value, key) for key, value in nrr.items() if value is not None and value < HIGHEST_SCORE),
                    key=lambda pair: (pair[0], int(pair[1])))
    if len(scored) <= count:
        return [key for _, key in scored]
    cut = scored[count - 1][0]
    return [key for value, key in scored if value <= cut]


# Sample size -----------------------------------------------------------------------------

CHI_SQUARE = Fraction("3.841")   # one degree of freedom, 95 % confidence
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)


def sample_size(population: int) -> int:
    """Krejcie & Morgan (1970): s = X²NP(1-P) / (d²(N-1) + X²P(1-P)) with X² = 3.841,
    P = 0.5, d = 0.05, rounded to the nearest whole respondent: that is how their published
    table is made (N=50 -> 44.34 -> 44, N=500 -> 217.47 -> 217; rounding up would ask one
    more than the table at 45 of its 87 rows). N=100 -> 80, 1000 -> 278, 10000 -> 370."""
    if population <= 0:
        return 0
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    size = spread * population / (MARGIN ** 2 * (population - 1) + spread)
    return min(population, int(size + Fraction(1, 2)))
