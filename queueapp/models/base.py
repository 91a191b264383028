"""The declarative base with its constraint naming convention, and shared column types."""
from __future__ import annotations

import enum
from datetime import timezone

from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

# Primary keys are INTEGER: on PostgreSQL a larger id in a URL or message is not an id at all.
MAX_ROW_ID = 2**31 - 1

# Every constraint gets a predictable name, so a migration can drop or alter it on any
# database (SQLite batch migrations need names; migration 0004 named the older ones).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC, on every database alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


def enum_column(cls: type[enum.Enum], name: str) -> Enum:
    """A domain enum stored as its value in a VARCHAR(24) (no native database enum)."""
    return Enum(cls, name=name, native_enum=False, length=24, validate_strings=True,
                values_callable=lambda members: [m.value for m in members])
