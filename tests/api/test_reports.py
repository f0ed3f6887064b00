"""Indicator trends, charts and the meeting packet over HTTP, and the same JSON from the CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from constellation.cli import app as cli

WS = "/api/workspaces/achieve-escambia"


def cli_json(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_indicators_json_is_the_same_from_the_api_and_the_cli(client, settings):
    r = client.get(f"{WS}/indicators", params={"as_of": "2024-06-01"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["workspace"] == "achieve-escambia" and body["as_of"] == "2024-06-01"
    ids = [t["id"] for t in body["indicators"]]
    assert "four-year-graduation-rate" in ids
    printed = cli_json(
        "indicators",
        "--db",
        settings.database_url,
        "-w",
        "achieve-escambia",
        "--as-of",
        "2024-06-01",
        "--format",
        "json",
    )
    assert printed == body


def test_one_indicator_is_its_entry_in_the_list(client):
    listed = client.get(f"{WS}/indicators", params={"as_of": "2024-06-01"}).json()
    entry = next(t for t in listed["indicators"] if t["id"] == "four-year-graduation-rate")
    r = client.get(f"{WS}/indicators/four-year-graduation-rate", params={"as_of": "2024-06-01"})
    assert r.status_code == 200
    assert r.json() == entry


def test_indicators_by_goal_and_unknown_names(client):
    listed = client.get(f"{WS}/indicators").json()["indicators"]
    goal = next(g for t in listed for g in t["goals"])
    by_goal = client.get(f"{WS}/indicators", params={"goal": goal["id"]}).json()
    assert by_goal["goal"] == goal
    assert by_goal["indicators"] and all(
        goal["id"] in [g["id"] for g in t["goals"]] for t in by_goal["indicators"]
    )
    r = client.get(f"{WS}/indicators/no-such-indicator")
    assert r.status_code == 404
    assert "no-such-indicator" in r.json()["detail"]
    r = client.get(f"{WS}/indicators/achieve-escambia-org")  # a node, but not an indicator
    assert r.status_code == 404
    assert "No indicator 'achieve-escambia-org'" in r.json()["detail"]
    r = client.get(f"{WS}/indicators", params={"goal": "achieve-escambia-org"})
    assert r.status_code == 422
    assert "is not a goal" in r.json()["detail"]
    r = client.get(f"{WS}/indicators", params={"window": 1})
    assert r.status_code == 422


def test_an_indicator_chart_is_svg_with_its_series_and_target(client):
    r = client.get(f"{WS}/indicators/kindergarten-readiness-rate/chart.svg")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    svg = r.text
    assert svg.startswith("<svg ")
    for text in ("Children ready for kindergarten", "race: Black", "baseline 54%", "2025-09-30"):
        assert text in svg
    assert client.get(f"{WS}/indicators/nothing-here/chart.svg").status_code == 404


def test_the_report_as_html_and_pdf(client):
    from constellation.report.pdf import pdf_available

    r = client.get(f"{WS}/report", params={"as_of": "2024-06-01"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    health = client.get(f"{WS}/audit", params={"as_of": "2024-06-01"}).json()["summary"]["health"]
    assert f'<span class="big">{health["score"]}</span>/100' in r.text
    assert r.text.count('<figure class="curve"') == len(
        client.get(f"{WS}/indicators", params={"as_of": "2024-06-01"}).json()["indicators"]
    )
    if pdf_available():  # the PDF's pages are tested in tests/report
        r = client.get(f"{WS}/report", params={"as_of": "2024-06-01", "format": "pdf"})
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF-")
        assert "achieve-escambia-packet-2024-06-01.pdf" in r.headers["content-disposition"]


def test_the_report_refuses_bad_requests(client, tokens):
    r = client.get(f"{WS}/report", params={"format": "docx"})
    assert r.status_code == 422
    r = client.get(f"{WS}/report", params={"as_of": "2024-06-01", "since": "2024-07-01"})
    assert r.status_code == 422
    assert "must be before the packet's date" in r.json()["detail"]
    assert client.get("/api/workspaces/private/report").status_code == 404  # anonymous
    r = client.get("/api/workspaces/nowhere/report", headers=tokens["admin"])
    assert r.status_code == 404


def test_the_map_picture_as_svg(client):
    r = client.get(f"{WS}/map.svg", params={"as_of": "2024-06-01"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    nodes = client.get(f"{WS}/nodes", params={"as_of": "2024-06-01", "limit": 500}).json()
    assert r.text.count("<g data-id=") == nodes["total"]
    assert 'class="map-picture"' in r.text
