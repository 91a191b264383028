"""The forms of the office pages (Flask-WTF, CSRF on): labels in the user's language; the
rules themselves are the use cases' (domain.setup), whose refusals the forms show."""
from __future__ import annotations

from flask import flash, redirect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ... import messages
from ...domain.errors import DomainError
from ...domain.setup import TIMEZONES
from ..errors import status_for



def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select."""
    return [SelectChoice(value, label) for value, label in pairs]


TIMEZONE_CHOICES = options((zone, f"{name} ({zone})") for name, zone in TIMEZONES.items())
WEEKDAYS = [(1, _l("Monday")), (2, _l("Tuesday")), (3, _l("Wednesday")), (4, _l("Thursday")), (5, _l("Friday")),
            (6, _l("Saturday")), (7, _l("Sunday"))]


class NewOfficeForm(FlaskForm):
    slug = StringField(_l("Short name in addresses (slug)"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    timezone = SelectField(_l("Time zone"), choices=TIMEZONE_CHOICES)
    address = TextAreaField(_l("Address"), validators=[Length(max=1000)])


class OfficeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    address = TextAreaField(_l("Address"), validators=[Length(max=1000)])
    timezone = SelectField(_l("Time zone"), choices=TIMEZONE_CHOICES)
    running_text = TextAreaField(_l("Running text on the display"), validators=[Length(max=1000)])
    max_calls = IntegerField(_l("Calls per ticket before it counts as absent"), validators=[DataRequired()])
    finish_on_call_next = BooleanField(_l("Calling the next number finishes the current one"))
    contact = StringField(_l("Contact (phone, WhatsApp, e-mail)"), validators=[Length(max=500)])
    complaint_channel = StringField(_l("Where to complain (e.g. SP4N-LAPOR!)"), validators=[Length(max=500)])
    closed = BooleanField(_l("Closed now (by hand, whatever the hours say)"))
    pledge = TextAreaField(_l("Service pledge (maklumat pelayanan)"), validators=[Length(max=4000)])
    pledge_on_display = BooleanField(_l("Show the service pledge on the lobby display now and then"))


class LogoForm(FlaskForm):
    logo = FileField(_l("Logo (PNG or JPEG, at most 300 KB)"))
    remove = BooleanField(_l("Remove the logo"))


class ZoneForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    agency = StringField(_l("Agency"), validators=[Length(max=200)])


class PeriodForm(Form):
    """One row of the weekly hours; a row without times is left out."""

    weekday = SelectField(_l("Day"), choices=options(WEEKDAYS), coerce=int)
    opens = StringField(_l("Opens"), validators=[Optional(), Length(max=5)])
    closes = StringField(_l("Closes"), validators=[Optional(), Length(max=5)])
    breaks = StringField(_l("Breaks"), validators=[Optional(), Length(max=100)])
    walk_ins = BooleanField(_l("Walk-ins"))
    appointments = BooleanField(_l("Appointments"))


class HoursForm(FlaskForm):
    rows = FieldList(FormField(PeriodForm), max_entries=50)


class HolidayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class HolidayFileForm(FlaskForm):
    file = FileField(_l("File (CSV: date,name; or iCalendar .ics)"), validators=[FileRequired()])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: a button that removes something."""


def zone_choices(office) -> list[tuple[str, str]]:
    return options([("", _l("Whole office"))] + [(str(zone_id), name) for zone_id, name in office.zones])


class KioskForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    paper = SelectField(_l("Paper width"), choices=options([("80", "80 mm"), ("58", "58 mm")]))
    printer = StringField(_l("Printer"), default="browser", validators=[DataRequired(), Length(max=200)])
    zone_id = SelectField(_l("Zone"), choices=[])


class DisplayForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    zone_id = SelectField(_l("Zone"), choices=[])
    services = StringField(_l("Services (codes, e.g. A,B; empty: all)"), validators=[Length(max=200)])
    language = SelectField(_l("Voice"), choices=options([("id", "Bahasa Indonesia"), ("en", "English"),
                                                         ("id,en", "Bahasa Indonesia + English")]))
    repeat = SelectField(_l("Times each call is spoken"), choices=options([("1", "1"), ("2", "2"), ("3", "3")]))
    calls = SelectField(_l("Calls shown together"), default="4", choices=options([(str(n), str(n)) for n in range(1, 9)]))


# --- Refusals shown on the forms ---


def refusal(exc: DomainError, form=None) -> tuple[str, int]:
    """The message and status of a refused change. When the error names a field of
    `form`, the message goes under that field and the form-wide message stays empty."""
    message = messages.for_error(exc)
    field = exc.params.get("field")
    if form is not None and field in getattr(form, "_fields", {}):
        form[field].errors = [*form[field].errors, message]
        return "", status_for(exc)
    return message, status_for(exc)


def invalid_form(form) -> tuple[str, int]:
    """A form that did not pass its own checks (a missing field, an expired CSRF token)."""
    if getattr(form, "csrf_token", None) is not None and form.csrf_token.errors:
        return _("The form has expired. Please try again."), 400
    return "", 422


def save(form, write, done_url: str):
    """Run `write` for a valid form: then a redirect to `done_url` saying "Saved.", and
    (response, "", 302); otherwise (None, refusal message, status) to show the form again."""
    if form.validate_on_submit():
        try:
            write()
        except DomainError as exc:
            return (None, *refusal(exc, form))
        flash(_("Saved."))
        return redirect(done_url), "", 302
    return (None, *invalid_form(form))
