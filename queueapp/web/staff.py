"""Staff log-in and log-out: Flask-Login session, Flask-WTF form with CSRF, session expiry;
each log-in and failed log-in is in the audit log."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..domain.permissions import Role
from ..extensions import get_db, now
from ..services import staff
from .auth import StaffLogin

bp = Blueprint("staff", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


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
        # The audit log keeps the client's address (as the proxy in front reports it).
        member = staff.authenticate(get_db(), form.username.data, form.password.data, now=now(),
                                    address=request.remote_addr or "")
        if member is not None:
            session.clear()
            # Permanent: the session then ends PERMANENT_SESSION_LIFETIME after the last request.
            session.permanent = True
            login_user(StaffLogin.from_user(member))
            return redirect(_safe_next(request.args.get("next")))
        failed = True
    status = 401 if failed else (400 if request.method == "POST" else 200)
    return render_template("staff/login.html", form=form, failed=failed), status


@bp.post("/logout")
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        logout_user()
        session.clear()
        flash(_("You have logged out."))
    return redirect(url_for("staff.login"))
