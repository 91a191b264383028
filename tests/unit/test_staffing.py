"""Erlang C against published worked examples (docstring of queueapp.domain.staffing)."""
from __future__ import annotations

import pytest

from queueapp.domain import staffing


def test_the_call_centre_helper_example_waits_with_probability_68_percent():
    # 100 calls in 30 minutes, 3 minutes each: 10 Erlangs; 11 agents.
    assert staffing.erlang_c(11, 10.0) == pytest.approx(0.6821, abs=1e-4)
    assert staffing.service_level(11, 10.0, 3.0, 20 / 60) == pytest.approx(0.390, abs=1e-3)


def test_the_call_centre_helper_example_needs_14_agents_for_80_percent_in_20_seconds():
    assert staffing.service_level(13, 10.0, 3.0, 20 / 60) < 0.8 <= staffing.service_level(14, 10.0, 3.0, 20 / 60)
    assert staffing.required_agents(100 / 30, 3.0, 20 / 60, share=0.8) == 14


def test_the_textbook_m_m_10_example_waits_with_probability_about_one_in_ten():
    # 120 arrivals an hour, 3 minutes each, 10 servers: 6 Erlangs.
    assert staffing.erlang_c(10, 6.0) == pytest.approx(0.10, abs=0.005)


def test_a_line_with_more_work_than_counters_never_settles():
    assert staffing.erlang_c(2, 2.0) == 1.0
    assert staffing.wait_quantile(2, 2.5, 10.0) is None and staffing.mean_wait(2, 3.0, 10.0) is None


def test_one_counter_is_the_m_m_1_queue():
    # M/M/1: P(wait) = rho, mean wait = rho / (1 - rho) x service time.
    assert staffing.erlang_c(1, 0.5) == pytest.approx(0.5)
    assert staffing.mean_wait(1, 0.5, 10.0) == pytest.approx(10.0)


def test_the_90th_percentile_wait_is_where_p_of_waiting_longer_is_ten_percent():
    p90 = staffing.wait_quantile(3, 2.4, 10.0, 0.9)
    assert staffing.p_wait_longer(3, 2.4, 10.0, p90) == pytest.approx(0.1)
    assert staffing.wait_quantile(10, 1.0, 10.0) == 0.0   # hardly anybody waits


def test_the_required_counters_keep_the_90th_percentile_under_the_target():
    # 30 citizens an hour, 12 minutes each (6 Erlangs), target 30 minutes: 6 counters
    # never catch up, 7 keep 90% under 22 minutes.
    assert staffing.required_agents(0.5, 12.0, 30.0) == 7
    assert staffing.wait_quantile(7, 6.0, 12.0) <= 30.0 and staffing.wait_quantile(6, 6.0, 12.0) is None
    # 20 an hour (4 Erlangs), target 10 minutes.
    needed = staffing.required_agents(1 / 3, 12.0, 10.0)
    assert staffing.wait_quantile(needed, 4.0, 12.0) <= 10.0 < staffing.wait_quantile(needed - 1, 4.0, 12.0)
    assert staffing.required_agents(0.0, 12.0, 30.0) == 0
