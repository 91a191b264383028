"""A kiosk printer's health: the kiosk's own reports, ESC/POS status read by the server, and
staff marking a kiosk out of paper (and back). Each change of state that needs staff
raises (or clears) the kiosk's "printer" alert at once, in the same transaction; the alert
check (alert_watch) keeps it standing while the state lasts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..db import Database, UnitOfWork
from ..domain import alerts
from ..domain.audit import AuditAction
from ..domain.errors import DeviceNotFound
from ..domain.events import EventType
from ..domain.permissions import Actor, Permission, require, scope
from ..domain.printer import ATTENTION, PrinterState, after_report
from ..models import Kiosk, Office
from .alerts import standing_alerts
from .audit import configured

E = EventType


def _alert(uow: UnitOfWork, office: Office, kiosk: Kiosk, now: datetime) -> None:
    """Raise the kiosk's printer alert (or raise it again with its new state), or clear it."""
    found = alerts.printer_alerts([alerts.KioskFigure(kiosk.name, kiosk.printer_state, kiosk.printer_checked_at)],
                                  now)
    key = f"{alerts.AlertKind.PRINTER.value}:{kiosk.name}"
    standing = standing_alerts(uow.session, office, now).get(key)
    if found and (standing is None or standing.get("detail") != found[0].detail):
        uow.record(office, E.ALERT_RAISED, now, data=found[0].as_dict())
    elif not found and standing is not None:
        uow.record(office, E.ALERT_CLEARED, now,
                   data={"key": key, "kind": alerts.AlertKind.PRINTER.value, "subject": kiosk.name})


def _set(uow: UnitOfWork, office: Office, kiosk: Kiosk, state: PrinterState, now: datetime) -> bool:
    changed = kiosk.printer_state != state.value
    kiosk.printer_state, kiosk.printer_checked_at = state.value, now
    if changed:
        _alert(uow, office, kiosk, now)
    return changed


def record_printer_state(db: Database, kiosk_id: int, state: PrinterState, *, now: datetime) -> PrinterState:
    """What a kiosk (or the server reading its ESC/POS status) learnt of its printer.
    A staff mark "out of paper" stays until staff lift it. Returns the kiosk's state after.
    Raises DeviceNotFound."""
    with db.write() as uow:
        office_id = uow.session.execute(select(Kiosk.office_id).where(Kiosk.id == kiosk_id)).scalar()
        if office_id is None:
            raise DeviceNotFound(device=kiosk_id)
        current = uow.session.execute(select(Kiosk.printer_state).where(Kiosk.id == kiosk_id)).scalar()
        result = after_report(PrinterState(current) if current else None, state)
        if current == result.value:   # the common case: nothing changed, no lock, no write
            return result
        office = uow.lock_office(office_id)
        _set(uow, office, uow.session.get(Kiosk, kiosk_id), result, now)
        return result


def mark_out_of_paper(db: Database, actor: Actor | None, kiosk_id: int, out: bool, *, now: datetime) -> None:
    """Staff say the kiosk has no paper (it then shows each number on screen instead of
    printing) or that paper is back (its state is "ok" until the next report). The kiosk
    reloads its settings (office.configured). Raises DeviceNotFound, PermissionDenied."""
    with db.write() as uow:
        office_id = uow.session.execute(select(Kiosk.office_id).where(Kiosk.id == kiosk_id)).scalar()
        if office_id is None:
            raise DeviceNotFound(device=kiosk_id)
        office = uow.lock_office(office_id)
        kiosk = uow.session.get(Kiosk, kiosk_id)
        if actor is not None:
            require(actor, Permission.OPERATE, office.id, scope(kiosk.zone_id))
        before = kiosk.printer_state == PrinterState.MARKED_OUT.value
        if before == out:
            return
        _set(uow, office, kiosk, PrinterState.MARKED_OUT if out else PrinterState.OK, now)
        configured(uow, office, actor, AuditAction.DEVICE_UPDATED, now, target=f"kiosk:{kiosk.name}",
                   before={"out_of_paper": before}, after={"out_of_paper": out}, zone_id=kiosk.zone_id)


def needs_attention(state: str | None) -> bool:
    return state is not None and PrinterState(state) in ATTENTION
