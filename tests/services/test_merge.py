"""Merging one organization into another: ties, properties, aliases, history, refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from constellation.analysis.audit import audit_workspace
from constellation.errors import InvalidQuestion, NotFound
from constellation.services.dedupe import MERGE_ACTION, dedupe, merge
from constellation.services.network import Network
from tests.helpers.store import snapshot

DAY = dt.date(2026, 6, 1)


def org(id, label, **props):
    return {"id": id, "kind": "organization", "label": label, "properties": props}


def tie(id, kind, source, target, **extra):
    return {"id": id, "kind": kind, "source": source, "target": target} | extra


SHARED_NODES = [
    {
        "id": "data",
        "kind": "constellation",
        "label": "Data Workgroup",
        "properties": {"status": "active"},
    },
    {"id": "g1", "kind": "goal", "label": "Graduation"},
    org("bechtel", "Bechtel Foundation", sector="philanthropy"),
    org("ucla", "UCLA", sector="higher-ed"),
]
SHARED_TIES = [
    tie("adv", "advances", "data", "g1"),
    tie("e5", "funds", "bechtel", "lausd", properties={"amount": 200, "currency": "USD"}),
]


def twice(repo):
    """The district entered twice: as LAUSD's full name and as "LA Unified"."""
    repo.create_workspace("twice")
    repo.bulk_upsert(
        "twice",
        SHARED_NODES
        + [
            org(
                "lausd",
                "Los Angeles Unified School District",
                sector="education",
                website="https://lausd.org",
            ),
            org(
                "la-unified",
                "LA Unified",
                sector="education",
                staff_capacity=2,
                website="http://lausd.net",
            ),
        ],
        SHARED_TIES
        + [
            tie("e1", "participates_in", "lausd", "data", valid_from="2020-01-01"),
            tie(
                "e2",
                "participates_in",
                "la-unified",
                "data",
                valid_from="2019-01-01",
                tags=["sheet-b"],
            ),
            tie("e3", "convenes", "la-unified", "data"),
            tie(
                "e4",
                "funds",
                "bechtel",
                "la-unified",
                properties={"amount": 100, "currency": "USD"},
            ),
            tie("e6", "collaborates_with", "lausd", "la-unified"),
            tie("e7", "collaborates_with", "ucla", "la-unified"),
        ],
    )


def once(repo):
    """The same network entered once."""
    repo.create_workspace("once")
    repo.bulk_upsert(
        "once",
        SHARED_NODES
        + [
            org(
                "lausd",
                "Los Angeles Unified School District",
                sector="education",
                website="https://lausd.org",
                staff_capacity=2,
            )
        ],
        SHARED_TIES
        + [
            tie(
                "e1", "participates_in", "lausd", "data", valid_from="2019-01-01", tags=["sheet-b"]
            ),
            tie("e3", "convenes", "lausd", "data"),
            tie("e4", "funds", "bechtel", "lausd", properties={"amount": 100, "currency": "USD"}),
            tie("e7", "collaborates_with", "ucla", "lausd"),
        ],
    )


def ties(repo, ws):
    return sorted(
        (e.id, e.kind, e.source, e.target, e.properties, e.valid_from, e.valid_to, e.tags)
        for e in repo.query_edges(ws)
    )


def test_a_merge_leaves_what_entering_the_data_once_would_have(store):
    with store.repository(actor="test") as repo:
        twice(repo)
        once(repo)
        report = merge(repo, "twice", "Los Angeles Unified School District", "LA Unified")
    assert report.moved == ["e3", "e4", "e7"]
    assert report.combined == {"e2": "e1"}
    assert report.dropped == ["e6"]
    assert report.aliases == ["LA Unified"]
    assert [(c.record, c.field, c.kept, c.dropped) for c in report.conflicts] == [
        ("lausd", "properties.website", "https://lausd.org", "http://lausd.net")
    ]
    with store.repository() as repo:
        assert ties(repo, "twice") == ties(repo, "once")
        with pytest.raises(NotFound):
            repo.get_node("twice", "la-unified")
        kept = repo.get_node("twice", "lausd")
        assert kept.properties == repo.get_node("once", "lausd").properties
        assert kept.attributes["aliases"] == ["LA Unified"]
        assert kept.version == 2
        # the audit is the audit of the network entered once
        merged = audit_workspace(repo, "twice", DAY).findings
        entered_once = audit_workspace(repo, "once", DAY).findings
        assert [(f.key, f.message) for f in merged] == [(f.key, f.message) for f in entered_once]
        # the change log shows the merge, and what it did to each record
        log = repo.changes("twice", limit=1000)
        [entry] = [c for c in log if c.action == MERGE_ACTION]
        assert (entry.entity, entry.entity_id, entry.actor) == ("node", "lausd", "test")
        assert entry.after["other"] == "la-unified" and entry.after["moved"] == ["e3", "e4", "e7"]
        assert entry.before["merged"]["label"] == "LA Unified"
        assert {(c.entity_id, c.action) for c in log} >= {
            ("la-unified", "delete"),
            ("e2", "delete"),
            ("e6", "delete"),
            ("e3", "update"),
            ("e1", "update"),
            ("lausd", "update"),
        }


