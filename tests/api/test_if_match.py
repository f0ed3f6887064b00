"""`If-Match: *` is no version: refused (428) where If-Match is required, and the OpenAPI
document says what the service does (If-Match required, 428 and 503 documented, the export's
media types)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

NODE = "/api/workspaces/la-compact/nodes/unite-la"


@pytest.mark.parametrize(
    "method,suffix", [("PATCH", ""), ("DELETE", ""), ("POST", "/archive"), ("POST", "/restore")]
)
def test_if_match_star_is_refused_like_no_if_match(client, tokens, method, suffix):
    before = client.get(NODE).json()
    kwargs = {"json": {"label": "Star"}} if method == "PATCH" else {}
    r = client.request(
        method, NODE + suffix, headers=tokens["editor"] | {"If-Match": "*"}, **kwargs
    )
    assert r.status_code == 428, r.text
    assert "If-Match: * names no version" in r.json()["detail"]
    assert client.get(NODE).json() == before


def test_if_match_star_is_allowed_only_where_if_match_is_not_required(settings, app_store, tokens):
    app = create_app(settings.model_copy(update={"require_if_match": False}), store=app_store)
    with TestClient(app) as c:
        r = c.patch(NODE, json={"label": "Star"}, headers=tokens["editor"] | {"If-Match": "*"})
        assert r.status_code == 200 and r.json()["label"] == "Star"


def test_openapi_says_if_match_is_required_and_what_else_is_answered(client):
    spec = client.get("/openapi.json").json()
    item = spec["paths"]["/api/workspaces/{workspace}/nodes/{record_id}"]
    for operation in (
        item["patch"],
        item["delete"],
        spec["paths"]["/api/workspaces/{workspace}/nodes/{record_id}/archive"]["post"],
    ):
        (if_match,) = [p for p in operation["parameters"] if p["name"].lower() == "if-match"]
        assert if_match["required"] is True
        assert {"412", "428", "503"} <= set(operation["responses"])
    export = spec["paths"]["/api/workspaces/{workspace}/export"]["get"]["responses"]["200"]
    assert "application/json" in export["content"]  # the native export
    assert "400" in spec["paths"]["/api/workspaces/{workspace}/import"]["post"]["responses"]
