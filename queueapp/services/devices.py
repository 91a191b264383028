"""Device use cases: the kiosks and lobby displays of an office (add, change, remove), and
the pairing of a kiosk with a device token (only a paired kiosk issues tickets).
A device in a zone is configured by that zone's admin or the whole office's; the page of
each device reads its row (queries.devices)."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select

from .. import office_cache
from ..db import Database, UnitOfWork
from ..domain import setup
from ..domain.audit import AuditAction
from ..domain.errors import N_, AlreadyExists, DeviceNotFound, InvalidInput, ServiceNotFound, ZoneNotFound
from ..domain.kiosk import PAPER_WIDTHS
from ..domain.permissions import Actor, Permission, require, scope
from ..models import Display, Kiosk, Office, Service, Zone
from ..printing import PrinterSpec
from .audit import configured
from .offices import checked, state_of

LANGUAGES = ("id", "en", "id,en")


def _paper(value) -> int:
    if value not in PAPER_WIDTHS or isinstance(value, bool):
        raise InvalidInput(N_("paper must be 80 or 58"), field="paper")
    return value


def _printer(value) -> str:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return str(PrinterSpec.parse(value))
    except ValueError:
        raise InvalidInput(N_("printer must be browser, network:HOST[:PORT], usb:VVVV:PPPP or file:/dev/..."),
                           field="printer") from None


def _language(value) -> str:
    if value not in LANGUAGES:
        raise InvalidInput(N_("language must be id, en or id,en"), field="language")
    return value


def _zone_id(value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidInput(N_("%(field)s must be a zone id or null"), field="zone_id")
    return value


def _codes(value) -> str:
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(code, str) for code in value):
        raise InvalidInput(N_("services must be a list of service codes"), field="services")
    return ",".join(dict.fromkeys(setup.service_code(code) for code in value))


KIOSK_FIELDS = {
    "name": lambda v: setup.text(v, "name", max_length=64, required=True),
    "paper": _paper,
    "printer": _printer,
    "zone_id": _zone_id,
}
DISPLAY_FIELDS = {
    "name": lambda v: setup.text(v, "name", max_length=64, required=True),
    "zone_id": _zone_id,
    "services": _codes,
    "language": _language,
    "repeat": lambda v: setup.whole_number(v, "repeat", minimum=1, maximum=3),
    "calls": lambda v: setup.whole_number(v, "calls", minimum=1, maximum=8),
}
# What each kind of device is: its table, its fields, and how the audit log names it.
KINDS = {Kiosk: ("kiosk", KIOSK_FIELDS), Display: ("display", DISPLAY_FIELDS)}


def _check_refs(uow: UnitOfWork, office: Office, values: dict[str, Any]) -> None:
    """The zone and the services a device names must be the office's own."""
    zone_id = values.get("zone_id")
    if zone_id is not None and uow.session.execute(select(Zone.id).where(
            Zone.id == zone_id, Zone.office_id == office.id)).first() is None:
        raise ZoneNotFound(zone=zone_id)
    codes = [code for code in (values.get("services") or "").split(",") if code]
    known = set(uow.session.execute(select(Service.prefix).where(Service.office_id == office.id)).scalars())
    for code in codes:
        if code not in known:
            raise ServiceNotFound(service=code)


def _name_free(uow: UnitOfWork, model, office_id: int, name: str, device_id: int | None = None) -> None:
    taken = uow.session.execute(select(model.id).where(model.office_id == office_id, model.name == name)).scalar()
    if taken is not None and taken != device_id:
        raise AlreadyExists(value=name, what="name")


def _add(db: Database, actor: Actor | None, model, office_slug: str, fields: dict, now: datetime) -> int:
    kind, rules = KINDS[model]
    if not isinstance(fields, dict) or "name" not in fields:
        raise InvalidInput(N_("%(field)s is required"), field="name")
    values = checked(fields, rules)
    with db.write() as uow:
        office = uow.lock_office_by_slug(office_slug)
        if actor is not None:
            require(actor, Permission.CONFIGURE, office.id, scope(values.get("zone_id")))
        _check_refs(uow, office, values)
        _name_free(uow, model, office.id, values["name"])
        row = model(office_id=office.id, **values)
        uow.session.add(row)
        uow.session.flush()
        after = state_of(row, rules)
        configured(uow, office, actor, AuditAction.DEVICE_CREATED, now, target=f"{kind}:{row.name}",
                   after=after, zone_id=row.zone_id)
        return row.id


def _locked(uow: UnitOfWork, actor: Actor | None, model, device_id: int):
    """The device and its locked office, when the actor may configure it."""
    office_id = uow.session.execute(select(model.office_id).where(model.id == device_id)).scalar()
    if office_id is None:
        raise DeviceNotFound(device=device_id)
    office = uow.lock_office(office_id)
    row = uow.session.get(model, device_id)
    if actor is not None:
        require(actor, Permission.CONFIGURE, office.id, scope(row.zone_id))
    return office, row


def _update(db: Database, actor: Actor | None, model, device_id: int, fields: dict, now: datetime) -> None:
    kind, rules = KINDS[model]
    values = checked(fields, rules)
    with db.write() as uow:
        office, row = _locked(uow, actor, model, device_id)
        if actor is not None and "zone_id" in values:
            require(actor, Permission.CONFIGURE, office.id, scope(values["zone_id"]))
        _check_refs(uow, office, values)
        if "name" in values:
            _name_free(uow, model, office.id, values["name"], row.id)
        before = state_of(row, values)
        for name, value in values.items():
            setattr(row, name, value)
        configured(uow, office, actor, AuditAction.DEVICE_UPDATED, now, target=f"{kind}:{row.name}",
                   before=before, after=values, zone_id=row.zone_id)


