"""Kiosk rules: paper widths and the kiosk's one-minute reprint window."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from queueapp.domain.errors import InvalidInput, ReprintWindowClosed
from queueapp.domain.kiosk import check_kiosk_reprint, check_paper

ISSUED = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def test_a_kiosk_may_reprint_within_a_minute_of_issue():
    check_kiosk_reprint(ISSUED, ISSUED + timedelta(seconds=60))


def test_a_kiosk_may_not_reprint_after_a_minute():
    with pytest.raises(ReprintWindowClosed) as caught:
        check_kiosk_reprint(ISSUED, ISSUED + timedelta(seconds=61))
    assert caught.value.params == {"seconds": 60}


@pytest.mark.parametrize("paper", [80, "58"])
def test_thermal_paper_is_80_or_58_mm(paper):
    assert check_paper(paper) in (80, 58)


@pytest.mark.parametrize("paper", [57, "A4", None])
def test_other_paper_sizes_are_refused(paper):
    with pytest.raises(InvalidInput):
        check_paper(paper)
