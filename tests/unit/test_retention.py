"""Retention rules (UU 27/2022): which records passed their period at `now`, and whom a
citizen's request is about."""
from datetime import datetime, timedelta, timezone

import pytest

from queueapp.domain.errors import InvalidInput, InvalidNik, InvalidPhone
from queueapp.domain.retention import Citizen, DataClass, Retention

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("kind, days", [(DataClass.APPOINTMENT, 30), (DataClass.ONLINE_JOIN, 7),
                                        (DataClass.AUDIT_ADDRESS, 180)])
def test_a_record_passes_its_retention_after_its_class_days_and_not_before(kind, days):
    retention = Retention()
    assert not retention.expired(kind, NOW - timedelta(days=days - 1), NOW)
    assert not retention.expired(kind, NOW - timedelta(days=days), NOW)
    assert retention.expired(kind, NOW - timedelta(days=days, seconds=1), NOW)
    assert retention.expired(kind, NOW - timedelta(days=days + 1), NOW)


def test_each_class_has_its_own_period():
    retention = Retention(appointment_days=1, online_join_days=2, audit_address_days=0)
    assert retention.cutoff(DataClass.APPOINTMENT, NOW) == NOW - timedelta(days=1)
    assert retention.cutoff(DataClass.ONLINE_JOIN, NOW) == NOW - timedelta(days=2)
    assert retention.cutoff(DataClass.AUDIT_ADDRESS, NOW) == NOW


def test_a_phone_is_read_as_the_booking_form_reads_it():
    typed = [Citizen.of(phone=p, secret_key="k") for p in ("+62 812-3456-7890", "0812 3456 7890", "6281234567890")]
    assert {c.value for c in typed} == {"081234567890"}
    assert len({c.digest for c in typed}) == 1 and len({c.reference for c in typed}) == 1


def test_the_request_reference_reveals_neither_the_number_nor_its_stored_hash():
    who = Citizen.of(nik="3174 0123 4567 0001", secret_key="k")
    assert who.by == "nik" and who.value == "3174012345670001"
    assert len(who.reference) == 16 and who.reference not in who.digest and "3174" not in who.reference
    assert Citizen.of(nik="3174012345670001", secret_key="other").digest != who.digest


def test_a_request_names_exactly_one_valid_identifier():
    with pytest.raises(InvalidInput):
        Citizen.of(secret_key="k")
    with pytest.raises(InvalidInput):
        Citizen.of(phone="081234567890", nik="3174012345670001", secret_key="k")
    with pytest.raises(InvalidPhone):
        Citizen.of(phone="12345", secret_key="k")
    with pytest.raises(InvalidNik):
        Citizen.of(nik="123", secret_key="k")
