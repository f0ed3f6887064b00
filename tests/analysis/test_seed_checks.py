"""Issue 13's record-reading checks on hand-made graphs: convener qualifications, the
stewardship group's documents, rubric progress, indicator quality and weak ties. Each where
it fires, where it must not, and the edge cases (window edges, co-conveners, ended ties)."""

from __future__ import annotations

import datetime as dt

from constellation.analysis.assessments import assessment_history, assessment_progress
from constellation.analysis.audit import run_audit
from constellation.analysis.quality import indicator_quality
from constellation.analysis.stewardship import convener_qualifications, stewardship_documents
from constellation.analysis.ties import tie_quality_figures, weak_ties
from tests.helpers.builders import TODAY, G, edge, group, node, org


def day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


QUALIFIED = {"has_board_support": True, "has_succession_plan": True}


def person(id, seniority=None):
    return node(id, "person", **({"seniority": seniority} if seniority else {}))


def reasons(findings):
    return sorted((f.subjects[0].id, f.evidence.get("reason")) for f in findings)


# ----------------------------------------------------------------- convener_qualifications


def convener_graph(org_props, seniority="ceo", contact=True, extra_edges=()):
    return G(
        [org("u", **org_props), person("rep", seniority), group("c")],
        [
            edge("convenes", "u", "c"),
            edge("represents", "rep", "u", properties={"primary_contact": contact}),
            *extra_edges,
        ],
    )


def test_a_fully_qualified_convener_passes():
    assert convener_qualifications(convener_graph(QUALIFIED)) == []


def test_one_finding_per_convener_listing_what_it_lacks():
    g = convener_graph({"has_board_support": False}, seniority="staff", contact=False)
    (f,) = convener_qualifications(g)
    assert f.evidence["missing"] == ["board_support", "seniority", "primary_contact"]
    assert f.evidence["not_recorded"] == ["succession_plan"]
    assert f.severity == "medium"
    assert "letter of support" in f.message and "a record of a succession plan" in f.message


def test_a_convener_with_no_representative():
    g = G([org("u", **QUALIFIED), group("c")], [edge("convenes", "u", "c")])
    (f,) = convener_qualifications(g)
    assert f.evidence["missing"] == ["representative"]
    assert f.evidence["not_recorded"] == ["seniority", "primary_contact"]


def test_only_unrecorded_qualifications_are_low():
    g = convener_graph({}, seniority=None, contact=None)
    (f,) = convener_qualifications(g)
    assert f.severity == "low" and f.evidence["missing"] == []


def test_the_representative_named_on_the_tie_is_the_one_judged():
    g = G(
        [org("u", **QUALIFIED), person("ceo", "ceo"), person("junior", "staff"), group("c")],
        [
            edge("convenes", "u", "c", properties={"representative": "junior"}),
            edge("represents", "ceo", "u", properties={"primary_contact": True}),
            edge("represents", "junior", "u"),
        ],
    )
    (f,) = convener_qualifications(g)
    assert f.evidence["missing"] == ["seniority"] and f.evidence["representatives"] == ["junior"]


def test_a_succession_plan_on_the_tie_counts_and_co_conveners_are_judged_each():
    g = G(
        [
            org("u", has_board_support=True),
            org("co", has_board_support=True),
            person("a", "specialist"),
            person("b", "direct_report"),
            group("c"),
        ],
        [
            edge("convenes", "u", "c", properties={"has_succession_plan": True}),
            edge("convenes", "co", "c", properties={"role": "co"}),
            edge("represents", "a", "u", properties={"primary_contact": True}),
            edge("represents", "b", "co", properties={"primary_contact": True}),
        ],
    )
    (f,) = convener_qualifications(g)
    assert f.subjects[0].id == "co" and f.evidence["not_recorded"] == ["succession_plan"]


def test_conveners_of_groups_not_active_and_ended_ties_are_not_judged():
    g = G(
        [org("u"), group("planned", "planned"), group("c"), org("gone")],
        [edge("convenes", "u", "planned"), edge("convenes", "gone", "c", valid_to=day(10))],
    )
    assert convener_qualifications(g) == []


