"""Admin pages: the office's staff accounts (create, role, zone, name, password,
deactivate), their API tokens (create, shown once; revoke), and the audit log (filters,
newest first, CSV). Every write is a service function; a refused change is shown on the
same page with what was typed."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from ... import messages
from ...domain import errors
from ...domain.permissions import Permission, Role
from ...extensions import get_db, now
from ...queries import people
from ...services import staff as accounts
from ..auth import end_live_sessions, login_throttle
from ..errors import status_for
from ..labels import label
from .access import admin_page

bp = Blueprint("admin_people", __name__, url_prefix="/admin")

OFFICE_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.ADMIN)
# The audit log's action filter: an action's beginning and what it covers.
AUDIT_GROUPS = (("", _l("All actions")), ("staff.login", _l("Log-ins")), ("staff.", _l("Staff accounts")),
                ("token.", _l("API tokens")), ("office.", _l("Office")), ("zone.", _l("Zones")),
                ("service.", _l("Services")), ("counter.", _l("Counters")), ("hours.", _l("Opening hours")),
                ("holiday.", _l("Holidays")), ("device.", _l("Devices")))


class MemberForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[Length(max=100)])
    role = SelectField(_l("Role"))
    zone = SelectField(_l("Zone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role.value, label(role)) for role in OFFICE_ROLES]
        self.zone.choices = [SelectChoice("", _("Whole office"))] + [
            SelectChoice(str(zone_id), name) for zone_id, name in g.office.zones
            if g.actor.zone_id is None or zone_id == g.actor.zone_id]

    def zone_id(self) -> int | None:
        return int(self.zone.data) if self.zone.data else None


class NewMemberForm(MemberForm):
    username = StringField(_l("Username"), validators=[Length(max=64)])
    password = PasswordField(_l("Password"), validators=[Length(max=200)])


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[Length(max=200)])


class ActiveForm(FlaskForm):
    active = HiddenField()


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[Length(max=100)])
    days = IntegerField(_l("Valid for (days)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.days.data is None:
            self.days.data = current_app.config["API_TOKEN_DAYS"]


class RevokeForm(FlaskForm):
    """Only the CSRF token."""


class AuditFilterForm(FlaskForm):
    """The log's filters, read from the query string (a GET: no CSRF token)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[SelectChoice(value, text) for value, text in AUDIT_GROUPS])
    user = StringField(_l("Username"))
    since = StringField(_l("From (YYYY-MM-DD)"), render_kw={"type": "date"})
    until = StringField(_l("Until (YYYY-MM-DD)"), render_kw={"type": "date"})
    q = StringField(_l("Target contains"))


def _refusal(form: FlaskForm, exc: errors.DomainError) -> str | None:
    """Show a refused change at the field it concerns (the message without the form-wide
    prefix), or as the form's error; returns the form-wide message, if any."""
    field = {"zone_id": "zone"}.get(exc.params.get("field"), exc.params.get("field"))
    if isinstance(exc, errors.AlreadyExists):
        field = exc.params.get("what")
    target = getattr(form, field, None) if isinstance(field, str) else None
    if target is None or not hasattr(target, "errors"):
        return messages.for_error(exc)
    text = messages.error_params(exc)["detail"] if type(exc) is errors.InvalidInput else messages.for_error(exc)
    target.errors = [*target.errors, text]
    return None


@bp.route("/<slug>/staff", methods=["GET", "POST"])
@admin_page(Permission.MANAGE_STAFF)
def staff(slug: str):
    """The office's staff and the form for a new account."""
    form = NewMemberForm()
    refused, status = None, 200
    if form.validate_on_submit():
        try:
            staff_id = accounts.create_user(
                get_db(), form.username.data or "", form.password.data or "", office_slug=slug,
                role=form.role.data, zone_id=form.zone_id(), display_name=form.display_name.data, actor=g.actor,
                now=now())
        except errors.DomainError as exc:
            refused, status = _refusal(form, exc), status_for(exc)
        else:
            flash(_("Account %(username)s created.", username=form.username.data.strip().lower()))
            return redirect(url_for(".member", slug=slug, staff_id=staff_id))
    elif form.is_submitted():
        status = 400
    members = people.staff_list(get_db(), g.actor, slug)
    return render_template("admin/staff.html", office=g.office, section="staff", form=form, members=members,
                           refused=refused), status


def _member_of_office(staff_id: int) -> dict:
    member = people.staff_member(get_db(), g.actor, staff_id)
    if member["office_id"] != g.office.id:
        abort(404)
    return member


def _member_page(staff_id: int, *, status: int = 200, refused: str | None = None, new_token: str | None = None,
                 **forms):
    member = _member_of_office(staff_id)
    for token in member["tokens"]:
        token["expired"] = datetime.fromisoformat(token["expires_at"]) <= now()
    forms.setdefault("form", MemberForm(formdata=None, display_name=member["display_name"], role=member["role"],
                                        zone=str(member["zone_id"] or "")))
    for name, cls in (("password_form", PasswordForm), ("token_form", TokenForm)):
        forms.setdefault(name, cls(formdata=None))
    return render_template("admin/staff_member.html", office=g.office, section="staff", member=member,
                           active_form=ActiveForm(formdata=None), revoke_form=RevokeForm(formdata=None),
                           refused=refused, new_token=new_token, is_self=member["id"] == g.actor.staff_id,
                           **forms), status


