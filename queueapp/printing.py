"""The paper ticket: a PDF for thermal rolls (reportlab + qrcode) and ESC/POS printing
(python-escpos). No Flask, no database: the caller hands in translated text."""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from .domain.errors import PrintFailed
from .domain.printer import OFFLINE_CAUSE, PAPER_SENSOR, PRINTER_STATUS, PrinterState, decode_status

log = logging.getLogger(__name__)

MARGIN = 3 * mm
BROWSER = "browser"
ESCPOS_PORT = 9100


@dataclass(frozen=True)
class TicketDocument:
    """What a paper ticket says, already translated and formatted."""

    office: str
    service: str
    number: str
    issued: str                      # local date and time with the zone, e.g. "23-11-2026 09:00 WIB"
    status_url: str                  # absolute URL of the citizen's status page (the QR)
    instruction: str                 # one line telling the citizen what to do
    details: tuple[str, ...] = ()    # people ahead, estimated wait
    priority: str | None = None      # e.g. "PRIORITAS: Lansia"
    paper: int = 80


def qr_matrix(data: str) -> list[list[bool]]:
    """QR modules without the quiet zone. The mask is fixed: choosing the "best" of eight
    costs ~9 ms in pure Python, and every mask is valid and readable."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(data: str) -> bytes:
    """The QR as a small SVG for screens (kiosk, staff)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    return image.to_string()


# --- PDF ---------------------------------------------------------------------------------

@dataclass
class _Line:
    text: str
    font: str
    size: float
    gap: float = 1.5 * mm
    box: bool = False      # white on black (the priority mark)


