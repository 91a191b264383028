"""The staff security settings: log-in limits and the API token lifetime."""
import pytest

from queueapp import config


def test_log_in_limits_and_token_days_have_defaults():
    settings = config.load({})
    assert settings["LOGIN_LOCKOUT"] == "10 per 15 minutes"
    assert settings["LOGIN_RATE_LIMIT"] == "30 per 10 minutes"
    assert settings["API_TOKEN_DAYS"] == 90


def test_an_empty_log_in_limit_turns_it_off_and_days_can_change():
    settings = config.load({"QUEUEAPP_LOGIN_LOCKOUT": "", "QUEUEAPP_LOGIN_RATE_LIMIT": "5 per minute",
                            "QUEUEAPP_API_TOKEN_DAYS": "30"})
    assert (settings["LOGIN_LOCKOUT"], settings["LOGIN_RATE_LIMIT"], settings["API_TOKEN_DAYS"]) == (
        "", "5 per minute", 30)


@pytest.mark.parametrize("name, value", [("LOGIN_LOCKOUT", "five per hour"), ("LOGIN_RATE_LIMIT", "10 per"),
                                         ("API_TOKEN_DAYS", "0"), ("API_TOKEN_DAYS", "3651"),
                                         ("API_TOKEN_DAYS", "ninety")])
def test_a_bad_value_names_the_variable(name, value):
    with pytest.raises(config.ConfigError, match=f"QUEUEAPP_{name}="):
        config.load({f"QUEUEAPP_{name}": value})
