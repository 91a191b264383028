"""The suite's guard against an office's midnight in the middle of a wall-clock test."""
from datetime import datetime, timezone

import pytest

from ..support import until_past_office_midnight


def utc(hour, minute, second=0):
    return datetime(2026, 11, 28, hour, minute, second, tzinfo=timezone.utc)


@pytest.mark.parametrize("at, wait", [
    (utc(15, 59, 0), 61),     # WITA's midnight in a minute: wait until just past it
    (utc(16, 59, 59), 2),     # WIB's
    (utc(14, 59, 30), 31),    # WIT's
    (utc(15, 58, 0), 0),      # two minutes is enough for any test of the suite
    (utc(16, 0, 0), 1),       # the very moment
    (utc(16, 0, 1), 0),       # just past: the new day has begun
    (utc(12, 0, 0), 0),
    (utc(23, 59, 30), 0),     # UTC's own midnight ends no Indonesian office's day
])
def test_a_test_waits_only_when_an_indonesian_midnight_is_near(at, wait):
    assert until_past_office_midnight(at) == wait