# ----------------------------------------------------------------- stewardship_documents

DOCS = {"has_guiding_principles": True, "has_bylaws": True, "has_goals_document": True}


def stewards(props, member_signs=True):
    """A stewardship group whose one member represents 'o'; 'o' signs, or another does."""
    return G(
        [
            node("s", "stewardship_group", **props),
            person("p"),
            org("o"),
            org("signer"),
            node("i", "initiative"),
        ],
        [
            edge("member_of", "p", "s"),
            edge("represents", "p", "o"),
            edge("signs", "o" if member_signs else "signer", "i"),
        ],
    )


def test_a_stewardship_group_with_its_documents_and_signers_passes():
    assert stewardship_documents(stewards(DOCS)) == []


def test_missing_documents_are_listed():
    (f,) = stewardship_documents(stewards(DOCS | {"has_bylaws": False, "has_goals_document": None}))
    assert f.evidence["missing"] == ["lightweight bylaws", "overarching goals"]
    assert f.evidence["not_recorded"] == ["overarching goals"] and f.severity == "low"


def test_a_group_whose_members_represent_no_signer():
    assert reasons(stewardship_documents(stewards(DOCS, member_signs=False))) == [
        ("s", "no_signer_members")
    ]


# ----------------------------------------------------------------- assessment_progress


def assessment(id, date, **levels):
    return node(id, "assessment", date=date, **levels)


def assessed(*assessments):
    return G([group("c"), *assessments], [edge("assesses", a["id"], "c") for a in assessments])


def test_a_group_assessed_lately_and_rising_passes():
    g = assessed(
        assessment("a1", day(700), coalesce_stakeholders="informing"),
        assessment("a2", day(300), coalesce_stakeholders="networking"),
    )
    assert assessment_progress(g) == []


def test_never_or_not_lately_assessed():
    assert reasons(assessment_progress(assessed())) == [("c", "no_recent_assessment")]
    g = assessed(assessment("a", day(366), ensure_participation="networking"))
    (f,) = assessment_progress(g)
    assert f.evidence["last_assessment"] == day(366)
    assert (
        assessment_progress(assessed(assessment("a", day(365), translate_work="networking"))) == []
    )


def test_every_decision_still_at_informing():
    g = assessed(
        assessment("a", day(30), coalesce_stakeholders="informing", translate_work="informing")
    )
    (f,) = assessment_progress(g)
    assert f.evidence["reason"] == "still_informing"


def test_a_level_that_fell_between_two_assessments():
    g = assessed(
        assessment(
            "a1", day(700), coalesce_stakeholders="collaborating", translate_work="networking"
        ),
        assessment(
            "a2", day(300), coalesce_stakeholders="networking", translate_work="collaborating"
        ),
    )
    (f,) = assessment_progress(g)
    assert f.evidence["fell"] == {"coalesce_stakeholders": ["collaborating", "networking"]}
    assert f.severity == "medium" and [s.id for s in f.subjects] == ["c", "a1", "a2"]


def test_an_assessment_dated_after_the_audit_does_not_count():
    g = assessed(assessment("later", day(-10), coalesce_stakeholders="transforming"))
    assert reasons(assessment_progress(g)) == [("c", "no_recent_assessment")]


def test_levels_over_time_for_the_overview():
    g = assessed(
        assessment(
            "a2", day(300), coalesce_stakeholders="networking", translate_work="collaborating"
        ),
        assessment("a1", day(700), coalesce_stakeholders="informing"),
    )
    (history,) = assessment_history(g)
    assert [p.assessment.id for p in history.points] == ["a1", "a2"]
    assert [p.mean_level for p in history.points] == [1.0, 2.5]


# ----------------------------------------------------------------- indicator_quality

GOOD = {"baseline": 50, "target": 70, "disaggregation": ["race", "gender", "geography"]}


def indicator(id, values=(), **props):
    return node(id, "indicator", values=[{"date": d, "value": 1} for d in values], **props)


def test_a_complete_recent_indicator_passes():
    assert indicator_quality(G([indicator("i", [day(30)], **GOOD)])) == []


