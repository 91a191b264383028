"""Schemathesis over the app's own OpenAPI document (/api/v1/openapi.json), in-process through
WSGI against the demo office: valid and invalid requests to every operation, anonymous and with
an owner's bearer token, answer no 5xx and only status codes the document lists.

Bounded (MAX_EXAMPLES per operation) and derandomised, so every run sends the same requests."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import status_code_conformance
from sqlalchemy import update

from queueapp.models import StaffUser
from queueapp.services import staff

MAX_EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance]
OWNER, PASSWORD = "pemilik", "Fuzz-owner-2026!"


@pytest.fixture
def owner_token(demo):
    """A bearer token of a deployment-wide owner: every staff operation is open to it."""
    staff.create_user(demo, OWNER, PASSWORD, office_slug=None, role="owner", now=datetime.now(timezone.utc))

    def fresh() -> str:
        # A fuzzed request may have revoked the last token or deactivated the owner.
        with demo.write() as uow:
            uow.session.execute(update(StaffUser).where(StaffUser.username == OWNER).values(active=True))
        return staff.create_token(demo, OWNER, now=datetime.now(timezone.utc))
    return fresh


def cases_of(operation):
    """Valid and invalid requests; with a path's {office} also the demo office, so requests
    reach past the office lookup."""
    strategies = [operation.as_strategy(schemathesis.GenerationMode.POSITIVE),
                  operation.as_strategy(schemathesis.GenerationMode.NEGATIVE)]
    if any(parameter.name == "office" for parameter in operation.path_parameters):
        strategies.append(operation.as_strategy(schemathesis.GenerationMode.POSITIVE,
                                                path_parameters={"office": "demo"}))
    return st.one_of(strategies)


def fuzz(operation, token: str, found: dict[str, str], answered: set[tuple[str, int]]) -> None:
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None, print_blob=False,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases_of(operation), anonymous=st.booleans())
    def run(case, anonymous):
        headers = {} if anonymous else {"Authorization": f"Bearer {token}"}
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            answered.add((operation.label, response.status_code))
        except FailureGroup as failures:
            for failure in failures.exceptions:
                # The first request of each kind of failure, to reproduce it.
                found.setdefault(f"{operation.label}: {failure.title}: {getattr(failure, 'message', '')}",
                                 f"{case.method} {case.formatted_path} {'anonymous' if anonymous else 'owner'} "
                                 f"{case.media_type or ''} {case.body!r}"[:300])
    run()


def test_every_operation_answers_no_5xx_and_only_documented_status_codes(app, demo, owner_token):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    found: dict[str, str] = {}
    answered: set[tuple[str, int]] = set()
    for result in schema.get_all_operations():
        fuzz(result.ok(), owner_token(), found, answered)
    assert found == {}
    # The requests got past authentication and the office lookup, not only refusals.
    assert {("GET /offices/{office}/config", 200), ("POST /offices/{office}/zones", 201),
            ("GET /offices/{office}/board", 200)} <= answered


@pytest.mark.parametrize("method, path", [("DELETE", "/api/v1/kiosks/81029303215162"),
                                          ("PATCH", "/api/v1/kiosks/81029303215162"),
                                          ("POST", "/api/v1/staff/2147483648/tokens")])
def test_an_id_past_the_integer_range_is_not_found_whatever_the_method(client, clerk_headers, method, path):
    # Found by the run above: werkzeug answered 405 when another method's rule shared the path.
    response = client.open(path, method=method, headers=clerk_headers, json={})
    assert response.status_code == 404 and response.get_json()["error"]["code"]
