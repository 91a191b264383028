"""Priority groups entitled to special treatment by UU 25/2009 Pasal 29."""
from __future__ import annotations

import enum


class PriorityGroup(str, enum.Enum):
    LANSIA = "lansia"                    # the elderly
    DISABILITAS = "disabilitas"          # persons with disabilities
    IBU_HAMIL = "ibu_hamil"              # pregnant women
    ANAK = "anak"                        # children
    KORBAN_BENCANA = "korban_bencana"    # disaster victims


def parse_priority(value) -> PriorityGroup | None:
    """None/"" means no priority; an unknown value raises ValueError."""
    if value in (None, "", "none"):
        return None
    return PriorityGroup(value)
