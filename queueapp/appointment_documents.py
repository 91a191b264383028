"""An appointment's confirmation as files: QR code (PNG), printable PDF, calendar (.ics).
No Flask, no database: each takes the owner's appointment view (a dict)."""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import icalendar
import qrcode
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from .domain import local_time

# When the calendar app reminds the citizen: a day before (to plan) and an hour before (to leave).
REMINDERS = (timedelta(days=1), timedelta(hours=1))


def qr_payload(view: dict) -> str:
    """What the kiosk's scanner reads: the booking code alone."""
    return view["code"]


def qr_png(view: dict) -> bytes:
    image = qrcode.make(qr_payload(view), box_size=8, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def pdf(view: dict, labels: dict[str, str]) -> bytes:
    """One A5 page: office, service, date and time, the code large, and its QR.
    `labels` carries the translated captions (title, code, service, time, bring) and the
    `locale` of the weekday and month names."""
    out = io.BytesIO()
    # Uncompressed: a few kilobytes more, and its text stays searchable by simple tools.
    page = canvas.Canvas(out, pagesize=A5, pageCompression=0)
    width, height = A5
    start = datetime.fromisoformat(view["start"])
    y = height - 20 * mm
    page.setFont("Helvetica-Bold", 16)
    page.drawString(15 * mm, y, labels["title"])
    page.setFont("Helvetica", 11)
    for line in (view["office_name"], view.get("office_address", ""),
                 f"{labels['service']}: {view['service']} - {view['service_name']}",
                 f"{labels['time']}: {when(view, labels.get('locale', 'id'))}",
                 f"{labels['name']}: {view['name']}"):
        y -= 7 * mm
        page.drawString(15 * mm, y, line)
    y -= 14 * mm
    page.drawString(15 * mm, y, labels["code"])
    page.setFont("Helvetica-Bold", 28)
    page.drawString(15 * mm, y - 12 * mm, view["code"])
    widget = QrCodeWidget(qr_payload(view))
    x0, y0, x1, y1 = widget.getBounds()
    size = 45 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, page, 15 * mm, y - 65 * mm)
    page.setFont("Helvetica", 10)
    page.drawString(15 * mm, 15 * mm, labels["bring"])
    page.showPage()
    page.save()
    return out.getvalue()


def when(view: dict, locale: str = "id") -> str:
    """"Sabtu, 28 November 2026 08:00 WIB": the appointment's start as the citizen reads it."""
    return local_time.moment(datetime.fromisoformat(view["start"]), view["timezone"], locale)


def ics(view: dict, summary: str, description: str, *, now: datetime, url: str | None = None,
        reminder: str | None = None) -> bytes:
    """The appointment as a calendar event: stamped `now` (when the file is made, in UTC),
    with the manage page's `url` and a reminder a day and an hour before."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//queueapp//booking//ID")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"{view['code']}@{view['office']}.queueapp")
    # UTC ("...Z") needs no VTIMEZONE block and every calendar app reads it.
    start, end = (datetime.fromisoformat(view[k]).astimezone(timezone.utc) for k in ("start", "end"))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("summary", summary)
    event.add("location", f"{view['office_name']}, {view.get('office_address', '')}".strip(", "))
    event.add("description", description)
    if url:
        event.add("url", url)
    for before in REMINDERS:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", reminder or summary)
        alarm.add("trigger", -before)
        event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()
