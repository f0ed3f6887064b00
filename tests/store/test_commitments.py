"""Issue 17: a signer's institutional commitments as records — validated by the vocabulary
(status as people write it, ids derived and unique within the tie), and their goals checked
by the store against what the workspace holds, on both engines."""

from __future__ import annotations

import pytest

from constellation import vocabulary as vocab
from constellation.errors import InvalidRecords
from constellation.vocabulary import PropertyError, validate_properties
from tests.helpers.store import snapshot

TEACHERS = "Prepare high-quality teachers for LAUSD classrooms"
DATA = (
    "Develop/improve data sharing agreements between LAUSD and IHEs to better inform program design"
)


def errors(props):
    with pytest.raises(PropertyError) as info:
        validate_properties("signs", props)
    return info.value.errors


# ---------------------------------------------------------------------------- the vocabulary


def test_a_commitment_is_normalised_and_its_id_derived_from_its_text():
    props = validate_properties(
        "signs",
        {
            "date": "2008-01-01",
            "commitment": "The Compact, as signed",
            "commitments": [
                {
                    "text": f"  {TEACHERS} ",
                    "goal": "goal-1",
                    "strategy": "Strategy #1: Teacher preparation",
                    "status": "In progress",
                    "progress": [{"date": "2025-09-01", "note": "First cohort placed"}],
                },
                {"text": DATA, "status": "not started"},
            ],
        },
    )
    first, second = props["commitments"]
    assert first == {
        "id": "prepare-high-quality-teachers-for-lausd",
        "text": TEACHERS,
        "goal": "goal-1",
        "strategy": "Strategy #1: Teacher preparation",
        "status": "in_progress",
        "progress": [{"date": "2025-09-01", "note": "First cohort placed"}],
    }
    assert second["id"] == "develop-improve-data-sharing-agreements"
    assert second["status"] == "not_started" and second["progress"] == []
    assert props["commitment"] == "The Compact, as signed"  # the free text stays


def test_every_status_is_accepted_as_people_write_it():
    for written, stored in [
        ("Not started", "not_started"),
        ("not-started", "not_started"),
        ("IN PROGRESS", "in_progress"),
        ("Fulfilled", "fulfilled"),
        (" withdrawn ", "withdrawn"),
    ]:
        props = validate_properties("signs", {"commitments": [{"text": "x", "status": written}]})
        assert props["commitments"][0]["status"] == stored
    assert [s.value for s in vocab.CommitmentStatus] == [
        "not_started",
        "in_progress",
        "fulfilled",
        "withdrawn",
    ]


def test_a_bad_status_names_the_item_and_the_choices():
    [(field, message)] = errors({"commitments": [{"text": "a"}, {"text": "b", "status": "done"}]})
    assert field == "commitments.1.status"
    assert "'in_progress'" in message and "'withdrawn'" in message


def test_a_commitment_needs_its_text_and_dated_notes_and_nothing_else():
    assert errors({"commitments": [{"goal": "goal-1"}]}) == [
        ("commitments.0.text", "Field required")
    ]
    assert errors({"commitments": [{"text": "  "}]})[0][0] == "commitments.0.text"
    assert errors({"commitments": [{"text": "a", "progress": [{"note": "x"}]}]}) == [
        ("commitments.0.progress.0.date", "Field required")
    ]
    assert errors({"commitments": [{"text": "a", "owner": "Sam"}]}) == [
        ("commitments.0.owner", "Extra inputs are not permitted")
    ]
    [(field, message)] = errors({"commitments": [{"id": "Teachers!", "text": "a"}]})
    assert field == "commitments.0.id" and "leave it out to derive one" in message


def test_a_duplicate_id_is_refused_on_the_item_that_repeats_it():
    assert errors(
        {"commitments": [{"id": "teachers", "text": "a"}, {"id": "teachers", "text": "b"}]}
    ) == [
        (
            "commitments.1.id",
            "the id 'teachers' is taken by commitment 0; give each commitment of a signer "
            "its own id",
        )
    ]


def test_derived_ids_step_around_the_ids_already_there():
    props = validate_properties(
        "signs",
        {
            "commitments": [
                {"text": TEACHERS},
                {"text": TEACHERS + " (again)"},
                {"id": "prepare-high-quality-teachers-for-lausd-2", "text": "given"},
            ]
        },
    )
    assert [c["id"] for c in props["commitments"]] == [
        "prepare-high-quality-teachers-for-lausd",
        "prepare-high-quality-teachers-for-lausd-3",  # -2 is given to the third
        "prepare-high-quality-teachers-for-lausd-2",
    ]


