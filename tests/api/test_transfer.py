"""Import (upload) and export (download) through the HTTP service."""

from __future__ import annotations

import json

from .test_api import LA, is_problem

KUMU = b"Label,Type,Tags\nLos Angeles Public Library,Organization,partner|library\n"
EDGES = b"From,To,Type\nLos Angeles Public Library,L.A. Regional STEM Hub,Participates In\n"


def upload(client, headers, *files, workspace="la-compact", **form):
    return client.post(
        f"/api/workspaces/{workspace}/import",
        headers=headers,
        files=[("files", f) for f in files],
        data={k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()},
    )


def test_formats_are_listed(client):
    formats = client.get("/api/formats").json()
    assert "kumu" in formats["import"] and "360giving" in formats["import"]
    assert {f["name"] for f in formats["export"]} >= {
        "native",
        "kumu-xlsx",
        "graphml",
        "gexf",
        "cytoscape",
        "csv",
    }


def test_upload_imports_all_or_nothing_and_idempotently(client, tokens):
    h = tokens["editor"]
    files = [("elements.csv", KUMU, "text/csv"), ("connections.csv", EDGES, "text/csv")]
    dry = upload(client, h, *files, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] and dry.json()["nodes_created"]
    is_problem(client.get(f"{LA}/nodes/los-angeles-public-library"), 404)
    first = upload(client, h, *files).json()
    assert first["format"] == "kumu"
    assert len(first["nodes_created"]) == 1 and len(first["edges_created"]) == 1
    node = client.get(f"{LA}/nodes/{first['nodes_created'][0]}").json()
    assert node["tags"] == ["partner", "library"]
    again = upload(client, h, *files).json()
    assert again["nodes_created"] == [] and again["edges_created"] == []


def test_a_bad_file_is_refused_with_where_and_why(client, tokens):
    bad = b"Label,Type\nSomeone,Planet\n"
    body = is_problem(upload(client, tokens["editor"], ("elements.csv", bad, "text/csv")), 422)
    assert "Planet" in body["detail"]
    assert any("elements.csv" in (e.get("position") or "") for e in body["errors"])
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<graphml><graph><node id="&e;"/></graph></graphml>'
    )
    is_problem(upload(client, tokens["editor"], ("evil.graphml", hostile, "application/xml")), 422)
    is_problem(upload(client, tokens["editor"], ("x.csv", KUMU, "text/csv"), format="dbase"), 422)


def test_upload_needs_an_editor(client, tokens):
    is_problem(upload(client, {}, ("elements.csv", KUMU, "text/csv")), 401)
    is_problem(upload(client, tokens["viewer"], ("elements.csv", KUMU, "text/csv")), 403)


def test_upload_over_the_limit_is_413(client, tokens, settings):
    big = b"Label,Type\n" + b"x" * (settings.max_upload_bytes + 10) + b",Organization\n"
    is_problem(upload(client, tokens["editor"], ("big.csv", big, "text/csv")), 413)


def test_export_downloads_and_native_round_trips(client, tokens):
    r = client.get(f"{LA}/export", params={"format": "native"})
    assert r.status_code == 200
    assert 'attachment; filename="la-compact' in r.headers["content-disposition"]
    document = r.json()
    assert len(document["nodes"]) >= 87
    for fmt in ("kumu", "kumu-xlsx", "graphml", "gexf", "cytoscape", "csv"):
        assert client.get(f"{LA}/export", params={"format": fmt}).status_code == 200
    is_problem(client.get(f"{LA}/export", params={"format": "pdf"}), 422)
    admin = tokens["admin"]
    assert client.post("/api/workspaces", json={"slug": "copy"}, headers=admin).status_code == 201
    report = upload(
        client,
        admin,
        ("la.constellation.json", json.dumps(document).encode(), "application/json"),
        workspace="copy",
    )
    assert report.status_code == 200, report.text
    copied = client.get(
        "/api/workspaces/copy/export", params={"format": "native"}, headers=admin
    ).json()
    assert len(copied["nodes"]) == len(document["nodes"])
    assert len(copied["edges"]) == len(document["edges"])
