"""Admin pages of an office (views; their URL rules are in office): the office list and a
new office (owners), an office's settings, logo and checklist, its zones and weekly
hours. Every write goes through a use case; a refusal is shown on the page with what was
typed (403/409/422), never as a 500."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ... import messages
from ...domain import setup, standards
from ...domain.errors import DomainError, InvalidInput, RoleNotAllowed, ZoneNotFound
from ...domain.permissions import Permission, can
from ...extensions import get_db, now
from ...queries import admin
from ...services import offices
from ..errors import status_for
from .access import admin_page
from .office_forms import (WEEKDAYS, HoursForm, LogoForm, NewOfficeForm, OfficeForm, ZoneForm, invalid_form,
                           refusal, save)

# What each checklist item is called, and where it is fixed.
CHECKLIST_LABELS = {"services": _l("Services"), "counters": _l("Counters"), "hours": _l("Opening hours"),
                    "staff": _l("Staff"), "devices": _l("Devices")}
CHECKLIST_PAGES = {"services": "admin_catalog.services", "counters": "admin_catalog.counters",
                   "hours": "admin_office.hours", "staff": "admin_people.staff", "devices": "admin_office.devices"}


def checklist_label(item: str) -> str:
    """A template filter: the name of a checklist item in the user's language."""
    return str(CHECKLIST_LABELS.get(item, item))


@login_required
def home():
    """Owners: every office and a form for a new one. Others: their office's settings."""
    actor = current_user.actor()
    if not can(actor, Permission.CREATE_OFFICE, None):
        own = admin.office_list(get_db(), actor)
        if not own:
            raise RoleNotAllowed("your role may not do this")
        return redirect(url_for("admin_office.settings", slug=own[0]["slug"]))
    form, refused, status = NewOfficeForm(), "", 200
    if form.validate_on_submit():
        try:
            slug = offices.create_office(get_db(), actor, slug=form.slug.data, name=form.name.data,
                                         timezone=form.timezone.data, address=form.address.data or "", now=now())
        except DomainError as exc:
            refused, status = refusal(exc, form)
        else:
            flash(_("Office %(name)s created. Set it up with the checklist below.", name=form.name.data))
            return redirect(url_for("admin_office.settings", slug=slug))
    elif form.is_submitted():
        refused, status = invalid_form(form)
    return render_template("admin/home.html", office=None, offices=admin.office_list(get_db(), actor), form=form,
                           refused=refused), status


def _typed(value):
    """A value as the browser sent it, with text trimmed and line ends as stored."""
    return value.strip().replace("\r\n", "\n") if isinstance(value, str) else value


def _settings_page(form: OfficeForm, logo_form: LogoForm, refused: str = "", status: int = 200):
    config = admin.office_config(get_db(), g.office.slug, g.actor)
    checklist = [{**item, "url": url_for(CHECKLIST_PAGES[item["item"]], slug=g.office.slug)}
                 for item in admin.checklist(get_db(), g.office.slug, g.actor)]
    return render_template("admin/settings.html", office=g.office, section="office", form=form, logo_form=logo_form,
                           config=config, checklist=checklist, refused=refused,
                           default_pledge=standards.DEFAULT_PLEDGE), status


@admin_page(Permission.OPERATE)
def settings(slug: str):
    config = admin.office_config(get_db(), slug, g.actor)
    form = OfficeForm(data=config)
    refused, status = "", 200
    if form.validate_on_submit():
        typed = {name: _typed(form[name].data) for name in admin.SETTINGS}
        changes = {name: value for name, value in typed.items() if value != config[name]}
        try:
            if changes:
                offices.update_office(get_db(), g.actor, slug, changes, now=now())
        except DomainError as exc:
            refused, status = refusal(exc, form)
        else:
            flash(_("Saved.") if changes else _("Nothing was changed."))
            return redirect(url_for("admin_office.settings", slug=slug))
    elif form.is_submitted():
        refused, status = invalid_form(form)
    return _settings_page(form, LogoForm(formdata=None), refused, status)