def _number_size(number: str, width: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    size = 64.0
    return min(size, size * width / stringWidth(number, "Helvetica-Bold", size))


def _lines(doc: TicketDocument, width: float) -> tuple[list[_Line], list[_Line]]:
    """Lines above the QR and below it, wrapped to the paper."""
    small = 8 if doc.paper == 58 else 9

    def wrapped(text: str, font: str, size: float, gap: float = 1 * mm) -> list[_Line]:
        parts = simpleSplit(text, font, size, width) or [""]
        return [_Line(part, font, size, gap if i == len(parts) - 1 else 0.6 * mm)
                for i, part in enumerate(parts)]

    top = wrapped(doc.office, "Helvetica-Bold", small + 1) + wrapped(doc.service, "Helvetica", small + 1, 2 * mm)
    top.append(_Line(doc.number, "Helvetica-Bold", _number_size(doc.number, width), 2 * mm))
    if doc.priority:
        top.append(_Line(doc.priority, "Helvetica-Bold", small + 1, 2 * mm, box=True))
    top += wrapped(doc.issued, "Helvetica", small)
    for detail in doc.details:
        top += wrapped(detail, "Helvetica", small)
    bottom = wrapped(doc.instruction, "Helvetica", small - 1)
    return top, bottom


def _height(lines: list[_Line]) -> float:
    return sum(line.size * 1.15 + line.gap for line in lines)


def _draw_lines(pdf: canvas.Canvas, lines: list[_Line], page_width: float, y: float) -> float:
    for line in lines:
        y -= line.size
        if line.box:
            pad = 1 * mm
            pdf.rect(MARGIN, y - pad, page_width - 2 * MARGIN, line.size + 2 * pad, stroke=0, fill=1)
            pdf.setFillGray(1)
        pdf.setFont(line.font, line.size)
        pdf.drawCentredString(page_width / 2, y, line.text)
        pdf.setFillGray(0)
        y -= line.size * 0.15 + line.gap
    return y


def _draw_qr(pdf: canvas.Canvas, matrix: list[list[bool]], x: float, top: float, size: float) -> None:
    """One filled path of integer rectangles in module units (one per run of dark modules
    in a row): formatting hundreds of float rectangles through reportlab's path object
    would take most of the render time."""
    runs = []
    for row_index, row in enumerate(matrix):
        start = None
        for col, dark in enumerate(row + [False]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                runs.append(f"{start} {row_index} {col - start} 1 re")
                start = None
    module = size / len(matrix)
    pdf.saveState()
    pdf.translate(x, top)
    pdf.scale(module, -module)
    pdf.addLiteral("\n".join(runs) + "\nf")
    pdf.restoreState()


def render_pdf(doc: TicketDocument) -> bytes:
    """One page as wide as the paper roll and as tall as the ticket."""
    page_width = doc.paper * mm
    width = page_width - 2 * MARGIN
    qr_size = min(width, (40 if doc.paper == 80 else 34) * mm)
    top, bottom = _lines(doc, width)
    height = MARGIN * 2 + _height(top) + qr_size + 2 * mm + _height(bottom)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(page_width, height), pageCompression=0)
    pdf.setTitle(f"{doc.number} - {doc.office}")
    pdf.setCreator("queueapp")
    y = _draw_lines(pdf, top, page_width, height - MARGIN)
    _draw_qr(pdf, qr_matrix(doc.status_url), (page_width - qr_size) / 2, y, qr_size)
    _draw_lines(pdf, bottom, page_width, y - qr_size - 2 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- ESC/POS -----------------------------------------------------------------------------

def write_escpos(doc: TicketDocument, printer) -> None:
    """Send the ticket to a python-escpos printer, using the printer's own QR command."""
    printer.set(align="center", bold=True, normal_textsize=True)
    printer.text(doc.office + "\n")
    printer.set(align="center", bold=False, normal_textsize=True)
    printer.text(doc.service + "\n\n")
    printer.set(align="center", bold=True, custom_size=True, width=4 if doc.paper == 80 else 3,
                height=4 if doc.paper == 80 else 3)
    printer.text(doc.number + "\n")
    printer.set(align="center", bold=True, normal_textsize=True)
    if doc.priority:
        printer.set(align="center", bold=True, invert=True, normal_textsize=True)
        printer.text(f" {doc.priority} \n")
        printer.set(align="center", bold=False, invert=False, normal_textsize=True)
    printer.set(align="center", bold=False, normal_textsize=True)
    printer.text("\n".join((doc.issued, *doc.details)) + "\n")
    printer.qr(doc.status_url, native=True, size=6 if doc.paper == 80 else 4)
    printer.text(doc.instruction + "\n")
    printer.cut()


@dataclass(frozen=True)
class PrinterSpec:
    """Where a kiosk prints: "browser", "network:HOST[:PORT]", "usb:VENDOR:PRODUCT" (hex)
    or "file:/dev/usb/lp0"."""

    kind: str
    target: str = ""
    port: int = ESCPOS_PORT

    @classmethod
    def parse(cls, value: str | None) -> PrinterSpec:
        text = (value or BROWSER).strip()
        kind, _, rest = text.partition(":")
        if kind == BROWSER and not rest:
            return cls(BROWSER)
        if kind == "network" and rest:
            host, _, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
            return cls("network", host or rest, int(port) if port else ESCPOS_PORT)
        if kind == "usb" and rest.count(":") == 1:
            for part in rest.split(":"):
                int(part, 16)   # ValueError unless both ids are hex
            return cls("usb", rest)
        if kind == "file" and rest.startswith("/"):
            return cls("file", rest)
        raise ValueError("printer must be browser, network:HOST[:PORT], usb:VENDOR:PRODUCT or file:/PATH")

    @property
    def direct(self) -> bool:
        return self.kind != BROWSER

    def __str__(self) -> str:
        if self.kind == "network":
            return f"network:{self.target}:{self.port}"
        return self.kind if self.kind == BROWSER else f"{self.kind}:{self.target}"

    def open(self, timeout: float = 5):
        from escpos import printer
        if self.kind == "network":
            return printer.Network(self.target, port=self.port, timeout=timeout)
        if self.kind == "usb":
            vendor, product = (int(part, 16) for part in self.target.split(":"))
            return printer.Usb(vendor, product, timeout=int(timeout * 1000))
        if self.kind == "file":
            return printer.File(self.target)
        raise ValueError("a browser kiosk prints the PDF itself")


def print_escpos(doc: TicketDocument, spec: PrinterSpec, timeout: float = 5) -> None:
    """Print on the kiosk's ESC/POS printer. Any device error becomes PrintFailed, a
    DomainError the web layer answers with 503 printer_failed (the ticket stays valid)."""
    device = None
    try:
        device = spec.open(timeout)
        write_escpos(doc, device)
    except Exception as exc:  # noqa: BLE001 - network, USB and file errors all mean "not printed"
        log.warning("printing %s on %s failed: %s", doc.number, spec, exc)
        raise PrintFailed(str(exc)) from exc
    finally:
        if device is not None:
            try:
                device.close()
            except Exception:  # noqa: BLE001 - already failed or already closed
                pass


def printer_status(spec: PrinterSpec, timeout: float = 2) -> PrinterState | None:
    """The printer's state from its real-time status (DLE EOT 1, 2, 4; domain.printer), or
    None when it cannot be asked (a browser kiosk, a write-only file device). A printer that
    cannot be reached or does not answer is OFFLINE."""
    from escpos.exceptions import DeviceNotFoundError
    if not spec.direct or spec.kind == "file":
        return None
    device = None
    try:
        device = spec.open(timeout)
        answers = []
        for request in (PRINTER_STATUS, OFFLINE_CAUSE, PAPER_SENSOR):
            try:
                answers.append(bytes(device.query_status(request))[:1])
            except TimeoutError:
                answers.append(b"")
        return decode_status(*answers)
    except (OSError, DeviceNotFoundError) as exc:
        log.warning("status of %s: %s", spec, exc)
        return PrinterState.OFFLINE
    except Exception as exc:  # noqa: BLE001 - any other device error: not reachable as a printer
        log.warning("status of %s failed: %s", spec, exc)
        return PrinterState.OFFLINE
    finally:
        if device is not None:
            try:
                device.close()
            except Exception:  # noqa: BLE001 - already closed
                pass
