"""Schemathesis over the survey's two operations alone (the whole-API run covers them too,
slowly): no 5xx, only documented status codes."""
from __future__ import annotations

import schemathesis

from .test_openapi_fuzz import fuzz, owner_token  # noqa: F401 - the fixture is used by name


def test_the_survey_operations_answer_no_5xx_and_only_documented_codes(app, demo, owner_token):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    found: dict[str, str] = {}
    answered: set[tuple[str, int]] = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in ("/tickets/{token}/survey", "/offices/{office}/skm"):
            fuzz(operation, owner_token(), found, answered)
    assert found == {}
    assert {label for label, _ in answered} == {"POST /tickets/{token}/survey", "GET /offices/{office}/skm"}