@admin_page(Permission.OPERATE)
def logo(slug: str):
    form = LogoForm()
    refused, status = "", 200
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            if form.remove.data:
                offices.set_logo(get_db(), g.actor, slug, None, now=now())
            elif upload:
                offices.set_logo(get_db(), g.actor, slug, upload.read(), upload.mimetype or "", now=now())
            else:
                raise InvalidInput("the logo must be a PNG or JPEG image", field="logo")
        except DomainError as exc:
            refused, status = refusal(exc, form)
        else:
            flash(_("The logo was removed.") if form.remove.data else _("The logo was saved."))
            return redirect(url_for("admin_office.settings", slug=slug))
    else:
        refused, status = invalid_form(form)
    return _settings_page(OfficeForm(formdata=None, data=admin.office_config(get_db(), slug, g.actor)), form,
                          refused, status)


def _zones_page(add_form: ZoneForm | None = None, edited: tuple[int, ZoneForm] | None = None,
                refused: str = "", status: int = 200):
    zones = admin.zones(get_db(), g.office.slug, g.actor)
    forms = {zone["id"]: ZoneForm(formdata=None, prefix=f"zone-{zone['id']}", data=zone) for zone in zones}
    if edited:
        forms[edited[0]] = edited[1]
    return render_template("admin/zones.html", office=g.office, section="zones", zones=zones, forms=forms,
                           add_form=add_form or ZoneForm(formdata=None, prefix="new"), refused=refused), status


def _save_zone(form: ZoneForm, write, edited_id: int | None = None):
    """Run `write` for a valid form, then back to the zones page; else the page with the refusal."""
    done, refused, status = save(form, write, url_for("admin_office.zones", slug=g.office.slug))
    if done is not None:
        return done
    if edited_id is None:
        return _zones_page(add_form=form, refused=refused, status=status)
    return _zones_page(edited=(edited_id, form), refused=refused, status=status)


@admin_page(Permission.OPERATE)
def zones(slug: str):
    form = ZoneForm(prefix="new")
    if not form.is_submitted():
        return _zones_page(add_form=form)
    return _save_zone(form, lambda: offices.add_zone(get_db(), g.actor, slug, name=form.name.data,
                                                     agency=form.agency.data or "", now=now()))


@admin_page(Permission.OPERATE)
def zone(slug: str, zone_id: int):
    if zone_id not in dict(g.office.zones):
        raise ZoneNotFound(zone=zone_id)
    form = ZoneForm(prefix=f"zone-{zone_id}")
    return _save_zone(form, lambda: offices.update_zone(
        get_db(), g.actor, zone_id, {"name": form.name.data, "agency": form.agency.data or ""}, now=now()),
        edited_id=zone_id)


def _hour_rows() -> list[dict]:
    """The office's periods, a blank row for each day without one, and two spare rows."""
    periods = [{**p, "breaks": ", ".join(f"{a}-{b}" for a, b in p["breaks"])}
               for p in admin.hours(get_db(), g.office.slug, g.actor)]
    open_days = {p["weekday"] for p in periods}
    blank = {"opens": "", "closes": "", "breaks": "", "walk_ins": True, "appointments": True}
    rows = periods + [{"weekday": day, **blank} for day, _label in WEEKDAYS if day not in open_days]
    return sorted(rows, key=lambda row: row["weekday"]) + [{"weekday": 1, **blank}, {"weekday": 5, **blank}]


def _periods(form: HoursForm) -> list[setup.Period] | None:
    """The rows with times, checked one by one; None when a row is refused (its error is
    shown under it)."""
    periods, refused = [], False
    for row in form.rows:
        if not (row.opens.data or row.closes.data or row.breaks.data):
            continue
        try:
            periods.append(setup.period(row.weekday.data, row.opens.data or "", row.closes.data or "",
                                        row.breaks.data or "", walk_ins=row.walk_ins.data,
                                        appointments=row.appointments.data))
        except InvalidInput as exc:
            refusal(exc, row.form)
            refused = True
    return None if refused else periods


@admin_page(Permission.OPERATE)
def hours(slug: str):
    form = HoursForm() if request.method == "POST" else HoursForm(data={"rows": _hour_rows()})
    refused, status = "", 200
    if form.validate_on_submit():
        try:
            periods = _periods(form)
            if periods is None:
                refused, status = _("Check the marked rows."), 422
            else:
                offices.set_hours(get_db(), g.actor, slug, periods, now=now())
        except DomainError as exc:
            refused, status = messages.for_error(exc), status_for(exc)
        else:
            if periods is not None:
                flash(_("The opening hours were saved."))
                return redirect(url_for("admin_office.hours", slug=slug))
    elif form.is_submitted():
        refused, status = invalid_form(form)
    return render_template("admin/hours.html", office=g.office, section="hours", form=form,
                           refused=refused), status
