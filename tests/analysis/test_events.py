"""The meeting and engagement checks on hand-made graphs: where they fire, where they must
not, and the edges (the window's last day, co-conveners, people attending for their
organization, ended ties)."""

from __future__ import annotations

import datetime as dt

from constellation.analysis.events import convener_coordination, stakeholder_feedback
from tests.helpers.builders import TODAY, G, edge, group, node, org


def day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def event(id, date, event_type="constellation_meeting", **props):
    return node(id, "event", event_type=event_type, date=date, **props)


def feedback(id, date, *heard):
    return event(id, date, "stakeholder_feedback", stakeholders=list(heard))


def reasons(findings):
    return sorted((f.subjects[0].id, f.evidence["reason"]) for f in findings)


# ----------------------------------------------------------------- stakeholder_feedback


def test_feedback_fires_for_groups_never_or_not_lately_heard():
    g = G(
        [
            group("never"),
            group("long-ago"),
            feedback("old", day(400), "parents"),
            group("heard"),
            feedback("recent", day(30), "students"),
            group("dormant", "dormant"),
        ],
        [edge("held_for", "old", "long-ago"), edge("held_for", "recent", "heard")],
    )
    found = {f.subjects[0].id: f for f in stakeholder_feedback(g)}
    assert set(found) == {"never", "long-ago"}
    assert found["never"].evidence["last_session"] is None
    assert found["long-ago"].evidence["last_session"] == day(400)
    assert all(f.severity == "medium" for f in found.values())


def test_feedback_that_never_heard_the_most_affected_is_low():
    g = G(
        [group("c"), feedback("s", day(10), "partners", "practitioners")],
        [edge("held_for", "s", "c")],
    )
    (f,) = stakeholder_feedback(g)
    assert f.evidence["reason"] == "most_affected_never_heard" and f.severity == "low"
    assert f.evidence["stakeholders_heard"] == ["partners", "practitioners"]


def test_an_earlier_session_with_parents_counts_for_who_was_heard():
    g = G(
        [group("c"), feedback("a", day(300), "parents"), feedback("b", day(10), "partners")],
        [edge("held_for", "a", "c"), edge("held_for", "b", "c")],
    )
    assert stakeholder_feedback(g) == []


def test_the_feedback_window_edge_and_its_parameter():
    on_edge = G([group("c"), feedback("s", day(183), "parents")], [edge("held_for", "s", "c")])
    assert stakeholder_feedback(on_edge) == []
    past = G([group("c"), feedback("s", day(184), "parents")], [edge("held_for", "s", "c")])
    assert reasons(stakeholder_feedback(past)) == [("c", "no_recent_feedback")]
    assert stakeholder_feedback(past, {"feedback_within_days": 200}) == []


def test_sessions_of_other_kinds_or_dated_after_the_audit_do_not_count():
    g = G(
        [
            group("c"),
            event("meeting", day(5), "constellation_meeting", stakeholders=["parents"]),
            feedback("future", day(-30), "parents"),
            feedback("undated", None, "parents"),
        ],
        [edge("held_for", e, "c") for e in ("meeting", "future", "undated")],
    )
    assert reasons(stakeholder_feedback(g)) == [("c", "no_recent_feedback")]


def test_a_session_whose_tie_ended_does_not_count():
    g = G(
        [group("c"), feedback("s", day(10), "parents")],
        [edge("held_for", "s", "c", valid_to=day(20))],
    )
    assert reasons(stakeholder_feedback(g)) == [("c", "no_recent_feedback")]


# ----------------------------------------------------------------- convener_coordination


def test_conveners_who_missed_the_inter_convener_meetings():
    g = G(
        [
            org("came"),
            org("absent"),
            org("partner-only"),
            group("a"),
            group("b"),
            group("quiet", "dormant"),
            org("dormant-convener"),
            event("inter", day(60), "inter_convener_meeting"),
        ],
        [
            edge("convenes", "came", "a"),
            edge("convenes", "absent", "b"),
            edge("participates_in", "partner-only", "a"),
            edge("convenes", "dormant-convener", "quiet"),
            edge("attended", "came", "inter"),
        ],
    )
    (f,) = convener_coordination(g)
    assert f.subjects[0].id == "absent" and f.evidence["reason"] == "no_inter_convener_meeting"
    assert f.evidence["inter_convener_meetings"] == 1 and f.severity == "low"


def test_a_person_attending_counts_for_the_organization_they_represent():
    g = G(
        [
            org("u"),
            group("a"),
            node("lemmon", "person"),
            event("inter", day(10), "inter_convener_meeting"),
        ],
        [
            edge("convenes", "u", "a"),
            edge("represents", "lemmon", "u"),
            edge("attended", "lemmon", "inter"),
        ],
    )
    assert convener_coordination(g) == []


def test_the_inter_convener_window_edge():
    def graph(days_ago):
        return G(
            [org("u"), group("a"), event("inter", day(days_ago), "inter_convener_meeting")],
            [edge("convenes", "u", "a"), edge("attended", "u", "inter")],
        )

    assert convener_coordination(graph(183)) == []
    assert reasons(convener_coordination(graph(184))) == [("u", "no_inter_convener_meeting")]
    assert convener_coordination(graph(184), {"coordination_within_days": 184}) == []


def own_meetings(attended_by: dict[str, int], meetings: int = 4, days_ago: int = 30):
    nodes = [org(o) for o in attended_by] + [
        group("c"),
        event("inter", day(5), "inter_convener_meeting"),
    ]
    edges = [edge("convenes", o, "c", properties={"role": "co"}) for o in attended_by]
    edges += [edge("attended", o, "inter") for o in attended_by]
    for i in range(meetings):
        nodes.append(event(f"m{i}", day(days_ago + i)))
        edges.append(edge("held_for", f"m{i}", "c"))
    for o, n in attended_by.items():
        edges += [edge("attended", o, f"m{i}") for i in range(n)]
    return G(nodes, edges)


def test_a_convener_who_missed_most_of_its_own_groups_meetings():
    (f,) = convener_coordination(own_meetings({"u": 1}))
    assert f.evidence["reason"] == "missed_own_meetings" and f.severity == "medium"
    assert f.evidence["attended"] == {"u": 1} and f.evidence["meetings"] == 4
    assert f.message.startswith("U attended 1 of the 4 meetings of C")


def test_attending_half_is_enough_and_the_share_is_a_parameter():
    assert convener_coordination(own_meetings({"u": 2})) == []
    assert len(convener_coordination(own_meetings({"u": 2}), {"min_attendance": 0.75})) == 1


def test_each_co_convener_is_counted_on_its_own():
    (f,) = convener_coordination(own_meetings({"steady": 4, "absent": 0}))
    assert [s.id for s in f.subjects] == ["c", "absent"]
    assert f.evidence["attended"] == {"absent": 0, "steady": 4}


def test_meetings_outside_the_attendance_window_are_not_counted():
    assert convener_coordination(own_meetings({"u": 0}, days_ago=400)) == []
