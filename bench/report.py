"""Pure helpers of the benchmarks: percentiles, wrk's summary line, profiles, BENCHMARKS.md sections."""
from __future__ import annotations

import json
import re
import statistics
from collections import Counter

WRK_MARKER = "WRK_JSON "


def percentiles(values: list[float], points=(50, 95, 99)) -> dict[str, float]:
    """Percentiles by the inclusive method (the one spreadsheets use), plus max and count."""
    if not values:
        return {f"p{p}": float("nan") for p in points} | {"max": float("nan"), "n": 0}
    if len(values) == 1:
        cuts = values * 99
    else:
        cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {f"p{p}": cuts[p - 1] for p in points} | {"max": max(values), "n": len(values)}


def parse_wrk(stdout: str) -> dict:
    """The JSON summary that bench/wrk_report.lua prints at the end of a wrk run."""
    for line in stdout.splitlines():
        if line.startswith(WRK_MARKER):
            summary = json.loads(line[len(WRK_MARKER):])
            summary["rate"] = summary["requests"] / summary["duration_s"] if summary["duration_s"] else 0.0
            summary["error_count"] = sum(summary["errors"].values())
            return summary
    raise ValueError("wrk printed no summary line (is bench/wrk_report.lua the script?)")


NOTES = "### Notes"


def replace_section(document: str, heading: str, body: str) -> str:
    """Put `## heading` + body in the document, replacing that section if present and
    leaving every other section (other benchmarks append their own) untouched. A hand-written
    `### Notes` part at the end of the old section is carried over."""
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = pattern.search(document)
    notes = ""
    if found and f"\n{NOTES}\n" in found.group(0):
        notes = "\n" + found.group(0)[found.group(0).index(f"\n{NOTES}\n"):].strip() + "\n"
    section = f"## {heading}\n\n{body.strip()}\n{notes}"
    if found:
        return pattern.sub(lambda _m: section + "\n", document, count=1).rstrip() + "\n"
    if not document.strip():
        document = "# Benchmarks\n\nFigures measured on the machine named in each section.\n"
    return document.rstrip() + "\n\n" + section


def vm_rss_kib(status_text: str) -> int:
    """VmRSS of a /proc/<pid>/status text, in KiB."""
    match = re.search(r"^VmRSS:\s+(\d+)\s+kB", status_text, re.M)
    if not match:
        raise ValueError("no VmRSS line")
    return int(match.group(1))


def cpu_ticks(stat_text: str) -> tuple[int, int]:
    """(steal, total) jiffies of all CPUs from /proc/stat: steal is time the hypervisor gave
    this machine's virtual CPUs to someone else."""
    fields = [int(v) for v in stat_text.splitlines()[0].split()[1:]]
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total > 0 else 0.0


def cpu_model(cpuinfo_text: str) -> str:
    match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo_text, re.M)
    return match.group(1).strip() if match else "unknown"


def mem_total_gib(meminfo_text: str) -> float:
    match = re.search(r"^MemTotal:\s+(\d+)\s+kB", meminfo_text, re.M)
    return int(match.group(1)) / 1024 / 1024 if match else float("nan")


# Where a sample of the server's stack is spent, first match wins (innermost frames first).
PROFILE_BUCKETS = (
    ("SQLite C calls (execute, fetch, commit)", ("sqlite3/", "(sqlite3)", "pysqlite")),
    # The issuance's statements on the driver's cursor: py-spy shows SQLite's C time in the
    # frame that called it, so this is mostly SQLite's own work (plus binding the values).
    ("statements on the driver's cursor (queueapp.prepared: SQLite's time, binding)", ("queueapp/prepared.py",)),
    ("Socket.IO / websocket sending", ("socketio/", "engineio/", "simple_websocket/", "wsproto/")),
    ("SQLAlchemy (ORM, Core, pool)", ("sqlalchemy/",)),
    ("Flask / Werkzeug / Babel / Login", ("flask/", "werkzeug/", "flask_babel/", "flask_login/",
                                          "flask_wtf/", "babel/", "jinja2/")),
    ("queueapp code (domain, services, queries, web)", ("queueapp/",)),
    ("gunicorn / gevent (HTTP parsing, sockets, hub)", ("gunicorn/", "gevent/")),
    ("JSON encoding", ("json/",)),
)


def _frames(stack: str) -> list[str]:
    return [frame for frame in stack.split(";") if frame]


def profile_summary(collapsed: str, top: int = 12) -> dict:
    """Summarise py-spy's raw (collapsed) output: share of samples per bucket by the innermost
    frame of a known library, and the functions with the most inclusive samples."""
    buckets: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = _frames(stack)
        buckets[_bucket(frames)] += n
        for name in {re.sub(r":\d+\)$", ")", frame) for frame in frames}:
            inclusive[name] += n
    return {"samples": total,
            "buckets": [(name, n / total) for name, n in buckets.most_common()] if total else [],
            "inclusive": [(name, n / total) for name, n in inclusive.most_common(top)] if total else []}


def _bucket(frames: list[str]) -> str:
    for frame in reversed(frames):
        for name, needles in PROFILE_BUCKETS:
            if any(needle in frame for needle in needles):
                return name
    return "other (interpreter, stdlib)"