def _changed(form: MemberForm, member: dict) -> dict:
    """Only what the form changes: an unchanged role or zone must not end any session."""
    wanted = {"role": form.role.data, "zone_id": form.zone_id(), "display_name": form.display_name.data}
    return {key: value for key, value in wanted.items() if value != member[key]}


def _write(staff_id: int, form: FlaskForm, write, done: str, *, form_name: str = "form"):
    """Run `write()` for a submitted form: on success flash `done` and go back to the
    member's page; a refused change shows the page again with the form as typed."""
    if not form.validate_on_submit():
        abort(400)
    try:
        ends = write()
    except errors.DomainError as exc:
        return _member_page(staff_id, status=status_for(exc), refused=_refusal(form, exc), **{form_name: form})
    if ends:
        end_live_sessions(ends)
    flash(done)
    return redirect(url_for(".member", slug=g.office.slug, staff_id=staff_id))


@bp.route("/<slug>/staff/<int:staff_id>", methods=["GET", "POST"])
@admin_page(Permission.MANAGE_STAFF)
def member(slug: str, staff_id: int):
    """One account: role, zone and name; password; active; API tokens."""
    if request.method == "GET":
        return _member_page(staff_id)
    form = MemberForm()
    fields = _changed(form, _member_of_office(staff_id)) if form.validate_on_submit() else {}

    def write():
        accounts.update_staff(get_db(), g.actor, staff_id, fields, now=now(), throttle=login_throttle())
        return staff_id if accounts.ends_sessions(fields) else None
    return _write(staff_id, form, write, _("Changes saved."))


@bp.post("/<slug>/staff/<int:staff_id>/password")
@admin_page(Permission.MANAGE_STAFF)
def password(slug: str, staff_id: int):
    form = PasswordForm()
    _member_of_office(staff_id)

    def write():
        accounts.reset_password(get_db(), g.actor, staff_id, form.password.data or "", now=now(),
                                throttle=login_throttle())
        return staff_id
    return _write(staff_id, form, write, _("The password has been reset. Every session of this account has ended."),
                  form_name="password_form")


@bp.post("/<slug>/staff/<int:staff_id>/active")
@admin_page(Permission.MANAGE_STAFF)
def active(slug: str, staff_id: int):
    form = ActiveForm()
    _member_of_office(staff_id)
    wanted = form.active.data == "1"

    def write():
        accounts.update_staff(get_db(), g.actor, staff_id, {"active": wanted}, now=now())
        return None if wanted else staff_id
    done = _("The account is active again.") if wanted else _("The account is deactivated; its sessions and API "
                                                               "tokens have ended.")
    return _write(staff_id, form, write, done)


@bp.post("/<slug>/staff/<int:staff_id>/tokens")
@admin_page(Permission.MANAGE_STAFF)
def create_token(slug: str, staff_id: int):
    """A new token, shown on this page once (never in a flash message or a redirect)."""
    form = TokenForm()
    _member_of_office(staff_id)
    if not form.validate_on_submit():
        abort(400)
    try:
        _, token = accounts.create_token_for(get_db(), g.actor, staff_id, now=now(), name=form.name.data or "",
                                             days=form.days.data or current_app.config["API_TOKEN_DAYS"])
    except errors.DomainError as exc:
        return _member_page(staff_id, status=status_for(exc), refused=_refusal(form, exc), token_form=form)
    return _member_page(staff_id, status=201, new_token=token)


@bp.post("/<slug>/tokens/<int:token_id>/revoke")
@admin_page(Permission.MANAGE_STAFF)
def revoke_token(slug: str, token_id: int):
    if not RevokeForm().validate_on_submit():
        abort(400)
    staff_id = accounts.revoke_token(get_db(), g.actor, token_id, now=now())
    end_live_sessions(staff_id)
    flash(_("The token has been revoked."))
    return redirect(url_for(".member", slug=slug, staff_id=staff_id))


@bp.get("/<slug>/audit")
@admin_page(Permission.VIEW_AUDIT)
def audit(slug: str):
    """The audit log, newest first, with its filters and a CSV of what is shown."""
    form = AuditFilterForm(request.args)
    refused, status, entries = None, 200, []
    try:
        entries = people.audit_entries(get_db(), g.actor, slug, people.AuditFilter.parse(request.args))
    except errors.InvalidInput as exc:
        refused, status = _refusal(form, exc), 422
    csv_args = {key: value for key, value in request.args.items() if value}
    return render_template("admin/audit.html", office=g.office, section="audit", form=form, entries=entries,
                           refused=refused, csv_url=url_for("api_staff.audit_csv", slug=slug, **csv_args)), status
