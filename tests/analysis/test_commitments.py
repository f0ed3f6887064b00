"""Issue 17: signers' institutional commitments read by signer and by goal, and the check
`stale_commitments` — fresh, stale, fulfilled and withdrawn commitments, what staleness
counts from, the signer with nothing left standing, the parameter and the health score."""

from __future__ import annotations

import datetime as dt

import pytest

from constellation.analysis.audit import run_audit
from constellation.analysis.commitments import (
    commitments_report,
    signer_commitments,
    stale_commitments,
)
from constellation.analysis.stages import add_months
from constellation.errors import InvalidQuestion
from tests.helpers.builders import TODAY, G, edge, node, org

COMPACT = node("compact", "initiative")
GOALS = [
    node("goal-b", "goal", number=2),
    node("goal-a", "goal", number=1),
]


def note(day, text="progress"):
    return {"date": day, "note": text}


def c(text, status="in_progress", *notes, **more):
    return {"text": text, "status": status, "progress": list(notes)} | more


def signs(signer, *commitments, date="2020-01-01", **extra):
    props = {"commitments": list(commitments)}
    if date:
        props["date"] = date
    return edge(
        "signs", signer, "compact", properties=props, id=f"{signer}--signs--compact", **extra
    )


def graph(*ties, signers=("lausd",), as_of=TODAY):
    return G([COMPACT, *GOALS, *(org(s) for s in signers)], ties, as_of=as_of)


def stale_ids(findings):
    return [
        f.evidence["commitment"] for f in findings if f.evidence["reason"] == "no_recent_progress"
    ]


def lapsed(findings):
    return [f.subjects[0].id for f in findings if f.evidence["reason"] == "every_commitment_lapsed"]


def test_fresh_stale_fulfilled_and_withdrawn():
    year_ago = add_months(TODAY, -12).isoformat()  # exactly the window: still fresh
    g = graph(
        signs(
            "lausd",
            c("Fresh", "in_progress", note("2024-03-01")),
            c("On the day", "in_progress", note(year_ago)),
            c("A day late", "in_progress", note("2023-05-31")),
            c("Kept", "fulfilled", note("2015-01-01")),
            c("Given up", "withdrawn"),
            c("Not started", "not_started", note("2021-01-01")),
        )
    )
    found = stale_commitments(g)
    assert stale_ids(found) == ["not-started", "a-day-late"]  # longest without news first
    by_id = {f.evidence["commitment"]: f for f in found}
    assert by_id["a-day-late"].severity.value == "low"
    assert by_id["not-started"].severity.value == "medium"  # more than twice the window
    assert by_id["not-started"].evidence == {
        "reason": "no_recent_progress",
        "edge": "lausd--signs--compact",
        "commitment": "not-started",
        "status": "not_started",
        "goal": None,
        "last_progress": "2021-01-01",
        "counted_from": "2021-01-01",
        "months_since": 41,
        "stale_commitment_months": 12,
    }
    assert by_id["a-day-late"].message == (
        "Lausd's commitment “A day late” has had no progress note for 12 months, since 2023-05-31."
    )
    assert [s.id for s in by_id["a-day-late"].subjects] == ["lausd", "compact"]
    assert "fulfilled or withdrawn" in by_id["a-day-late"].suggestion
    assert lapsed(found) == []  # it has fresh and kept commitments


def test_with_no_note_the_months_count_from_the_signing():
    g = graph(
        signs("lausd", c("From the date", "not_started"), date="2023-01-01"),
        signs("ucla", c("Recent", "not_started"), date="2024-01-01"),
        signs("usc", c("From valid_from", "not_started"), date=None, valid_from="2022-03-01"),
        signers=("lausd", "ucla", "usc"),
    )
    rows = {r.id: r for r in signer_commitments(g)}
    assert rows["from-the-date"].counted_from == dt.date(2023, 1, 1)
    assert rows["from-the-date"].stale and rows["from-the-date"].last_progress is None
    assert not rows["recent"].stale and rows["recent"].months_since == 5
    assert (
        rows["from-valid-from"].counted_from == dt.date(2022, 3, 1)
        and rows["from-valid-from"].stale
    )
    found = {
        f.evidence["commitment"]: f for f in stale_commitments(g) if "commitment" in f.evidence
    }
    assert found["from-the-date"].message == (
        "Lausd's commitment “From the date” has no progress note in the 17 months since it "
        "was signed on 2023-01-01."
    )


