"""Kiosk rules: paper widths, and who may print a ticket again and when."""
from __future__ import annotations

from datetime import datetime, timedelta

from .errors import InvalidInput, ReprintWindowClosed

PAPER_WIDTHS = (80, 58)   # thermal roll widths in millimetres
DEFAULT_PAPER = 80
# A kiosk is public: anyone standing at it may reprint, so only the ticket just issued
# there, for a short while. Staff may reprint any ticket of their office at any time.
KIOSK_REPRINT_WINDOW = timedelta(minutes=1)


def check_paper(paper) -> int:
    """The paper width as an int; InvalidInput unless it is 80 or 58."""
    try:
        width = int(paper)
    except (TypeError, ValueError):
        width = None
    if width not in PAPER_WIDTHS:
        raise InvalidInput("paper must be 80 or 58")
    return width


def check_kiosk_reprint(issued_at: datetime, now: datetime) -> None:
    """A kiosk prints a ticket only within KIOSK_REPRINT_WINDOW of its issue."""
    if now - issued_at > KIOSK_REPRINT_WINDOW:
        raise ReprintWindowClosed(seconds=int(KIOSK_REPRINT_WINDOW.total_seconds()))
