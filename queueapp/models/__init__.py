"""SQLAlchemy 2.x tables, one module per area. No business rules here: those live in
queueapp.domain. Import tables from this package (`from queueapp.models import Ticket`)."""
from __future__ import annotations

from ..domain.channels import Channel
from ..domain.permissions import Role
from ..domain.states import CounterState
from .appointments import Appointment, BookingRule
from .audit import AuditEntry
from .base import MAX_ROW_ID, NAMING_CONVENTION, Base, UTCDateTime
from .offices import Counter, CounterService, Display, Holiday, Kiosk, Office, OpeningHours, Service, Zone
from .staff import ApiToken, StaffSession, StaffUser
from .surveys import SurveyResponse
from .tickets import DailyCounter, OnlineJoin, Ticket, TicketEvent

__all__ = ["MAX_ROW_ID", "NAMING_CONVENTION", "ApiToken", "Appointment", "AuditEntry", "Base", "BookingRule",
           "Channel", "Counter", "CounterService", "CounterState", "DailyCounter", "Display", "Holiday", "Kiosk",
           "Office", "OnlineJoin", "OpeningHours", "Role", "Service", "StaffSession", "StaffUser", "SurveyResponse", "Ticket",
           "TicketEvent", "UTCDateTime", "Zone"]
