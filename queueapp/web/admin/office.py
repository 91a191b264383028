"""Admin pages of an office, their URL rules (the views are in office_settings and
office_devices): the office list and first run, an office's settings, logo and
checklist, zones, weekly hours, holidays and devices."""
from __future__ import annotations

from flask import Blueprint

from . import office_devices as devices
from . import office_settings as settings

bp = Blueprint("admin_office", __name__, url_prefix="/admin")

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]
DEVICE = "<any(kiosk, display):kind>"
RULES = [
    # rule, endpoint, view, methods
    ("", "home", settings.home, BOTH),
    ("/<slug>", "settings", settings.settings, BOTH),
    ("/<slug>/settings", "settings", settings.settings, BOTH),
    ("/<slug>/logo", "logo", settings.logo, POST),
    ("/<slug>/zones", "zones", settings.zones, BOTH),
    ("/<slug>/zones/<int:zone_id>", "zone", settings.zone, POST),
    ("/<slug>/hours", "hours", settings.hours, BOTH),
    ("/<slug>/holidays", "holidays", devices.holidays, GET),
    ("/<slug>/holidays", "add_holiday", devices.add_holiday, POST),
    ("/<slug>/holidays/import", "import_holidays", devices.import_holidays, POST),
    ("/<slug>/holidays/<day>/remove", "remove_holiday", devices.remove_holiday, POST),
    ("/<slug>/devices", "devices", devices.devices_page, GET),
    (f"/<slug>/devices/{DEVICE}", "add_device", devices.add_device, POST),
    (f"/<slug>/devices/{DEVICE}/<int:device_id>", "update_device", devices.update_device, POST),
    (f"/<slug>/devices/{DEVICE}/<int:device_id>/remove", "remove_device", devices.remove_device, POST),
    ("/<slug>/devices/kiosk/<int:device_id>/pair", "pair_kiosk", devices.pair_kiosk, POST),
    ("/<slug>/devices/kiosk/<int:device_id>/unpair", "unpair_kiosk", devices.unpair_kiosk, POST),
    ("/<slug>/devices/kiosk/<int:device_id>/paper/<any(out,back):paper>", "kiosk_paper", devices.kiosk_paper, POST),
]
for rule, endpoint, view, methods in RULES:
    bp.add_url_rule(rule, endpoint, view, methods=methods)
bp.add_app_template_filter(settings.checklist_label, "checklist_label")