def test_an_indicator_lists_what_it_lacks():
    (f,) = indicator_quality(G([indicator("i", [day(400)], baseline=5)]))
    assert f.evidence["gaps"] == ["target", "disaggregation", "recent_value"]


def test_an_indicator_with_no_value_is_left_to_unmeasured_goals():
    assert indicator_quality(G([indicator("i", **GOOD)])) == []
    future = G([indicator("i", [day(-5)], **GOOD)])
    assert indicator_quality(future) == []
    assert run_audit(future).summary["counts"]["by_check"] == {"unmeasured_goals": 1}


def test_the_recent_value_window_edge():
    assert indicator_quality(G([indicator("i", [day(365)], **GOOD)])) == []
    (f,) = indicator_quality(G([indicator("i", [day(366)], **GOOD)]))
    assert f.evidence["gaps"] == ["recent_value"]


def test_a_task_force_must_work_on_a_contributing_indicator():
    g = G(
        [
            group("itf", constellation_type="task_force"),
            group("ok", constellation_type="task_force"),
            group("network", constellation_type="network"),
            indicator("outcome", [day(1)], **GOOD),
            indicator("contrib", [day(1)], indicator_type="contributing", **GOOD),
        ],
        [edge("advances", "itf", "outcome"), edge("advances", "ok", "contrib")],
    )
    assert reasons(indicator_quality(g)) == [("itf", "task_force_without_indicator")]


# ----------------------------------------------------------------- weak_ties


def ties_graph(*scores):
    orgs = [org(f"o{i}") for i in range(len(scores))]
    return G(
        [*orgs, group("c")],
        [
            edge("participates_in", f"o{i}", "c", properties=s)
            for i, s in enumerate(scores)
            if s is not None
        ],
    )


def test_nothing_fires_where_nothing_is_measured():
    g = ties_graph({}, {})
    assert weak_ties(g) == []
    assert "weak_ties" not in run_audit(g).summary["health"]["by_check"]


def test_a_constellation_with_low_average_trust():
    g = ties_graph({"trust": 2, "value": 3}, {"trust": 2.5, "value": 3}, {"trust": 3.5})
    found = {f.subjects[0].id: f for f in weak_ties(g)}
    assert set(found) == {"o0"}  # the average trust is 2.67: the group passes
    g = ties_graph({"trust": 2, "value": 3}, {"trust": 2.5, "value": 3})
    found = {f.subjects[0].id: f for f in weak_ties(g)}
    assert set(found) == {"c", "o0"}
    assert found["c"].evidence["trust"] == 2.25 and found["c"].evidence["value"] == 3


def test_sub_scores_stand_in_for_a_missing_score():
    g = ties_graph({"value_power": 1, "value_involvement": 2, "value_resources": 2})
    found = {f.subjects[0].id: f for f in weak_ties(g)}
    assert found["c"].evidence["value"] == 1.67 and found["c"].evidence["trust"] is None


def test_a_partner_is_weak_only_when_all_its_ties_are():
    g = G(
        [org("a"), org("b"), group("c"), group("d")],
        [
            edge("participates_in", "a", "c", properties={"trust": 1.5}),
            edge("participates_in", "a", "d", properties={"trust": 3.5}),
            edge("collaborates_with", "b", "a", properties={"value": 3.0}),
        ],
    )
    assert {f.subjects[0].id for f in weak_ties(g)} == {"c"}


def test_tie_averages_in_the_summary():
    g = ties_graph({"trust": 2, "value": 4}, {"trust": 3})
    figures = run_audit(g).summary["tie_quality"]
    assert figures["network"] == {"ties": 2, "trust": 2.5, "value": 4}
    assert figures["by_constellation"][0]["constellation"]["id"] == "c"
    assert tie_quality_figures(G([]))["network"] == {"ties": 0, "trust": None, "value": None}


def test_no_signer_test_where_nothing_is_signed():
    g = G(
        [node("s", "stewardship_group", **DOCS), node("p", "person")], [edge("member_of", "p", "s")]
    )
    assert stewardship_documents(g) == []
