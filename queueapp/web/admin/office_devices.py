"""Admin pages of an office (views; their URL rules are in office): its holidays (add,
remove, import a file of national holidays and cuti bersama) and its devices (kiosks and
lobby displays)."""
from __future__ import annotations

from datetime import date

from flask import flash, g, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from ...domain.errors import DeviceNotFound, DomainError, NotFound
from ...domain.permissions import Permission
from ...extensions import get_db, now
from ...queries import admin, kiosk_printers
from ...queries import booking as booking_views
from ...services import devices, holidays as holiday_ops, kiosk_printers as printer_ops
from ..http import public_url
from .access import admin_page
from .office_forms import (ConfirmForm, DisplayForm, HolidayFileForm, HolidayForm, KioskForm, invalid_form, refusal,
                           save, zone_choices)


# --- Holidays ---


def _holidays_page(form: HolidayForm | None = None, file_form: HolidayFileForm | None = None, refused: str = "",
                   status: int = 200):
    return render_template("admin/holidays.html", office=g.office, section="holidays",
                           holidays=booking_views.holidays(get_db(), g.office.slug, actor=g.actor),
                           form=form or HolidayForm(formdata=None), file_form=file_form or HolidayFileForm(formdata=None),
                           confirm=ConfirmForm(), refused=refused), status


def _write_holidays(form, write, done: str):
    if form.validate_on_submit():
        try:
            count = write()
        except DomainError as exc:
            refused, status = refusal(exc, form)
        else:
            flash(done % {"count": count})
            return redirect(url_for("admin_office.holidays", slug=g.office.slug))
    else:
        refused, status = invalid_form(form)
    if isinstance(form, HolidayFileForm):
        return _holidays_page(file_form=form, refused=refused, status=status)
    if isinstance(form, HolidayForm):
        return _holidays_page(form=form, refused=refused, status=status)
    return _holidays_page(refused=refused, status=status)


@admin_page(Permission.MANAGE_HOLIDAYS)
def holidays(slug: str):
    return _holidays_page()


@admin_page(Permission.MANAGE_HOLIDAYS)
def add_holiday(slug: str):
    form = HolidayForm()
    return _write_holidays(form, lambda: holiday_ops.import_holidays(
        get_db(), slug, [(form.day.data, form.name.data)], actor=g.actor, now=now()),
        _("The closed day was saved."))


@admin_page(Permission.MANAGE_HOLIDAYS)
def import_holidays(slug: str):
    form = HolidayFileForm()
    return _write_holidays(form, lambda: holiday_ops.import_file(
        get_db(), slug, form.file.data.filename or "", form.file.data.read(), actor=g.actor, now=now()),
        _("%(count)s new closed days were imported."))


@admin_page(Permission.MANAGE_HOLIDAYS)
def remove_holiday(slug: str, day: str):
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise NotFound("no holiday on that date") from None
    return _write_holidays(ConfirmForm(), lambda: _removed(holiday_ops.remove_holiday(
        get_db(), slug, parsed, actor=g.actor, now=now())), _("The day is open again."))


def _removed(found: bool) -> int:
    if not found:
        raise NotFound("no holiday on that date")
    return 1


# --- Devices ---

# Each kind of device: its form, its use cases, and the form's fields as the use case takes them.
KINDS = {
    "kiosk": (KioskForm, devices.add_kiosk, devices.update_kiosk, devices.remove_kiosk),
    "display": (DisplayForm, devices.add_display, devices.update_display, devices.remove_display),
}


def _fields(form) -> dict:
    values = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    values["zone_id"] = int(values["zone_id"]) if values.get("zone_id") else None
    for name in ("paper", "repeat", "calls"):
        if name in values:
            values[name] = int(values[name])
    if "printer" in values:
        values["printer"] = (values["printer"] or "").strip()
    return values


def _form(kind: str, prefix: str, row: dict | None = None, submitted: bool = False):
    """A device form with the office's zones to choose from; `row` fills it from the database."""
    cls = KINDS[kind][0]
    if submitted:
        form = cls(prefix=prefix)
    else:
        data = None
        if row is not None:
            data = {**row, "zone_id": str(row["zone_id"] or ""), "services": ",".join(row.get("services", [])),
                    "paper": str(row.get("paper", "")), "repeat": str(row.get("repeat", "")),
                    "calls": str(row.get("calls", 4))}
        form = cls(formdata=None, prefix=prefix, data=data)
    form.zone_id.choices = zone_choices(g.office)
    return form


