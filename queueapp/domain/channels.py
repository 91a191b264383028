"""How a ticket entered the queue."""
from __future__ import annotations

import enum


class Channel(str, enum.Enum):
    KIOSK = "kiosk"
    ONLINE = "online"
    STAFF = "staff"
    APPOINTMENT = "appointment"


# What a caller of the ticket API may ask for; appointment tickets come only from check-in.
ISSUABLE = (Channel.KIOSK, Channel.ONLINE, Channel.STAFF)