def _remove(db: Database, actor: Actor | None, model, device_id: int, now: datetime) -> None:
    kind, rules = KINDS[model]
    with db.write() as uow:
        office, row = _locked(uow, actor, model, device_id)
        before = state_of(row, rules)
        uow.session.delete(row)
        configured(uow, office, actor, AuditAction.DEVICE_REMOVED, now, target=f"{kind}:{row.name}",
                   before=before, after={}, zone_id=row.zone_id)


def add_kiosk(db: Database, actor: Actor | None, office_slug: str, fields: dict, *, now: datetime) -> int:
    """A new kiosk: name, paper (80|58), printer ("browser", "network:HOST[:PORT]",
    "usb:VVVV:PPPP", "file:/dev/..."), zone_id. Returns its id. Raises OfficeNotFound,
    ZoneNotFound, PermissionDenied, InvalidInput, AlreadyExists (name)."""
    return _add(db, actor, Kiosk, office_slug, fields, now)


def update_kiosk(db: Database, actor: Actor | None, kiosk_id: int, fields: dict, *, now: datetime) -> None:
    """Change some fields of a kiosk (as add_kiosk). Raises DeviceNotFound and add_kiosk's errors."""
    _update(db, actor, Kiosk, kiosk_id, fields, now)


def remove_kiosk(db: Database, actor: Actor | None, kiosk_id: int, *, now: datetime) -> None:
    """Raises DeviceNotFound, PermissionDenied."""
    _remove(db, actor, Kiosk, kiosk_id, now)


def add_display(db: Database, actor: Actor | None, office_slug: str, fields: dict, *, now: datetime) -> int:
    """A new lobby display: name, zone_id, services (codes of the office; none: all),
    language ("id", "en", "id,en"), repeat (1-3). Returns its id. Raises OfficeNotFound,
    ZoneNotFound, ServiceNotFound, PermissionDenied, InvalidInput, AlreadyExists (name)."""
    return _add(db, actor, Display, office_slug, fields, now)


def update_display(db: Database, actor: Actor | None, display_id: int, fields: dict, *, now: datetime) -> None:
    """Change some fields of a display (as add_display). Raises DeviceNotFound and add_display's errors."""
    _update(db, actor, Display, display_id, fields, now)


def remove_display(db: Database, actor: Actor | None, display_id: int, *, now: datetime) -> None:
    """Raises DeviceNotFound, PermissionDenied."""
    _remove(db, actor, Display, display_id, now)


# --- Pairing: only a kiosk paired with a device token issues tickets ---

TOKEN_PREFIX = "qk_"  # tells a device token from a staff API token in an Authorization header


@dataclass(frozen=True)
class PairedKiosk:
    """The kiosk a device token belongs to."""

    id: int
    office_id: int
    office_slug: str
    name: str
    zone_id: int | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_device_token(token: str | None) -> bool:
    return bool(token) and token.startswith(TOKEN_PREFIX)


def pair_kiosk(db: Database, actor: Actor | None, kiosk_id: int, *, now: datetime) -> str:
    """A new device token for the kiosk, shown once (only its hash is kept); the kiosk's
    earlier token stops working. Raises DeviceNotFound, PermissionDenied."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.write() as uow:
        office, row = _locked(uow, actor, Kiosk, kiosk_id)
        row.token_hash, row.paired_at = token_hash(token), now
        configured(uow, office, actor, AuditAction.DEVICE_UPDATED, now, target=f"kiosk:{row.name}",
                   before={}, after={"paired": True}, zone_id=row.zone_id)
    return token


def revoke_kiosk(db: Database, actor: Actor | None, kiosk_id: int, *, now: datetime) -> None:
    """Unpair the kiosk: its device token (and every browser paired with it) stops issuing
    tickets at once. Raises DeviceNotFound, PermissionDenied."""
    with db.write() as uow:
        office, row = _locked(uow, actor, Kiosk, kiosk_id)
        was_paired = row.token_hash is not None
        row.token_hash, row.paired_at = None, None
        configured(uow, office, actor, AuditAction.DEVICE_UPDATED, now, target=f"kiosk:{row.name}",
                   before={"paired": was_paired}, after={"paired": False}, zone_id=row.zone_id)


_KIOSK_BY_HASH = (select(Kiosk.id, Kiosk.office_id, Office.slug, Kiosk.name, Kiosk.zone_id)
                  .join(Office, Office.id == Kiosk.office_id).where(Kiosk.token_hash == bindparam("token_hash")))


def kiosk_for_token(db: Database, token: str | None) -> PairedKiosk | None:
    """The kiosk a device token pairs, or None (unknown, revoked, not a device token).
    A kiosk asks at every ticket: a paired kiosk is kept per process by its token's hash
    (office_cache: pairing again, revoking or removing it is an `office.configured` change,
    seen at once here and within office_cache.OfficeCache.TTL by other processes); an
    unknown token is looked up every time, so a kiosk paired a moment ago is known at once."""
    if not is_device_token(token) or len(token) > 128:
        return None
    digest = token_hash(token)

    def load() -> PairedKiosk | None:
        with db.read() as s:
            row = s.execute(_KIOSK_BY_HASH, {"token_hash": digest}).first()
        return PairedKiosk(*row) if row is not None else None
    return office_cache.of(db).get(("kiosk", digest), load, lambda kiosk: kiosk.office_id)
