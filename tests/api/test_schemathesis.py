"""Property-based run of schemathesis against our own /openapi.json, in process and bounded:
no 5xx, and no response that breaks the schema the service itself publishes."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from constellation.config import Settings
from constellation.store import Store

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def served(tmp_path_factory, demo_databases):
    url = demo_databases.sqlite(tmp_path_factory.mktemp("fuzz") / "fuzz.db", ("la-compact",))
    store = Store(url)
    with store.repository() as repo:
        _, secret = repo.create_token("admin", None, "schemathesis")
    app = create_app(Settings(database_url=url, require_if_match=False), store=store)
    yield app, {"Authorization": f"Bearer {secret}"}
    store.close()


def test_no_server_error_and_responses_match_the_schema(served):
    """Every operation, a bounded number of generated requests each; all failures listed."""
    app, auth = served
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            if "workspace" in (case.path_parameters or {}) and case.method != "DELETE":
                case.path_parameters["workspace"] = "la-compact"  # get past the 404 mostly
            response = case.call(headers=auth)
            statuses.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # a failing check: keep going, report them all
            failures.append(
                f"{operation.method.upper()} {operation.path}: {str(exc).strip()[:1500]}"
            )
    assert not failures, "\n\n".join(failures)
    assert len(statuses) > 5 * len(operations), "the fuzzer really sent requests"
    assert any(200 <= code < 300 for code in statuses), "some requests got through"
    assert all(code < 500 for code in statuses)
