"""`GET …/constellations/{id}/candidates` and `POST …/constellations/candidates` through the
app, on SQLite and PostgreSQL: the shape the CLI prints as JSON, and clear refusals."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from constellation.cli import app as cli

LA = "/api/workspaces/la-compact"

pytestmark = pytest.mark.usefixtures("pinned_today")


def test_candidates_for_a_leaderless_constellation(client):
    r = client.get(f"{LA}/constellations/subsidized-jobs-workgroup/candidates", params={"limit": 3})
    assert r.status_code == 200, r.text
    found = r.json()
    assert len(found) == 3
    for c in found:
        assert list(c) == ["organization", "score", "criteria", "reason"]
        assert set(c["organization"]) == {"id", "label"}
        assert set(c["criteria"]) == {"skills", "bandwidth", "fit", "content_knowledge"}
    assert [c["score"] for c in found] == sorted((c["score"] for c in found), reverse=True)
    by_label = client.get(
        f"{LA}/constellations/Subsidized Jobs Workgroup/candidates", params={"limit": 3}
    )
    assert by_label.json() == found


def test_the_cli_prints_the_same_json(client, app_store, settings):
    api = client.get(f"{LA}/constellations/subsidized-jobs-workgroup/candidates").json()
    result = CliRunner().invoke(
        cli,
        [
            "candidates",
            "subsidized-jobs-workgroup",
            "-w",
            "la-compact",
            "--db",
            settings.database_url,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == api


def test_candidates_for_a_described_constellation(client):
    r = client.post(
        f"{LA}/constellations/candidates",
        json={"label": "Apprenticeships", "goals": ["goal-3-pathways-to-careers"], "limit": 5},
    )
    assert r.status_code == 200, r.text
    found = r.json()
    assert len(found) == 5
    assert all(c["criteria"]["fit"]["evidence"]["partner"] is False for c in found)
    by_area = client.post(f"{LA}/constellations/candidates", json={"issue_areas": ["Workforce"]})
    assert by_area.status_code == 200 and by_area.json()


def problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def test_bad_questions_are_problems(client):
    problem(client.get(f"{LA}/constellations/nobody/candidates"), 404)
    body = problem(client.get(f"{LA}/constellations/unite-la/candidates"), 422)
    assert "not a constellation" in body["detail"]
    problem(client.post(f"{LA}/constellations/candidates", json={}), 422)
    problem(client.post(f"{LA}/constellations/candidates", json={"goals": ["nowhere"]}), 404)
    problem(client.post(f"{LA}/constellations/candidates", json={"goals": ["unite-la"]}), 422)
    problem(client.post(f"{LA}/constellations/candidates", json={"colour": "red"}), 422)
