"""Staff log-in, log-out and changing one's own password: Flask-Login session kept on the
server (web.auth), Flask-WTF forms with CSRF, failed log-ins limited per account and per
address; each log-in and failed log-in is in the audit log."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .. import messages
from ..domain import errors
from ..domain.permissions import Role
from ..extensions import get_db, now
from ..services import staff, staff_login
from .auth import (end_live_sockets, end_session, install_login_throttle, login_throttle,
                   remember_cookie_only_with_a_session, start_session)
from .errors import status_for

bp = Blueprint("staff", __name__)
bp.record_once(lambda state: install_login_throttle(state.app))
bp.record_once(lambda state: remember_cookie_only_with_a_session(state.app))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(_l("New password again"), validators=[DataRequired(), Length(max=200)])


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a write, so another site cannot force it."""


def _landing() -> str:
    """Where a member lands after log-in: owners and admins on the administration, the
    others on the counter chooser."""
    if current_user.is_authenticated and current_user.role in (Role.OWNER.value, Role.ADMIN.value):
        return url_for("admin_office.home")
    return url_for("counter.choose")


def _safe_next(target: str | None) -> str:
    """A page on this site only (no open redirect); Flask-Login sends the full URL."""
    parts = urlsplit(target or "")
    if not target or (parts.netloc and parts.netloc != request.host) or not parts.path.startswith("/") \
            or parts.path.startswith("//") or parts.scheme not in ("", "http", "https"):
        return _landing()
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        try:
            # The audit log keeps the client's address (as the proxy in front reports it).
            member = staff_login.authenticate(get_db(), form.username.data, form.password.data, now=now(),
                                        address=request.remote_addr or "", throttle=login_throttle())
        except errors.LoginLocked as exc:
            if request.accept_mimetypes.best == "application/json":
                raise  # the one JSON error shape, 429 (web.errors)
            return _locked(form, exc)
        if member is not None:
            start_session(member)
            return redirect(_safe_next(request.args.get("next")))
        failed = True
    status = 401 if failed else (400 if request.method == "POST" else 200)
    return render_template("staff/login.html", form=form, failed=failed), status


def _locked(form: LoginForm, exc: errors.LoginLocked):
    """The log-in page saying how long the lock lasts ("Coba lagi dalam N menit")."""
    response = make_response(render_template("staff/login.html", form=form, locked=messages.for_error(exc)), 429)
    response.headers["Retry-After"] = str(exc.params["seconds"])
    return response


@bp.post("/logout")
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        end_session()
        flash(_("You have logged out."))
    return redirect(url_for("staff.login"))


@bp.route("/staff/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A member changes their own password; their other log-ins end, this one goes on."""
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("staff/password.html", form=form), 400 if form.is_submitted() else 200
    member = current_user._get_current_object()
    try:
        if form.new_password.data != form.confirm.data:
            raise errors.InvalidInput(errors.N_("the two new passwords differ"), field="confirm")
        ended = staff_login.change_own_password(
            get_db(), member, form.current_password.data, form.new_password.data, keep_session=member.session_id,
            now=now(), address=request.remote_addr or "", throttle=login_throttle())
    except errors.DomainError as exc:
        return render_template("staff/password.html", form=form, refused=_refusal(form, exc)), status_for(exc)
    for session_id in ended:
        end_live_sockets(staff.socket_room(member.id, session_id))
    flash(_("Your password has been changed. Your other log-ins have ended."))
    return redirect(_landing())


def _refusal(form: PasswordForm, exc: errors.DomainError) -> str | None:
    """Show a refusal at the field it concerns; returns the form-wide message, if any."""
    field = {"password": "new_password"}.get(exc.params.get("field"), exc.params.get("field"))
    target = getattr(form, field, None) if isinstance(field, str) else None
    text = messages.error_params(exc)["detail"] if type(exc) is errors.InvalidInput else messages.for_error(exc)
    if target is None or not hasattr(target, "errors"):
        return text
    target.errors = [*target.errors, text]
    return None
