"""Every JSON answer of every route is a named model (or a list of one) in the OpenAPI
document, so clients and schemathesis know each answer's shape. `/api/schema` is the one
free-form answer: it *is* a set of JSON Schemas."""

from __future__ import annotations

import pytest

from api.app import create_app
from constellation.store import Store

FREE_FORM = {
    ("get", "/api/schema"),
    ("get", "/api/workspaces/{workspace}/export"),  # a file in one of several JSON formats
}


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'c.db'}")
    yield create_app(store=store).openapi()
    store.close()


def json_answers(spec):
    """(method, path, status, schema) of every 2xx JSON answer."""
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for status, response in op.get("responses", {}).items():
                content = response.get("content", {})
                if status.startswith("2") and "application/json" in content:
                    yield method, path, status, content["application/json"].get("schema", {})


def is_named(schema) -> bool:
    return "$ref" in schema or (schema.get("type") == "array" and "$ref" in schema["items"])


def test_every_json_answer_is_a_named_model(spec):
    unnamed = [
        (method, path, status)
        for method, path, status, schema in json_answers(spec)
        if (method, path) not in FREE_FORM and not is_named(schema)
    ]
    assert unnamed == []


def test_the_analyses_name_their_models(spec):
    refs = {
        (method, path): schema.get("$ref") or schema["items"]["$ref"]
        for method, path, _, schema in json_answers(spec)
        if is_named(schema)
    }
    ws = "/api/workspaces/{workspace}"
    assert refs[("get", f"{ws}/audit/diff")].endswith("/DiffResult")
    assert refs[("get", f"{ws}/audit/trend")].endswith("/TrendPoint")
    assert refs[("post", f"{ws}/whatif")].endswith("/WhatIfResult")
    assert refs[("get", f"{ws}/conveners")].endswith("/ConvenerRow")
    assert refs[("get", f"{ws}/conveners/by-goal")].endswith("/GoalRow")
    assert refs[("get", f"{ws}/stages")].endswith("/StagesReport")
    assert refs[("get", f"{ws}/overlap")].endswith("/OverlapReport")
    assert refs[("get", f"{ws}/commitments")].endswith("/CommitmentsReport")
    assert refs[("get", "/api/formats")].endswith("/FormatList")
    assert refs[("post", f"{ws}/import")].endswith("/ImportReport")


def test_the_reader_tells_named_from_free_form():
    assert is_named({"$ref": "#/components/schemas/X"})
    assert is_named({"type": "array", "items": {"$ref": "#/components/schemas/X"}})
    assert not is_named({"type": "object", "additionalProperties": True})
    assert not is_named({"type": "array", "items": {"type": "object"}})