def test_with_no_date_at_all_a_commitment_is_stale():
    g = graph(signs("lausd", c("Undated", "in_progress"), date=None))
    [row] = signer_commitments(g)
    assert row.stale and row.counted_from is None and row.months_since is None
    [commitment, signer] = stale_commitments(g)
    assert commitment.severity.value == "low"
    assert "no date to count from" in commitment.message
    assert signer.evidence["reason"] == "every_commitment_lapsed"


def test_notes_after_the_date_are_not_known_yet():
    tie = signs("lausd", c("Later", "in_progress", note("2020-01-01"), note("2025-01-01")))
    [row] = signer_commitments(graph(tie))
    assert [n.date for n in row.progress] == [dt.date(2020, 1, 1)]
    assert row.last_progress == dt.date(2020, 1, 1) and row.stale
    [then] = signer_commitments(graph(tie, as_of=dt.date(2025, 6, 1)))
    assert then.last_progress == dt.date(2025, 1, 1) and not then.stale


def test_notes_are_read_oldest_first_whatever_their_order():
    g = graph(signs("lausd", c("Mixed", "in_progress", note("2024-02-01"), note("2019-01-01"))))
    [row] = signer_commitments(g)
    assert [n.date.isoformat() for n in row.progress] == ["2019-01-01", "2024-02-01"]
    assert row.last_progress == dt.date(2024, 2, 1) and not row.stale


def test_a_signer_whose_every_commitment_is_withdrawn_or_stale():
    g = graph(
        signs("utla", c("Old", "in_progress", note("2021-06-01")), c("Dropped", "withdrawn")),
        signs("aala", c("Dropped", "withdrawn"), c("Also dropped", "withdrawn")),
        signs("lausd", c("Old", "in_progress", note("2021-06-01")), c("Done", "fulfilled")),
        signs(
            "ucla",
            c("Old", "in_progress", note("2021-06-01")),
            c("New", "in_progress", note("2024-05-01")),
        ),
        signers=("utla", "aala", "lausd", "ucla"),
    )
    found = stale_commitments(g)
    assert sorted(lapsed(found)) == ["aala", "utla"]
    utla = next(f for f in found if lapsed([f]) == ["utla"])
    assert utla.severity.value == "medium"
    assert utla.message == (
        "Every commitment Utla made to the shared agenda is withdrawn or stale (1 withdrawn, "
        "1 stale)."
    )
    assert utla.evidence == {
        "reason": "every_commitment_lapsed",
        "edges": ["utla--signs--compact"],
        "commitments": 2,
        "withdrawn": 1,
        "stale": 1,
        "last_progress": "2021-06-01",
        "stale_commitment_months": 12,
    }
    assert [s.id for s in utla.subjects] == ["utla", "compact"]
    assert utla.key == "stale_commitments:utla:every_commitment_lapsed"
    # withdrawn is never stale itself: only the stale ones are findings of their own
    assert sorted(stale_ids(found)) == ["old", "old", "old"]


def test_the_parameter_moves_the_line_and_is_bounded():
    g = graph(signs("lausd", c("Two years", "in_progress", note("2022-06-01"))))
    assert stale_ids(stale_commitments(g)) == ["two-years"]
    assert stale_commitments(g, {"stale_commitment_months": 24}) == []
    assert stale_ids(stale_commitments(g, {"stale_commitment_months": 23})) == ["two-years"]
    for bad in (0, 601):
        with pytest.raises(InvalidQuestion) as info:
            stale_commitments(g, {"stale_commitment_months": bad})
        assert info.value.problems[0].field == "params.stale_commitment_months"


