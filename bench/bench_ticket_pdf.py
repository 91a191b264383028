"""Median render time of the paper ticket PDF (target: under 10 ms), 80 and 58 mm.

    python bench/bench_ticket_pdf.py                 # print the figures
    python bench/bench_ticket_pdf.py --update-docs   # also rewrite the section in docs/BENCHMARKS.md
"""
from __future__ import annotations

import argparse
import platform
import re
import statistics
import time
from pathlib import Path

from queueapp.printing import TicketDocument, render_pdf

TARGET_MS = 10.0
SECTION = "## Ticket PDF rendering"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"


def ticket(paper: int, n: int) -> TicketDocument:
    return TicketDocument(
        office="Kantor Kecamatan Demo", service="KTP-el (Rekam / Cetak)", number=f"A-{n % 1000:03d}",
        issued="23-11-2026 09:00 WIB", status_url=f"https://antrian.example.go.id/t/{n:022d}",
        instruction="Pindai kode QR untuk memantau antrian dari ponsel Anda.",
        details=("Sisa antrian: 12", "Estimasi tunggu: 24 menit (16-32)"), priority="PRIORITAS: Lansia",
        paper=paper)


def measure(paper: int, runs: int) -> dict:
    for n in range(20):                      # warm up imports and font metrics
        render_pdf(ticket(paper, n))
    times = []
    for n in range(runs):
        doc = ticket(paper, n)               # a different URL (QR) every time, as in a real day
        start = time.perf_counter()
        render_pdf(doc)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"paper": paper, "runs": runs, "median": statistics.median(times),
            "p95": times[int(len(times) * 0.95) - 1], "max": times[-1]}


def section(results: list[dict]) -> str:
    rows = "\n".join(f"| {r['paper']} mm | {r['runs']} | {r['median']:.2f} | {r['p95']:.2f} | {r['max']:.2f} |"
                     for r in results)
    verdict = "meets" if all(r["median"] < TARGET_MS for r in results) else "MISSES"
    return (f"{SECTION}\n\n"
            f"`python bench/bench_ticket_pdf.py --update-docs` renders a full ticket (office, service,\n"
            f"number, priority mark, wait, QR of a fresh status URL each time) with reportlab + qrcode.\n"
            f"Target: median under {TARGET_MS:.0f} ms; this run {verdict} it.\n\n"
            f"| paper | runs | median ms | p95 ms | max ms |\n|---|---|---|---|---|\n{rows}\n\n"
            f"Measured on {platform.python_implementation()} {platform.python_version()}, "
            f"{platform.machine()}, {time.strftime('%Y-%m-%d')}.\n")


def update_docs(text: str) -> None:
    current = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        current = pattern.sub(lambda _: text + "\n", current).rstrip() + "\n"
    else:
        current = current.rstrip() + "\n\n" + text
    DOCS.write_text(current)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--update-docs", action="store_true")
    args = parser.parse_args()
    results = [measure(paper, args.runs) for paper in (80, 58)]
    text = section(results)
    print(text)
    if args.update_docs:
        update_docs(text)


if __name__ == "__main__":
    main()