def _devices_page(failing: tuple[str, object] | None = None, refused: str = "", status: int = 200,
                  pairing: dict | None = None):
    """The kiosks and displays, each with its edit form, and a form for a new one of each
    kind; `failing` is (prefix, form) of a submitted form to show again; `pairing` the new
    pairing link of a kiosk ({"kiosk_id", "url"}), shown this once."""
    rows = admin.devices(get_db(), g.office.slug, g.actor)
    forms = {f"{kind}-{row['id']}": _form(kind, f"{kind}-{row['id']}", row)
             for kind in KINDS for row in rows[f"{kind}s"]}
    forms.update({f"new-{kind}": _form(kind, f"new-{kind}") for kind in KINDS})
    if failing:
        forms[failing[0]] = failing[1]
    response = make_response(render_template("admin/devices.html", office=g.office, section="devices", rows=rows,
                                             forms=forms, confirm=ConfirmForm(), refused=refused, pairing=pairing,
                                             printers=kiosk_printers.printer_states(get_db(), g.office.slug)),
                             status)
    if pairing is not None:
        response.headers["Cache-Control"] = "no-store"   # the link holds the device token
    return response


def _write_device(prefix: str, form, write):
    done, refused, status = save(form, write, url_for("admin_office.devices", slug=g.office.slug))
    if done is not None:
        return done
    return _devices_page(None if isinstance(form, ConfirmForm) else (prefix, form), refused, status)


@admin_page(Permission.OPERATE)
def devices_page(slug: str):
    return _devices_page()


@admin_page(Permission.OPERATE)
def add_device(slug: str, kind: str):
    form = _form(kind, f"new-{kind}", submitted=True)
    return _write_device(f"new-{kind}", form, lambda: KINDS[kind][1](get_db(), g.actor, slug, _fields(form), now=now()))


def _own_device(kind: str, device_id: int) -> None:
    if not any(row["id"] == device_id for row in admin.devices(get_db(), g.office.slug, g.actor)[f"{kind}s"]):
        raise DeviceNotFound(device=device_id)


@admin_page(Permission.OPERATE)
def update_device(slug: str, kind: str, device_id: int):
    _own_device(kind, device_id)
    prefix = f"{kind}-{device_id}"
    form = _form(kind, prefix, submitted=True)
    return _write_device(prefix, form, lambda: KINDS[kind][2](get_db(), g.actor, device_id, _fields(form), now=now()))


@admin_page(Permission.OPERATE)
def remove_device(slug: str, kind: str, device_id: int):
    _own_device(kind, device_id)
    return _write_device(f"{kind}-{device_id}", ConfirmForm(),
                         lambda: KINDS[kind][3](get_db(), g.actor, device_id, now=now()))


@admin_page(Permission.OPERATE)
def pair_kiosk(slug: str, device_id: int):
    """A new pairing link for the kiosk, shown once (its earlier link and paired browser stop working)."""
    _own_device("kiosk", device_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _devices_page(refused=invalid_form(form)[0], status=400)
    try:
        token = devices.pair_kiosk(get_db(), g.actor, device_id, now=now())
    except DomainError as exc:
        refused, status = refusal(exc, form)
        return _devices_page(refused=refused, status=status)
    name = admin.device(get_db(), "kiosk", device_id, g.actor)["name"]
    url = public_url(url_for("kiosk.page", slug=slug, kiosk=name, pair=token))
    return _devices_page(pairing={"kiosk_id": device_id, "url": url})


@admin_page(Permission.OPERATE)
def unpair_kiosk(slug: str, device_id: int):
    """Revoke the kiosk's device token: it stops issuing tickets at once."""
    _own_device("kiosk", device_id)
    return _write_device(f"kiosk-{device_id}", ConfirmForm(),
                         lambda: devices.revoke_kiosk(get_db(), g.actor, device_id, now=now()))


@admin_page(Permission.OPERATE)
def kiosk_paper(slug: str, device_id: int, paper: str):
    """Mark the kiosk out of paper (it shows each number on screen) or paper back."""
    _own_device("kiosk", device_id)
    return _write_device(f"kiosk-{device_id}", ConfirmForm(), lambda: printer_ops.mark_out_of_paper(
        get_db(), g.actor, device_id, paper == "out", now=now()))
