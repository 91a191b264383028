"""The printable performance report (laporan kinerja pelayanan) of a month, quarter,
half-year or year: the office's letterhead, the figures, the service table, two charts
drawn with reportlab's own graphics, and a signature block. The caller hands in the
summary (queries.reports) and every text already translated."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (HRFlowable, Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)
from xml.sax.saxutils import escape

BLUE = colors.HexColor("#2f6f9f")


@dataclass(frozen=True)
class ReportText:
    """Every text the report prints, translated by the caller."""

    title: str                      # "Laporan Kinerja Pelayanan"
    period: str                     # "Periode: November 2026 (1-30 November 2026)"
    figures_title: str
    figures: list[tuple[str, str]]  # (label, formatted value)
    services_title: str
    service_header: list[str]
    hours_title: str                # caption of the arrivals-per-hour chart
    heatmap_title: str
    weekdays: list[str]             # Monday .. Sunday, short
    place_date: str                 # "Jakarta, 1 Desember 2026"
    signer_title: str               # "Kepala Kantor Kecamatan Demo"
    signer_name: str = ""           # empty: a line to sign on
    signer_id: str = ""             # "NIP. ..."
    footer: str = ""
    notes: list[str] = field(default_factory=list)


def _letterhead(summary: dict, logo: bytes | None, styles) -> list:
    office = summary["office"]
    lines = [Paragraph(f"<b>{escape(office['name'].upper())}</b>", styles["Head"])]
    for text in (office.get("address"), office.get("contact")):
        if text:
            lines.append(Paragraph(escape(text), styles["Small"]))
    if logo:
        try:
            reader = ImageReader(io.BytesIO(logo))
            w, h = reader.getSize()
            image = Image(io.BytesIO(logo), width=18 * mm * w / max(w, h), height=18 * mm * h / max(w, h))
            head = Table([[image, lines]], colWidths=[22 * mm, None])
            head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            return [head, HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceBefore=4)]
        except Exception:  # noqa: BLE001 - a broken logo must not stop the report
            pass
    return [*lines, HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceBefore=4)]


def _table(rows: list[list], widths=None, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [("FONT", (0, 0), (-1, -1), "Helvetica", 8.5), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                  ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5)]
    table.setStyle(TableStyle(style))
    return table


def hour_chart(by_hour: list[dict], caption: str, width: float = 170 * mm, height: float = 42 * mm) -> Drawing:
    """Tickets issued per local hour, as bars."""
    hours = [line["key"] for line in by_hour if line["key"] is not None] or [8]
    span = list(range(min(hours), max(hours) + 1))
    issued = {line["key"]: line["issued"] for line in by_hour}
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, caption, fontName="Helvetica-Bold", fontSize=9))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 25, 15, width - 35, height - 35
    chart.data = [[issued.get(h, 0) for h in span]]
    chart.categoryAxis.categoryNames = [f"{h:02d}" for h in span]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BLUE
    drawing.add(chart)
    return drawing


def heatmap_chart(arrivals: list[list[int]], weekdays: list[str], caption: str,
                  width: float = 170 * mm) -> Drawing:
    """Arrivals per weekday x hour, darker for more, over the hours anybody came."""
    used = [h for h in range(24) if any(row[h] for row in arrivals)] or [8]
    span = list(range(min(used), max(used) + 1))
    left, cell_h = 28, 10
    cell_w = (width - left) / len(span)
    height = 7 * cell_h + 26
    highest = max(max(row) for row in arrivals) or 1
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, caption, fontName="Helvetica-Bold", fontSize=9))
    for r, row in enumerate(arrivals):
        y = height - 16 - (r + 1) * cell_h
        drawing.add(String(0, y + 3, weekdays[r], fontName="Helvetica", fontSize=7))
        for c, hour in enumerate(span):
            value = row[hour]
            shade = colors.Color(0.18, 0.44, 0.62, alpha=0.08 + 0.92 * value / highest if value else 0.03)
            drawing.add(Rect(left + c * cell_w, y, cell_w - 1, cell_h - 1, fillColor=shade, strokeColor=None))
            if value:
                drawing.add(String(left + c * cell_w + cell_w / 2, y + 3, str(value), fontName="Helvetica",
                                   fontSize=6, textAnchor="middle"))
    for c, hour in enumerate(span):
        drawing.add(String(left + c * cell_w + cell_w / 2, 0, f"{hour:02d}", fontName="Helvetica", fontSize=6,
                           textAnchor="middle"))
    return drawing


def signature(styles, place_date: str, signer_title: str, signer_name: str = "", signer_id: str = "") -> KeepTogether:
    """The signature block of an office's report: place and date, title, name (or a line), id."""
    name = f"<b><u>{escape(signer_name)}</u></b>" if signer_name else "(" + "_" * 30 + ")"
    block = [Paragraph(escape(place_date), styles["Sign"]), Paragraph(escape(signer_title), styles["Sign"]),
             Spacer(1, 16 * mm), Paragraph(name, styles["Sign"])]
    if signer_id:
        block.append(Paragraph(escape(signer_id), styles["Sign"]))
    table = Table([["", block]], colWidths=[95 * mm, 75 * mm])
    return KeepTogether([Spacer(1, 4 * mm), table])


