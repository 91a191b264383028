"""The service standard (standar pelayanan, PermenPANRB 15/2014) and the service pledge
(maklumat pelayanan) as citizens read them: the six components of one service, the pledge
with the regulation's standard wording when the office wrote none, and where to complain
(the office's own channel, then SP4N-LAPOR!, the national channel)."""
from __future__ import annotations

from dataclasses import dataclass

# The wording offices sign (PermenPANRB 15/2014, annex); shown when an office wrote none.
DEFAULT_PLEDGE = ("Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan "
                  "yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai "
                  "peraturan perundang-undangan yang berlaku.")
PLEDGE_LENGTH = 4000

# The national complaint channel. lapor.go.id documents no parameter that fills in a
# complaint: citizens are told which ticket to mention instead.
LAPOR_NAME = "SP4N-LAPOR!"
LAPOR_URL = "https://www.lapor.go.id"


def lines(text: str | None) -> list[str]:
    """A field kept "one per line" (requirements, procedure steps) as its non-empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def pledge(text: str | None) -> str:
    """The office's pledge, or the standard wording when it wrote none."""
    return (text or "").strip() or DEFAULT_PLEDGE


def complaint_channel(service_channel: str | None, office_channel: str | None) -> str:
    """Where to complain about a service: its own channel, else the office's ("" when
    neither says: then SP4N-LAPOR! alone)."""
    return (service_channel or "").strip() or (office_channel or "").strip()


@dataclass(frozen=True)
class Standard:
    """One service's published standard (empty fields: not published yet)."""

    code: str
    name: str
    name_en: str
    requirements: tuple[str, ...]
    procedure: tuple[str, ...]
    completion_time: str
    fee: str
    product: str
    complaints: str

    @property
    def published(self) -> bool:
        """Whether any component is filled in (a service without one shows only how to complain)."""
        return bool(self.requirements or self.procedure or self.completion_time or self.fee or self.product)

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "name_en": self.name_en,
                "requirements": list(self.requirements), "procedure": list(self.procedure),
                "completion_time": self.completion_time, "fee": self.fee, "product": self.product,
                "complaints": self.complaints, "published": self.published}


def standard(code: str, name: str, name_en: str, *, requirements: str, procedure: str, completion_time: str,
             fee: str, product: str, complaints: str, office_channel: str) -> Standard:
    return Standard(code, name, name_en or name, tuple(lines(requirements)), tuple(lines(procedure)),
                    (completion_time or "").strip(), (fee or "").strip(), (product or "").strip(),
                    complaint_channel(complaints, office_channel))
