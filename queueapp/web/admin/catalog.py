"""Admin pages: an office's services (with booking rule and service standard) and counters
(with the services each calls, in order, and their state). Reading needs CONFIGURE
(services, a counter's settings) or OPERATE (the counter list and its states); every
write is the use case's own check (services.catalog)."""
from __future__ import annotations

from typing import Callable

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ...domain.errors import DomainError
from ...domain.permissions import Permission, can
from ...extensions import get_db, now
from ...queries import catalog as views
from ...services import catalog
from ..errors import status_for
from .access import admin_page
from .catalog_forms import ServiceForm, counter_form, explain, state_choices, zone_choices

bp = Blueprint("admin_catalog", __name__, url_prefix="/admin")


def _submit(form: FlaskForm, write: Callable[[dict], object], done: Callable[[object], str], template: str,
            **context):
    """Render the form; on a valid post, write and go to `done(result)`. A refused change
    shows its message on the same page, the form still holding what was typed."""
    refused, status = None, 200
    if form.is_submitted():
        if not form.validate():
            refused, status = _("The form has expired. Please try again."), 400
        else:
            try:
                result = write(form.values())
            except DomainError as error:
                refused, status = explain(form, error), status_for(error)
            else:
                flash(_("Saved."))
                return redirect(done(result))
    return render_template(template, office=g.office, form=form, refused=refused, **context), status


# --- Services ---


@bp.get("/<slug>/services")
@admin_page(Permission.CONFIGURE)
def services(slug: str):
    return render_template("admin/services.html", office=g.office, section="services",
                           services=views.services(get_db(), g.actor, slug), zones=dict(g.office.zones))


def _service_form(view: dict | None = None) -> ServiceForm:
    form = ServiceForm()
    form.zone_id.choices = zone_choices(g.office.zones)
    if view is not None and not form.is_submitted():
        form.show(view)
    return form


def _service_done(code: object) -> str:
    return url_for("admin_catalog.services", slug=g.office.slug) + f"#service-{code}"


@bp.route("/<slug>/services/new", methods=["GET", "POST"])
@admin_page(Permission.CONFIGURE)
def new_service(slug: str):
    blank = {**views.new_service(), "zone_id": g.actor.zone_id}
    return _submit(_service_form(blank), lambda fields: catalog.add_service(get_db(), g.actor, slug, fields,
                                                                              now=now()),
                   _service_done, "admin/services_form.html", section="services", code=None)


@bp.route("/<slug>/services/<code>", methods=["GET", "POST"])
@admin_page(Permission.CONFIGURE)
def edit_service(slug: str, code: str):
    view = views.service(get_db(), g.actor, slug, code)
    return _submit(_service_form(view), lambda fields: catalog.update_service(get_db(), g.actor, slug, view["code"],
                                                                                fields, now=now()),
                   _service_done, "admin/services_form.html", section="services", code=view["code"])


# --- Counters ---


def _counter_list(refused: str | None = None, status: int = 200):
    return render_template("admin/counters.html", office=g.office, section="counters", refused=refused,
                           counters=views.counters(get_db(), g.actor, g.office.slug), states=state_choices(),
                           zones=dict(g.office.zones),
                           may_configure=can(g.actor, Permission.CONFIGURE, g.office.id)), status


@bp.get("/<slug>/counters")
@admin_page(Permission.OPERATE)
def counters(slug: str):
    return _counter_list()


@bp.post("/<slug>/counters/<int:counter_id>/state")
@admin_page(Permission.OPERATE)
def counter_state(slug: str, counter_id: int):
    """Open, pause or close a counter from the list (a supervisor may)."""
    form = FlaskForm()
    if not form.validate_on_submit():
        return _counter_list(_("The form has expired. Please try again."), 400)
    try:
        views.counter(get_db(), g.actor, counter_id, office_slug=slug)
        catalog.update_counter(get_db(), g.actor, counter_id, {"state": request.form.get("state", "")}, now=now())
    except DomainError as error:
        return _counter_list(explain(form, error), status_for(error))
    flash(_("Saved."))
    return redirect(url_for("admin_catalog.counters", slug=slug) + f"#counter-{counter_id}")


def _counter_page(view: dict, write: Callable[[dict], object]):
    form = counter_form(views.service_codes(get_db(), g.actor, g.office.slug), g.office.zones)
    if not form.is_submitted():
        form.show(view)
    return _submit(form, write, lambda counter_id: url_for("admin_catalog.counters", slug=g.office.slug)
                   + f"#counter-{counter_id}", "admin/counters_form.html", section="counters", counter=view)


@bp.route("/<slug>/counters/new", methods=["GET", "POST"])
@admin_page(Permission.CONFIGURE)
def new_counter(slug: str):
    blank = {**views.new_counter(), "zone_id": g.actor.zone_id}
    return _counter_page(blank, lambda fields: catalog.add_counter(get_db(), g.actor, slug, fields, now=now()))


@bp.route("/<slug>/counters/<int:counter_id>", methods=["GET", "POST"])
@admin_page(Permission.CONFIGURE)
def edit_counter(slug: str, counter_id: int):
    view = views.counter(get_db(), g.actor, counter_id, office_slug=slug)
    return _counter_page(view, lambda fields: catalog.update_counter(get_db(), g.actor, counter_id, fields,
                                                                     now=now()))