def test_a_commitment_made_in_code_gets_its_id_too():
    assert vocab.Commitment(text=TEACHERS).id == "prepare-high-quality-teachers-for-lausd"
    assert vocab.commitment_id("Data") == "data"


# ---------------------------------------------------------------------------- the store


@pytest.fixture
def ws(store):
    with store.repository() as r:
        r.create_workspace("la")
        r.bulk_upsert(
            "la",
            [
                {"id": "la-compact", "kind": "initiative", "label": "L.A. Compact"},
                {"id": "lausd", "kind": "organization", "label": "LAUSD"},
                {"id": "goal-1", "kind": "goal", "label": "All students graduate"},
                {"id": "goal-2", "kind": "goal", "label": "All students go to college"},
            ],
            [{"kind": "signs", "source": "lausd", "target": "la-compact"}],
        )
    return "la"


SIGNS = "lausd--signs--la-compact"


def test_a_commitment_may_serve_a_goal_of_the_workspace(store, ws):
    with store.repository() as r:
        edge = r.update_edge(
            ws, SIGNS, {"properties": {"commitments": [{"text": TEACHERS, "goal": "goal-1"}]}}
        )
    assert edge.properties["commitments"][0]["goal"] == "goal-1"


@pytest.mark.parametrize(
    ("goal", "words"),
    [
        ("goal-9", "no node 'goal-9' in this workspace"),
        ("lausd", "'lausd' is an organization, not a goal"),
    ],
)
def test_a_goal_that_is_not_a_goal_of_the_workspace_is_refused(store, ws, goal, words):
    before = snapshot(store, ws)
    bad = {"commitments": [{"text": "a", "goal": "goal-1"}, {"text": "b", "goal": goal}]}
    with pytest.raises(InvalidRecords) as info, store.repository() as r:
        r.update_edge(ws, SIGNS, {"properties": bad})
    [problem] = info.value.problems
    assert problem.field == "properties.commitments.1.goal"
    assert words in problem.message
    assert "goal-1, goal-2" in problem.message  # the ones it could name
    assert problem.record == SIGNS
    assert snapshot(store, ws) == before


def test_a_goal_may_come_in_the_same_batch_and_a_bad_one_names_the_row(store, ws):
    with store.repository() as r:
        r.bulk_upsert(
            ws,
            [
                {"id": "ucla", "kind": "organization", "label": "UCLA"},
                {"id": "goal-3", "kind": "goal", "label": "Careers"},
            ],
            [
                {
                    "kind": "signs",
                    "source": "ucla",
                    "target": "la-compact",
                    "properties": {"commitments": [{"text": "Jobs", "goal": "goal-3"}]},
                }
            ],
        )
    before = snapshot(store, ws)
    with pytest.raises(InvalidRecords) as info, store.repository() as r:
        r.bulk_upsert(
            ws,
            [],
            [
                {"kind": "signs", "source": "lausd", "target": "la-compact"},
                {
                    "kind": "signs",
                    "source": "ucla",
                    "target": "la-compact",
                    "properties": {"commitments": [{"text": "Jobs", "goal": "goal-4"}]},
                },
            ],
        )
    [problem] = info.value.problems
    assert (problem.position, problem.field) == ("edges[1]", "properties.commitments.0.goal")
    assert snapshot(store, ws) == before


def test_with_no_goal_at_all_the_error_says_to_make_one(store):
    with store.repository() as r:
        r.create_workspace("bare")
        r.bulk_upsert(
            "bare",
            [
                {"id": "i", "kind": "initiative", "label": "I"},
                {"id": "o", "kind": "organization", "label": "O"},
            ],
        )
    with pytest.raises(InvalidRecords) as info, store.repository() as r:
        r.create_edge(
            "bare",
            {
                "kind": "signs",
                "source": "o",
                "target": "i",
                "properties": {"commitments": [{"text": "a", "goal": "g"}]},
            },
        )
    assert "the workspace has no goal yet" in info.value.problems[0].message


def test_a_list_replaces_the_one_before(store, ws):
    with store.repository() as r:
        r.update_edge(ws, SIGNS, {"properties": {"commitments": [{"text": "a"}, {"text": "b"}]}})
        edge = r.update_edge(
            ws,
            SIGNS,
            {"properties": {"commitments": [{"id": "b", "text": "b", "status": "Fulfilled"}]}},
        )
    assert edge.properties["commitments"] == [
        {"id": "b", "text": "b", "status": "fulfilled", "progress": []}
    ]
    assert edge.version == 3
