"""The pure rules of messages to citizens: phone numbers for providers, texts, channels,
the retry schedule and when reminders are due."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from queueapp.domain.errors import InvalidInput, InvalidPhone
from queueapp.domain.notify import (BACKOFF, DEFAULT_TEXTS, MAX_ATTEMPTS, PARAMS, Kind, check_text, e164,
                                    next_attempt, parse_channels, reminders_due, render, template_values,
                                    text_for, trim_answer)

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890"])
def test_indonesian_numbers_become_plus_62(typed):
    assert e164(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["12345", "021-555-1234", "+1 415 555 0100", ""])
def test_other_numbers_are_refused(typed):
    with pytest.raises(InvalidPhone):
        e164(typed)


def test_every_default_text_uses_only_its_kinds_parameters_and_fits_one_sms_with_short_values():
    sample = {"code": "K7QM-3XPA", "day": "Selasa, 24 November 2026", "time": "08:00 WIB", "service": "KTP-el",
              "requirements": "KK", "link": "https://antrian.example.go.id/t/AbCdEfGhIjKlMnOpQrStUv",
              "number": "A-012", "ahead": 3, "counter": "4"}
    for kind in Kind:
        for language in ("id", "en"):
            text = DEFAULT_TEXTS[kind][language]
            assert check_text(kind, text) == text
            assert len(render(text, sample)) <= 160, (kind, language)
        assert len(template_values(kind, {})) == len(PARAMS[kind])


def test_an_offices_own_text_replaces_the_default_for_its_language_only():
    own = {"called": {"id": "Giliran {number}, loket {counter}"}}
    assert text_for("called", "id", own) == "Giliran {number}, loket {counter}"
    assert text_for("called", "en", own) == DEFAULT_TEXTS[Kind.CALLED]["en"]


def test_an_unknown_placeholder_is_refused_and_an_unknown_value_left_as_it_is():
    with pytest.raises(InvalidInput):
        check_text("called", "Nomor {number} telepon {phone}")
    assert render("{number} {missing}", {"number": "A-1"}) == "A-1 {missing}"


def test_channels_must_be_known():
    assert parse_channels(None, ("whatsapp", "sms")) == []
    assert parse_channels(["sms", "sms", "whatsapp"], ("whatsapp", "sms")) == ["sms", "whatsapp"]
    for bad in (["telegram"], [1], {"a": 1}):
        with pytest.raises(InvalidInput):
            parse_channels(bad, ("whatsapp", "sms"))


def test_the_first_retry_comes_within_seconds_and_the_last_attempt_is_dead():
    now = datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert next_attempt(1, now) - now <= timedelta(seconds=5)
    assert next_attempt(MAX_ATTEMPTS - 1, now) == now + timedelta(seconds=BACKOFF[-1])
    assert next_attempt(MAX_ATTEMPTS, now) is None


def test_a_providers_answer_is_trimmed_and_loses_phone_numbers():
    assert trim_answer("error for +6281234567890\n retry") == "error for [number] retry"
    assert len(trim_answer("x" * 1000)) == 300


def test_reminders_come_the_evening_before_and_that_morning():
    slot = datetime(2026, 11, 24, 9, 0, tzinfo=WIB)
    booked = datetime(2026, 11, 20, 10, 0, tzinfo=WIB)
    assert reminders_due(slot, booked, datetime(2026, 11, 23, 16, 59, tzinfo=WIB)) == []
    assert reminders_due(slot, booked, datetime(2026, 11, 23, 17, 0, tzinfo=WIB)) == ["eve"]
    assert reminders_due(slot, booked, datetime(2026, 11, 24, 6, 30, tzinfo=WIB)) == ["morning"]
    assert reminders_due(slot, booked, datetime(2026, 11, 24, 9, 0, tzinfo=WIB)) == []


def test_a_booking_made_after_a_reminders_moment_gets_no_such_reminder():
    slot = datetime(2026, 11, 24, 9, 0, tzinfo=WIB)
    late = datetime(2026, 11, 23, 20, 0, tzinfo=WIB)
    assert reminders_due(slot, late, datetime(2026, 11, 23, 20, 1, tzinfo=WIB)) == []
    assert reminders_due(slot, late, datetime(2026, 11, 24, 6, 0, tzinfo=WIB)) == ["morning"]
