"""The forms of the catalog's admin pages (services, counters) and their way to and from
the fields the catalog's use cases take. Numbers are typed as text: the domain checks
them (domain.catalog), so every refusal says the same thing on a page and in the API, in
the user's language, next to the field it concerns."""
from __future__ import annotations

import copy
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from ... import messages
from ...domain import catalog
from ...domain.errors import DomainError, InvalidInput
from ...domain.states import CounterState
from ..labels import label

NUMBER = {"inputmode": "numeric", "size": 5}


def number(text: str | None):
    """What was typed in a number field: None when blank, an int when it is one, else the
    text itself, which the domain refuses with a message naming the field."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else text


def shown(value) -> str:
    return "" if value is None else str(value)


def zone_choices(zones) -> list[tuple[str, str]]:
    return [("", str(_l("Whole office (no zone)")))] + [(str(zone_id), name) for zone_id, name in zones]


class ServiceForm(FlaskForm):
    code = StringField(_l("Code"), render_kw={"size": 3, "maxlength": 2, "autocapitalize": "characters"})
    name = StringField(_l("Name (Indonesian)"))
    name_en = StringField(_l("Name (English)"))
    active = BooleanField(_l("Active: the kiosk issues tickets"))
    zone_id = SelectField(_l("Zone"), validate_choice=False)
    position = StringField(_l("Position on the kiosk"), render_kw=NUMBER)
    daily_quota = StringField(_l("Daily quota"), render_kw=NUMBER)
    expected_minutes = StringField(_l("Expected service time (minutes)"), render_kw=NUMBER)
    target_wait_minutes = StringField(_l("Target waiting time (minutes)"), render_kw=NUMBER)
    requirements = TextAreaField(_l("Requirements (one per line)"), render_kw={"rows": 5})
    completion_time = StringField(_l("Completion time"))
    fee = StringField(_l("Fee"))
    product = StringField(_l("Product"))
    procedure = TextAreaField(_l("Procedure (one step per line)"), render_kw={"rows": 5})
    complaints = StringField(_l("Complaints about this service"))
    booking_bookable = BooleanField(_l("Citizens may book an appointment online"))
    booking_slot_minutes = StringField(_l("Slot length (minutes)"), render_kw=NUMBER)
    booking_capacity = StringField(_l("Appointments per slot"), render_kw=NUMBER)
    booking_requires_nik = BooleanField(_l("A booking needs the NIK"))
    booking_notice_days = StringField(_l("Bookable from (days ahead)"), render_kw=NUMBER)
    booking_horizon_days = StringField(_l("Bookable up to (days ahead)"), render_kw=NUMBER)
    booking_checkin_before_minutes = StringField(_l("Check-in opens (minutes before the slot)"), render_kw=NUMBER)
    booking_checkin_after_minutes = StringField(_l("Check-in closes (minutes after the slot)"), render_kw=NUMBER)
    booking_online_join = BooleanField(_l("Citizens may join today's queue from home"))
    booking_online_daily_quota = StringField(_l("Places per day from home"), render_kw=NUMBER)

    TEXTS = ("code", "name", "name_en", "requirements", "completion_time", "fee", "product", "procedure",
             "complaints")
    NUMBERS = ("position", "daily_quota", "expected_minutes", "target_wait_minutes")

    def values(self) -> dict[str, Any]:
        """The fields for add_service / update_service."""
        fields: dict[str, Any] = {name: self[name].data or "" for name in self.TEXTS}
        fields.update({name: number(self[name].data) for name in self.NUMBERS})
        fields["active"] = bool(self.active.data)
        fields["zone_id"] = number(self.zone_id.data)
        if fields["position"] is None:
            del fields["position"]   # a new service goes last, a changed one stays where it is
        booking = {}
        for name in catalog.BOOKING_FIELDS:
            field = self[f"booking_{name}"]
            booking[name] = bool(field.data) if isinstance(field, BooleanField) else number(field.data)
        fields["booking"] = booking
        return fields

    def show(self, view: dict[str, Any]) -> None:
        """Fill the form with a service's stored values (queries.catalog)."""
        for name in self.TEXTS + self.NUMBERS + ("active", "zone_id"):
            value = view[name]
            self[name].data = value if isinstance(value, bool) else shown(value)
        for name, value in view["booking"].items():
            self[f"booking_{name}"].data = value if isinstance(value, bool) else shown(value)


def state_choices() -> list[tuple[str, str]]:
    return [(state.value, label(state)) for state in CounterState]


class CounterForm(FlaskForm):
    """A counter and, added per office by `counter_form`, one order field per service
    (`order_A`: blank, the counter does not call it; 1 first, 2 next...)."""

    number = StringField(_l("Number"), render_kw=NUMBER)
    name = StringField(_l("Name"))
    zone_id = SelectField(_l("Zone"), validate_choice=False)
    priority_first = BooleanField(_l("Call priority visitors (elderly, disabled, pregnant) first"))
    state = SelectField(_l("State"), validate_choice=False)
    # The state the page showed: a clerk may open or pause the counter meanwhile, and
    # saving its name must not undo that.
    state_was = HiddenField()

    codes: tuple[str, ...] = ()

    def values(self) -> dict[str, Any]:
        """The fields for add_counter / update_counter (`services`: the whole matrix)."""
        orders = {code: number(self[f"order_{code}"].data) for code in self.codes}
        fields = {"number": number(self.number.data), "name": self.name.data or "",
                  "zone_id": number(self.zone_id.data), "priority_first": bool(self.priority_first.data),
                  "services": {code: order for code, order in orders.items() if order is not None}}
        if self.state.data != self.state_was.data:
            fields["state"] = self.state.data
        return fields

    def show(self, view: dict[str, Any]) -> None:
        self.number.data, self.name.data = shown(view["number"]), view["name"]
        self.zone_id.data, self.priority_first.data = shown(view["zone_id"]), view["priority_first"]
        self.state.data = self.state_was.data = view["state"]
        for code in self.codes:
            self[f"order_{code}"].data = shown(view["services"].get(code))


def counter_form(services: list[tuple[str, str, int | None]], zones, **kwargs) -> CounterForm:
    """A counter form with an order field for each of these (code, name, zone) services."""
    fields = {f"order_{code}": StringField(f"{code} · {name}", render_kw={**NUMBER, "size": 2})
              for code, name, _zone in services}
    form_class = type("OfficeCounterForm", (CounterForm,), {**fields, "codes": tuple(c for c, _, _ in services)})
    form = form_class(**kwargs)
    form.zone_id.choices = zone_choices(zones)
    form.state.choices = state_choices()
    return form


def _field_of(form: FlaskForm, name: str | None):
    if not name:
        return None
    name = str(name)
    key = f"order_{name[len('services.'):]}" if name.startswith("services.") else name.replace(".", "_")
    return form._fields.get(key)


def explain(form: FlaskForm, error: DomainError) -> str:
    """A refused change's message in the user's language, with the field named as the
    form labels it; also shown under that field. Returns the message for the page."""
    field = _field_of(form, error.params.get("field") or error.params.get("what"))
    if field is not None:
        text = str(field.label.text)
        error = copy.copy(error)
        error.params = {**error.params, "field": text, "what": text.lower()}
        detail = messages.error_params(error)["detail"] if isinstance(error, InvalidInput) \
            else messages.for_error(error)
        field.errors = [*field.errors, detail]
    return messages.for_error(error)
