"""The SKM report's downloads (CSV and A4 PDF), laid out as PermenPANRB 14/2017 reports
the index: per element NRR, NRR x 1/9 and category; the index, converted value, category;
respondents against the sample; the profile; the follow-up elements; the comments. The
PDF reuses the performance report's letterhead, tables and signature look (reports.pdf).
The caller hands in the report (queries.skm_report) and every text already translated."""
from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from .pdf import _letterhead, _table, a4_document, report_styles, signature


def _number(value, places: int, comma: bool = False) -> str:
    text = "-" if value is None else f"{value:.{places}f}"
    return text.replace(".", ",") if comma else text


def _scope(report: dict, text: dict) -> str:
    parts = [report["office"]["name"]]
    if report.get("zone_name"):
        parts.append(f"{text['zone']}: {report['zone_name']}")
    if report.get("service"):
        parts.append(f"{text['service']}: {report['service']}")
    return " · ".join(parts)


def element_rows(report: dict, text: dict, comma: bool = False) -> list[list[str]]:
    return [[line["key"], text["elements"][line["key"]], _number(line["nrr"], 2, comma),
             _number(line["weighted"], 3, comma), text["category_of"](line["category"])] for line in report["elements"]]


def index_rows(report: dict, text: dict, comma: bool = False) -> list[list[str]]:
    return [[text["ikm"], _number(report["ikm"], 3, comma)],
            [text["converted"], _number(report["ikm_converted"], 2, comma)],
            [text["category"], text["category_of"](report["category"])],
            [text["respondents"], str(report["respondents"])], [text["served"], str(report["served"])],
            [text["sample"], str(report["sample_needed"])]]


def profile_rows(report: dict, text: dict, *, once: bool = False) -> list[list[str]]:
    """(field, choice, respondents) rows; `once`: the field named on its first row only."""
    rows = []
    for field, counts in report["profile"].items():
        words = text["profile"][field]
        rows += [[words["label"] if not (once and n) else "", words["choices"][choice], str(count)]
                 for n, (choice, count) in enumerate(counts.items())]
    return rows


def follow_up(report: dict, text: dict) -> list[str]:
    return [f"{key}. {text['elements'][key]}" for key in report["lowest"]]


def skm_csv(report: dict, text: dict) -> str:
    """The report's tables one after another (comments last, all of them)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([[text["title"]], [text["period"]], [text["scope"], _scope(report, text)], []])
    writer.writerow(text["element_header"])
    writer.writerows(element_rows(report, text))
    writer.writerows([[], [text["index_title"]]])
    writer.writerows(index_rows(report, text))
    writer.writerows([[], [text["profile_title"]]])
    writer.writerows(profile_rows(report, text))
    writer.writerows([[], [text["follow_up_title"]], *[[line] for line in follow_up(report, text)], []])
    writer.writerow([text["comments_title"]])
    writer.writerow(text["comment_header"])
    writer.writerows([[c["day"], c["service"], c["comment"]] for c in report["comments"]])
    return out.getvalue()


def skm_pdf(report: dict, text: dict, *, logo: bytes | None = None) -> bytes:
    """The report as A4 PDF bytes."""
    styles = report_styles()
    out = io.BytesIO()
    doc = a4_document(out, text["title"], report["office"]["name"])

    def heading(words: str) -> list:
        return [Spacer(1, 4 * mm), Paragraph(f"<b>{escape(words)}</b>", styles["Normal"]), Spacer(1, 2 * mm)]

    def cells(rows, upto: int = 99):
        """Text columns (before `upto`) as paragraphs: they wrap and stay left-aligned."""
        return [[Paragraph(escape(str(cell)), styles["Cell"]) if n < upto else cell for n, cell in enumerate(row)]
                for row in rows]

    def header(words):
        return [Paragraph(f"<b>{escape(str(cell))}</b>", styles["Cell"]) for cell in words]

    comma = text.get("decimal") == ","

    story = _letterhead(report, logo, styles)
    story += [Spacer(1, 3 * mm), Paragraph(f"<b>{escape(text['title'])}</b>", styles["Title"]),
              Paragraph(escape(text["period"]), styles["Normal"]),
              Paragraph(escape(f"{text['scope']}: {_scope(report, text)}"), styles["Normal"])]
    story += heading(text["elements_title"])
    story.append(_table([header(text["element_header"]), *cells(element_rows(report, text, comma), 2)],
                        widths=[12 * mm, 88 * mm, 20 * mm, 22 * mm, 28 * mm]))
    story += heading(text["index_title"])
    story.append(_table(index_rows(report, text, comma), widths=[110 * mm, 60 * mm], header=False))
    story += heading(text["follow_up_title"])
    lowest = follow_up(report, text)
    story.append(Paragraph(escape(text["follow_up"] + " " + ("; ".join(lowest) if lowest else text["nothing"])),
                           styles["Normal"]))
    story += heading(text["profile_title"])
    story.append(_table([header(["", "", text["count"]]), *cells(profile_rows(report, text, once=True), 2)],
                        widths=[45 * mm, 95 * mm, 30 * mm]))
    story += heading(text["comments_title"])
    if report["comments"]:
        rows = cells([[c["day"], c["service"], c["comment"]] for c in report["comments"]])
        story.append(_table([header(text["comment_header"]), *rows], widths=[24 * mm, 16 * mm, 130 * mm]))
    else:
        story.append(Paragraph(escape(text["no_comments"]), styles["Small"]))
    story.append(signature(styles, text["place_date"], text["signer_title"], text.get("signer_name") or "",
                           text.get("signer_id") or ""))

    def footer(canvas, document):
        canvas.setFont("Helvetica", 7)
        canvas.drawString(20 * mm, 8 * mm, text.get("footer", ""))
        canvas.drawRightString(A4[0] - 20 * mm, 8 * mm, str(document.page))

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
