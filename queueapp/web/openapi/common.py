"""Pieces every part of the API document uses: responses, parameters, security, and the
enums, taken from the domain so the document never lists a state the code lacks."""
from __future__ import annotations

from ...domain.booking import AppointmentStatus
from ...domain.channels import ISSUABLE
from ...domain.priority import PriorityGroup
from ...domain.states import CounterState, TicketStatus


def values(members) -> list[str]:
    return [member.value for member in members]


PRIORITIES = values(PriorityGroup)
TICKET_STATUSES = values(TicketStatus)
COUNTER_STATES = values(CounterState)
CHANNELS = values(ISSUABLE)
APPOINTMENT_STATUSES = values(AppointmentStatus)

ERROR = {"$ref": "#/components/schemas/Error"}


def errors(*codes: int) -> dict:
    return {str(code): {"description": "Error", "content": {"application/json": {"schema": ERROR}}}
            for code in codes}


def ok(schema: dict, code: str = "200", description: str = "OK") -> dict:
    return {code: {"description": description, "content": {"application/json": {"schema": schema}}}}


def path_params(*names: str) -> list[dict]:
    types = {"office": "string", "token": "string", "id": "integer"}
    return [{"name": n, "in": "path", "required": True, "schema": {"type": types[n]}} for n in names]


STAFF = [{"bearerAuth": []}, {"cookieAuth": []}]
TICKET = {"$ref": "#/components/schemas/Ticket"}


def ticket_action(summary: str) -> dict:
    return {"post": {"summary": summary, "security": STAFF, "parameters": path_params("id"),
                     "responses": {**ok(TICKET), **errors(401, 403, 404, 409)}}}


