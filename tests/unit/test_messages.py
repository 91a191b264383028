"""Every failure a person can meet has its own message, translated into Indonesian."""
from flask_babel import force_locale

from queueapp import create_app, messages
from queueapp.domain import errors


def all_errors(cls=errors.DomainError):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_errors(sub)


def test_every_domain_error_code_has_a_message_of_its_own_in_indonesian(tmp_path):
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}"})
    codes = {cls.code: cls for cls in [errors.DomainError, *all_errors()]}
    assert {"conflict", "office_closed", "forbidden", "invalid_input"} <= set(codes)
    with app.test_request_context():
        for code, cls in codes.items():
            owner = next(k for k in cls.__mro__ if k in messages.DOMAIN_MESSAGES)
            assert owner.code == code, f"{code} borrows the message of {owner.code}"
            with force_locale("en"):
                english = str(messages.DOMAIN_MESSAGES[owner])
            with force_locale("id"):
                assert str(messages.DOMAIN_MESSAGES[owner]) != english, f"{code} has no Indonesian message"


def test_a_message_is_filled_with_the_errors_parameters(tmp_path):
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}"})
    with app.test_request_context(), force_locale("en"):
        assert messages.for_error(errors.ClosedForHoliday(holiday="Hari Raya Natal")) == \
            "The office is closed today: Hari Raya Natal."
        assert messages.for_error(errors.InvalidInput("name is required")) == \
            "The request is not valid: name is required"
        assert messages.for_code("rate_limited").startswith("Too many requests")
