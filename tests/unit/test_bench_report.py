"""The benchmarks' pure helpers: percentiles, wrk's summary, profiles, BENCHMARKS.md sections."""
import math

import pytest

from bench.report import (cpu_model, cpu_ticks, mem_total_gib, parse_wrk, percentiles, profile_summary,
                          replace_section, steal_share, vm_rss_kib)

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:1/api/v1/health
WRK_JSON {"requests": 1000, "duration_s": 5.0, "bytes": 1, "errors": {"connect": 0, "read": 2, \
"write": 0, "status": 3, "timeout": 0}, "latency_ms": {"mean": 1, "p50": 1, "p90": 2, "p95": 3, \
"p99": 4, "max": 5}}
"""


def test_percentiles_of_one_to_hundred_are_the_values_themselves():
    result = percentiles([float(v) for v in range(1, 101)])
    assert result["p50"] == pytest.approx(50.5)
    assert result["p99"] == pytest.approx(99.01)
    assert result["max"] == 100 and result["n"] == 100


def test_percentiles_of_a_single_value_and_of_nothing():
    assert percentiles([7.0])["p99"] == 7.0
    assert math.isnan(percentiles([])["p50"]) and percentiles([])["n"] == 0


def test_wrk_summary_gives_rate_and_error_count():
    summary = parse_wrk(WRK_OUTPUT)
    assert summary["rate"] == 200
    assert summary["error_count"] == 5
    assert summary["latency_ms"]["p99"] == 4


def test_wrk_output_without_summary_is_an_error():
    with pytest.raises(ValueError):
        parse_wrk("Running 5s test\n")


def test_a_new_document_gets_a_title_and_the_section():
    document = replace_section("", "Real-time fan-out", "figures")
    assert document.startswith("# Benchmarks")
    assert "## Real-time fan-out\n\nfigures\n" in document


def test_a_section_is_replaced_and_the_other_sections_are_kept():
    document = "# Benchmarks\n\n## Ticket issuance over HTTP\n\nold\n\n## Booking\n\ntheirs\n"
    updated = replace_section(document, "Ticket issuance over HTTP", "new")
    assert "old" not in updated
    assert updated.index("## Ticket issuance over HTTP\n\nnew") < updated.index("## Booking\n\ntheirs")


def test_a_missing_section_is_appended_after_the_others():
    document = "# Benchmarks\n\n## Booking\n\ntheirs\n"
    updated = replace_section(document, "Real-time fan-out", "mine")
    assert updated.endswith("## Booking\n\ntheirs\n\n## Real-time fan-out\n\nmine\n")


def test_proc_files_are_read_for_memory_and_cpu_model():
    assert vm_rss_kib("Name:\tpython\nVmRSS:\t   88588 kB\n") == 88588
    assert cpu_model("processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\n") == "Intel(R) Xeon(R) Processor"
    assert mem_total_gib("MemTotal:       24683520 kB\n") == pytest.approx(23.54, abs=0.01)
    with pytest.raises(ValueError):
        vm_rss_kib("Name:\tzombie\n")


def test_profile_samples_go_to_the_innermost_known_library():
    collapsed = "\n".join([
        "handle (gunicorn/workers/ggevent.py:1);issue (queueapp/web/api.py:2);"
        "execute (sqlalchemy/orm/session.py:3) 3",
        "handle (gunicorn/workers/ggevent.py:1);issue (queueapp/web/api.py:2) 1",
    ])
    summary = profile_summary(collapsed)
    assert summary["samples"] == 4
    assert dict(summary["buckets"]) == {"SQLAlchemy (ORM, Core, pool)": 0.75,
                                        "queueapp code (domain, services, queries, web)": 0.25}
    assert ("issue (queueapp/web/api.py)", 1.0) in summary["inclusive"]


def test_statements_on_the_drivers_cursor_are_told_apart_from_the_apps_code():
    collapsed = ("handle (gunicorn/workers/ggevent.py:1);add_ticket (queueapp/services/tickets.py:2);"
                 "Prepared.all (queueapp/prepared.py:89) 2\nhandle (gunicorn/workers/ggevent.py:1) 2")
    buckets = dict(profile_summary(collapsed)["buckets"])
    assert buckets["statements on the driver's cursor (queueapp.prepared: SQLite's time, binding)"] == 0.5
    assert "queueapp code (domain, services, queries, web)" not in buckets


def test_hand_written_notes_survive_a_new_run():
    document = ("# Benchmarks\n\n## Real-time fan-out\n\nold figures\n\n### Notes\n\nwhy it is slow\n\n"
                "## Booking\n\ntheirs\n")
    updated = replace_section(document, "Real-time fan-out", "new figures")
    assert "old figures" not in updated
    assert "new figures\n\n### Notes\n\nwhy it is slow\n\n## Booking\n\ntheirs\n" in updated


def test_cpu_steal_is_the_share_of_stolen_ticks():
    before = cpu_ticks("cpu  100 0 50 800 0 0 0 50 0 0\ncpu0 1 2 3\n")
    after = cpu_ticks("cpu  200 0 100 1500 0 0 0 200 0 0\n")
    assert before == (50, 1000)
    assert steal_share(before, after) == pytest.approx(150 / 1000)
    assert steal_share(after, after) == 0.0


def test_the_issuance_bench_takes_the_median_of_runs_each_between_two_hello_world_runs():
    from bench.bench_issue import figures, paired_ratios

    def run(kind, rate, cpu_s, connections=200, p99=100.0):
        return {"kind": kind, "rate": rate, "requests": rate * 10, "server_cpu_s": cpu_s,
                "connections": connections, "latency_ms": {"p99": p99}}
    results = {"connections": 200, "runs": [
        run("health", 1000, 7.0), run("closed", 500, 6.0, connections=1), run("paced", 400, 6.0),
        run("history", 1000, 8.0),
        run("hello", 4000, 8.0), run("full", 1050, 8.0), run("hello", 3000, 9.0),
        run("full", 1400, 8.0), run("hello", 5000, 8.0), run("full", 900, 8.0), run("hello", 3000, 9.0)]}
    assert [round(rate, 4) for _, rate, _ in paired_ratios(results)] == [0.3, 0.35, 0.225]
    found = figures(results)
    assert found["issuance rate / hello-world rate (same worker, flat out; median of the pairs)"][0] == 0.3
    # The first pair's CPU ratio: 8.0 s over 10,500 tickets, against the mean of its two hellos.
    first_hello_cpu = (8.0 / 40000 + 9.0 / 30000) / 2 * 1000
    cpu_ratios = [cpu for _, _, cpu in paired_ratios(results)]
    assert abs(cpu_ratios[0] - (8.0 / 10500 * 1000) / first_hello_cpu) < 1e-9
    median = found["CPU per ticket / CPU per hello-world request (median of the pairs)"][0]
    assert median == sorted(cpu_ratios)[1]
