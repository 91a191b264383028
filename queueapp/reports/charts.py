"""Charts as small SVG documents drawn on the server: no chart library, no CDN, no script
(the pages' strict Content-Security-Policy allows them inline)."""
from __future__ import annotations

from html import escape

BAR = "#2f6f9f"
GRID = "#d0d7de"
TEXT = "#24292f"


def _text(x: float, y: float, value, *, size: int = 10, anchor: str = "middle", fill: str = TEXT) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}">{escape(str(value))}</text>')


def bars(values: list[tuple[str, float | int | None]], *, title: str, width: int = 720, height: int = 220,
         unit: str = "") -> str:
    """A vertical bar per (label, value); empty values draw no bar. `title` is the chart's
    accessible name and caption."""
    top, bottom, left, right = 24, 28, 36, 8
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max([v for _, v in values if v] or [1])
    step = plot_w / max(len(values), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" '
             f'aria-label="{escape(title)}" class="chart">', f"<title>{escape(title)}</title>",
             _text(left, 14, title, size=12, anchor="start")]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 4, y + 3, _number(highest * fraction) + unit, size=9, anchor="end"))
    for index, (label, value) in enumerate(values):
        x = left + index * step
        if value:
            h = plot_h * value / highest
            parts.append(f'<rect x="{x + step * 0.15:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.7:.1f}" '
                         f'height="{h:.1f}" fill="{BAR}"><title>{escape(str(label))}: {escape(_number(value))}'
                         f'{escape(unit)}</title></rect>')
        parts.append(_text(x + step / 2, height - bottom + 14, label, size=9))
    parts.append("</svg>")
    return "".join(parts)


def heatmap(matrix: list[list[float | int | None]], *, rows: list[str], title: str, hours=range(24),
            width: int = 720) -> str:
    """A grid of rows (weekdays) x hours, darker for higher values, the value in each cell."""
    left, top, cell_w = 48, 24, (width - 56) / len(list(hours))
    cell_h = 22
    height = top + cell_h * len(rows) + 18
    highest = max([v for row in matrix for v in row if v] or [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" '
             f'aria-label="{escape(title)}" class="chart heatmap">', f"<title>{escape(title)}</title>",
             _text(left, 14, title, size=12, anchor="start")]
    for r, (label, row) in enumerate(zip(rows, matrix)):
        y = top + r * cell_h
        parts.append(_text(left - 6, y + cell_h / 2 + 4, label, size=10, anchor="end"))
        for c, hour in enumerate(hours):
            value = row[hour]
            shade = 0 if not value else 0.15 + 0.85 * value / highest
            x = left + c * cell_w
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 1:.1f}" height="{cell_h - 1}" '
                         f'fill="{BAR}" fill-opacity="{shade:.2f}" stroke="{GRID}" stroke-width="0.5"/>')
            if value:
                parts.append(_text(x + cell_w / 2, y + cell_h / 2 + 3, _number(value), size=8,
                                   fill="#ffffff" if shade > 0.55 else TEXT))
    for c, hour in enumerate(hours):
        parts.append(_text(left + c * cell_w + cell_w / 2, height - 4, f"{hour:02d}", size=8))
    parts.append("</svg>")
    return "".join(parts)


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))
