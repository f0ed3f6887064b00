"""A large upload is answered at once (202) and imported as a job whose state can be read."""

from __future__ import annotations

import time

from api.jobs import JOB_ROWS

from .test_api import LA, is_problem
from .test_transfer import upload

ROWS = JOB_ROWS + 500


def orgs(rows: int, bad: set[int] = frozenset()) -> bytes:
    """A Kumu element table of `rows` organizations; rows in `bad` are of no known type."""
    lines = ["Label,Type"] + [
        f"Jobs Org {i}," + ("Planet" if i in bad else "Organization") for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def ended(client, headers, url: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(url, headers=headers).json()
        if job["state"] in ("done", "failed"):
            return job
        assert job["state"] in ("queued", "running")
        time.sleep(0.1)
    raise AssertionError("the job did not end within 120 s")


def count(client, headers) -> int:
    return client.get(f"{LA}/nodes?limit=1", headers=headers).json()["total"]


def test_a_large_upload_is_a_job_that_ends_with_the_report(client, tokens):
    h = tokens["editor"]
    before = count(client, h)
    r = upload(client, h, ("orgs.csv", orgs(ROWS)), format="kumu")
    assert r.status_code == 202, r.text
    body = r.json()
    assert set(body) == {"id", "url"} and r.headers["location"] == body["url"]
    assert body["url"] == f"{LA}/jobs/{body['id']}"
    job = ended(client, h, body["url"])
    assert job["state"] == "done" and job["rows_total"] == ROWS and job["rows_done"] == ROWS
    assert len(job["report"]["nodes_created"]) == ROWS and job["problems"] is None
    assert count(client, h) == before + ROWS
    # the job is the uploader's business: editors of the workspace only
    is_problem(client.get(body["url"], headers=tokens["viewer"]), 403)
    is_problem(client.get(f"{LA}/jobs/nope", headers=h), 404)


def test_a_bad_large_upload_fails_with_its_problems_and_changes_nothing(client, tokens):
    h = tokens["editor"]
    before = count(client, h)
    r = upload(client, h, ("orgs.csv", orgs(ROWS, bad={7, 2499})), format="kumu")
    assert r.status_code == 202, r.text
    job = ended(client, h, r.json()["url"])
    assert job["state"] == "failed" and job["report"] is None
    # one problem per cause, naming the file, its rows and the field
    [problem] = job["problems"]
    assert problem["field"] == "kind" and "Planet" in problem["message"]
    assert problem["position"].startswith("orgs.csv rows 9, 2501")
    assert count(client, h) == before


def test_a_small_upload_is_answered_with_its_report_as_before(client, tokens):
    r = upload(client, tokens["editor"], ("orgs.csv", orgs(10)), format="kumu")
    assert r.status_code == 200 and len(r.json()["nodes_created"]) == 10
