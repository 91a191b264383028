from queueapp.domain.eta import estimate_wait, rolling_mean_minutes


def test_the_service_expected_minutes_are_used_until_there_are_enough_samples():
    assert rolling_mean_minutes([600.0], fallback_minutes=10) == 10
    assert rolling_mean_minutes([300.0, 300.0, 420.0], fallback_minutes=10) == 5.666666666666667


def test_only_the_latest_window_counts():
    assert rolling_mean_minutes([6000.0] + [60.0] * 20, fallback_minutes=10, window=20) == 1.0


def test_the_wait_is_split_across_open_counters():
    assert estimate_wait(10, 2, 6.0).minutes == 30
    assert estimate_wait(10, 1, 6.0).minutes == 60
    assert estimate_wait(0, 3, 6.0).minutes == 0


def test_there_is_no_estimate_when_no_counter_serves_the_service():
    assert estimate_wait(4, 0, 6.0).minutes is None


def test_the_range_surrounds_the_estimate():
    estimate = estimate_wait(10, 2, 6.0)
    assert estimate.low < estimate.minutes < estimate.high