def test_the_health_score_counts_commitments_and_their_signers():
    g = graph(
        signs("lausd", c("Stale", "in_progress", note("2020-01-01")), c("Done", "fulfilled")),
        signs("utla", c("Stale too", "in_progress", note("2020-01-01"))),
        signers=("lausd", "utla"),
    )
    report = run_audit(g, checks=["stale_commitments"])
    part = report.summary["health"]["by_check"]["stale_commitments"]
    # three commitments and two signers; two stale commitments and one lapsed signer (utla)
    assert (part["population"], part["findings"], part["weight"]) == (5, 3, 1)
    assert part["pass_rate"] == 0.4
    without = run_audit(graph(signs("lausd", date="2020-01-01")), checks=["stale_commitments"])
    assert "stale_commitments" not in without.summary["health"]["by_check"]  # nothing to judge


def test_the_report_by_signer_and_by_goal():
    g = graph(
        signs(
            "ucla",
            c("Data", "in_progress", note("2024-01-01"), goal="goal-b"),
            c("Loose", "not_started"),
        ),
        signs("lausd", c("Teachers", "fulfilled", goal="goal-a"), c("More data", goal="goal-b")),
        signs("usc", c("Gone", "in_progress", goal="goal-gone")),  # a goal no longer there
        signers=("ucla", "lausd", "usc"),
    )
    by_signer = commitments_report(g, "signer")
    assert [grp.subject.id for grp in by_signer.groups] == ["lausd", "ucla", "usc"]
    assert [r.id for r in by_signer.groups[1].commitments] == ["data", "loose"]  # as listed
    assert by_signer.total == 5 and by_signer.stale == 3
    assert by_signer.by_status == {
        "not_started": 1,
        "in_progress": 3,
        "fulfilled": 1,
        "withdrawn": 0,
    }
    assert by_signer.groups[0].by_status["fulfilled"] == 1 and by_signer.groups[0].stale == 1
    assert [s.id for s in by_signer.lapsed_signers] == ["usc"]
    by_goal = commitments_report(g, "goal")
    assert [grp.subject and grp.subject.id for grp in by_goal.groups] == [
        "goal-a",  # number 1
        "goal-b",  # number 2
        "goal-gone",  # not in the network: after the numbered ones
        None,  # no goal: last
    ]
    assert [(r.signer.id, r.id) for r in by_goal.groups[1].commitments] == [
        ("lausd", "more-data"),
        ("ucla", "data"),
    ]
    gone = by_goal.groups[2].subject
    assert (gone.label, gone.kind) == ("goal-gone", "goal")
    assert by_goal.model_dump(mode="json")["groups"][0]["commitments"][0]["goal"] == {
        "id": "goal-a",
        "kind": "goal",
        "label": "Goal-A",
    }


def test_the_la_compact_demo_has_commitments_to_show(demo_store, pinned_today):
    from constellation.analysis.audit import audit_workspace
    from constellation.graph import load_graph

    with demo_store.repository() as repo:
        report = audit_workspace(repo, "la-compact", checks=["stale_commitments"])
        rows = signer_commitments(load_graph(repo, "la-compact", pinned_today))
    found = report.findings
    stale = {
        (f.subjects[0].id, f.evidence["commitment"]): f.severity.value
        for f in found
        if "commitment" in f.evidence
    }
    assert stale == {
        ("csu-northridge", "teacher-preparation"): "low",  # last note February 2025
        ("usc", "data-sharing"): "medium",  # never started since signing in 2008
    }
    assert lapsed(found) == ["usc"]  # the other one withdrawn
    statuses = {r.status.value for r in rows}
    assert statuses == {"in_progress", "fulfilled", "withdrawn", "not_started"}
    fresh = [r for r in rows if r.status.value == "in_progress" and not r.stale]
    assert len(fresh) >= 5 and all(r.months_since < 12 for r in fresh)
    assert all("illustrative" in n.note for r in rows for n in r.progress)
    part = report.summary["health"]["by_check"]["stale_commitments"]
    assert (part["findings"], part["population"]) == (3, 14 + 9)
    with demo_store.repository() as repo:
        escambia = audit_workspace(repo, "achieve-escambia", checks=["stale_commitments"])
    assert "stale_commitments" not in escambia.summary["health"]["by_check"]  # none recorded
