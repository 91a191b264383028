"""An outage is logged when it starts and when it ends, not once per failure."""
import logging

from queueapp.outages import Outage, describe


def test_a_thousand_failures_make_two_log_lines(caplog):
    redis = Outage("Redis")
    with caplog.at_level(logging.WARNING, logger="queueapp.outages"):
        for _ in range(1000):
            redis.failed(ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
                         by="message queue")
        assert redis.down
        redis.recovered()
        redis.recovered()
    assert [record.getMessage().split(" (")[0] for record in caplog.records] == [
        "Redis is unavailable", "Redis is available again after 0 s"]
    assert "1000 failed attempts" in caplog.records[-1].getMessage()
    assert not redis.down


def test_a_second_outage_is_logged_again(caplog):
    redis = Outage("Redis")
    with caplog.at_level(logging.WARNING, logger="queueapp.outages"):
        for _ in range(2):
            redis.failed(TimeoutError(), by="health check")
            redis.recovered()
    assert len(caplog.records) == 4


def test_an_error_is_described_by_its_type_and_first_line_only():
    class Wrapped(Exception):
        orig = OSError("database or disk is full\n[SQL: INSERT ...]")
    assert describe(Wrapped()) == "OSError: database or disk is full"
    assert describe(TimeoutError()) == "TimeoutError"