def test_the_pair_is_proposed_by_dedupe_and_gone_after_the_merge(store):
    with store.repository() as repo:
        twice(repo)
        found = dedupe(Network(repo, "twice")).pairs
        assert [(p.a.id, p.b.id) for p in found] == [("la-unified", "lausd")]
        merge(repo, "twice", "lausd", "la-unified")
        assert dedupe(Network(repo, "twice")).pairs == []


def test_a_dry_run_says_what_a_merge_would_do_and_writes_nothing(store):
    with store.repository() as repo:
        twice(repo)
    before = snapshot(store, "twice")
    with store.repository() as repo:
        report = merge(repo, "twice", "lausd", "la-unified", dry_run=True)
    assert report.dry_run and report.moved == ["e3", "e4", "e7"]
    assert snapshot(store, "twice") == before


@pytest.mark.parametrize(
    "keep, other, message",
    [
        (
            "lausd",
            "data",
            "'Data Workgroup' (kind constellation) and 'Los Angeles Unified School District' "
            "(kind organization) are of different kinds",
        ),
        ("lausd", "Los Angeles Unified School District", "cannot be merged into itself"),
    ],
)
def test_a_merge_of_different_kinds_or_of_one_node_is_refused_and_nothing_is_written(
    store, keep, other, message
):
    with store.repository() as repo:
        twice(repo)
    before = snapshot(store, "twice")
    with store.repository() as repo, pytest.raises(InvalidQuestion) as info:
        merge(repo, "twice", keep, other)
    assert message in info.value.problems[0].message
    assert info.value.problems[0].field == "other"
    assert snapshot(store, "twice") == before


def test_two_different_grants_to_the_two_names_stay_two_grants(store):
    with store.repository() as repo:
        twice(repo)
        merge(repo, "twice", "lausd", "la-unified")
        grants = sorted(
            (e.id, e.properties["amount"]) for e in repo.query_edges("twice", kind="funds")
        )
    assert grants == [("e4", 100.0), ("e5", 200.0)]


def test_the_commands_list_the_pairs_and_merge_them(sqlite_url):
    import json

    from typer.testing import CliRunner

    from constellation.cli import app
    from constellation.store import Store

    url = sqlite_url
    store = Store(url)
    with store.repository() as repo:
        twice(repo)
    store.close()
    runner = CliRunner()
    listed = runner.invoke(app, ["dedupe", "--db", url, "-w", "twice", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert [(p["a"]["id"], p["b"]["id"]) for p in json.loads(listed.stdout)["pairs"]] == [
        ("la-unified", "lausd")
    ]
    table = runner.invoke(app, ["dedupe", "--db", url, "-w", "twice"])
    assert "LA Unified (la-unified)" in table.stdout and "same name" in table.stdout
    refused = runner.invoke(app, ["merge", "lausd", "data", "--db", url, "-w", "twice"])
    assert refused.exit_code == 1 and "are of different kinds" in refused.stderr
    dry = runner.invoke(
        app, ["merge", "lausd", "LA Unified", "--dry-run", "--db", url, "-w", "twice"]
    )
    assert dry.exit_code == 0 and "Nothing was written" in dry.stdout
    done = runner.invoke(app, ["merge", "lausd", "LA Unified", "--db", url, "-w", "twice"])
    assert done.exit_code == 0, done.output
    assert "la-unified merged into lausd: 3 tie(s) were moved" in done.stdout
    again = runner.invoke(app, ["dedupe", "--db", url, "-w", "twice", "--format", "json"])
    assert json.loads(again.stdout) == {"pairs": []}


def test_two_ties_of_the_other_that_say_one_thing_become_one_tie(store):
    with store.repository() as repo:
        repo.create_workspace("w")
        repo.bulk_upsert(
            "w",
            [
                org("a", "LAUSD"),
                org("b", "Los Angeles Unified"),
                {
                    "id": "c",
                    "kind": "constellation",
                    "label": "C",
                    "properties": {"status": "active"},
                },
            ],
            [
                tie("t1", "participates_in", "b", "c", valid_from="2016-01-01"),
                tie("t2", "participates_in", "b", "c", valid_from="2018-01-01"),
                tie("t3", "participates_in", "a", "c", valid_from="2020-01-01"),
            ],
        )
        report = merge(repo, "w", "a", "b")
        [left] = repo.query_edges("w")
    assert report.combined == {"t1": "t3", "t2": "t3"}
    assert (left.id, left.source, left.valid_from) == ("t3", "a", dt.date(2016, 1, 1))