def report_styles():
    """The paragraph styles of an office's A4 report."""
    styles = getSampleStyleSheet()
    styles.add(ParagraphStyle("Head", parent=styles["Normal"], fontSize=13, leading=16))
    styles.add(ParagraphStyle("Small", parent=styles["Normal"], fontSize=8.5, leading=10))
    styles.add(ParagraphStyle("Cell", parent=styles["Normal"], fontSize=8, leading=9.5))
    styles.add(ParagraphStyle("Sign", parent=styles["Normal"], fontSize=10, leading=13, alignment=1))
    return styles


def a4_document(out, title: str, author: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=15 * mm,
                             bottomMargin=15 * mm, title=title, author=author)


def performance_report(summary: dict, text: ReportText, *, logo: bytes | None = None) -> bytes:
    """The report as A4 PDF bytes."""
    styles = report_styles()
    out = io.BytesIO()
    doc = a4_document(out, text.title, summary["office"]["name"])
    story = _letterhead(summary, logo, styles)
    story += [Spacer(1, 3 * mm), Paragraph(f"<b>{escape(text.title)}</b>", styles["Title"]),
              Paragraph(escape(text.period), styles["Normal"]), Spacer(1, 4 * mm),
              Paragraph(f"<b>{escape(text.figures_title)}</b>", styles["Normal"]), Spacer(1, 2 * mm),
              _table([[label, value] for label, value in text.figures], widths=[110 * mm, 60 * mm], header=False),
              Spacer(1, 5 * mm), Paragraph(f"<b>{escape(text.services_title)}</b>", styles["Normal"]),
              Spacer(1, 2 * mm)]
    rows = [[Paragraph(f"<b>{escape(cell)}</b>", styles["Cell"]) for cell in text.service_header]]
    for line in summary.get("by_service", []):
        rows.append([Paragraph(escape(f"{line['key']} {line.get('name', '')}"), styles["Cell"]), line["issued"], line["served"], line["no_show"],
                     _value(line["wait_minutes"]["mean"]), _value(line["wait_minutes"]["p90"]),
                     _value(line["service_minutes"]["mean"]), _value(line["within_target_pct"], "%")])
    widths = [50 * mm] + [17 * mm] * 5 + [18 * mm] * 2
    story += [_table(rows, widths), Spacer(1, 4 * mm), hour_chart(summary.get("by_hour", []), text.hours_title),
              Spacer(1, 4 * mm), heatmap_chart(summary["heatmap"]["arrivals"], text.weekdays, text.heatmap_title)]
    story.append(Spacer(1, 2 * mm))
    for note in text.notes:
        story.append(Paragraph(escape(note), styles["Small"]))
    story.append(signature(styles, text.place_date, text.signer_title, text.signer_name, text.signer_id))

    def footer(canvas, document):
        canvas.setFont("Helvetica", 7)
        canvas.drawString(20 * mm, 8 * mm, text.footer)
        canvas.drawRightString(A4[0] - 20 * mm, 8 * mm, str(document.page))

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _value(value, unit: str = "") -> str:
    return "-" if value is None else f"{value:g}{unit}".replace(".", ",")
