"""Issue 13's fixes to existing checks: what counts as activity, data as of a date, backbones
scoped to their community, and forming groups counting as a signer's engagement."""

from __future__ import annotations

import datetime as dt

from constellation.analysis.backbones import duplicate_backbones
from constellation.analysis.constellations import dormant_constellations
from constellation.analysis.goals import unmeasured_goals
from constellation.analysis.signers import disengaged_signers
from tests.helpers.builders import TODAY, G, edge, group, node, org


def meeting(id, date, event_type="constellation_meeting", **props):
    return node(id, "event", event_type=event_type, date=date, **props)


# ----------------------------------------------------------------- dormant_constellations


def test_a_record_change_is_not_activity():
    g = G([group("imported")])
    g.nodes["imported"]["updated_at"] = dt.datetime(2030, 1, 1)  # edited after the audit date
    assert dormant_constellations(g) == []


def test_activity_falls_back_to_the_latest_meeting_then_the_launch():
    g = G(
        [
            group("met", launched="2015-01-01"),
            meeting("m1", "2021-02-01"),
            meeting("m2", "2024-04-01"),
            group("launched-long-ago", launched="2020-01-01"),
            group("launched-lately", launched="2024-01-01"),
        ],
        [edge("held_for", "m1", "met"), edge("held_for", "m2", "met")],
    )
    findings = {f.subjects[0].id: f for f in dormant_constellations(g)}
    assert set(findings) == {"launched-long-ago"}
    assert findings["launched-long-ago"].evidence["activity_from"] == "launched"
    assert (
        findings["launched-long-ago"].evidence["days_quiet"] == (TODAY - dt.date(2020, 1, 1)).days
    )


def test_a_meeting_after_the_last_recorded_activity_counts():
    g = G(
        [group("c", last_activity="2020-01-01"), meeting("m", "2024-03-01")],
        [edge("held_for", "m", "c")],
    )
    assert dormant_constellations(g) == []


def test_dates_after_the_audit_date_never_count():
    g = G(
        [
            group("c", last_activity="2025-01-01", launched="2019-01-01"),
            meeting("m", "2024-12-01"),
        ],
        [edge("held_for", "m", "c")],
    )
    (f,) = dormant_constellations(g)
    assert f.evidence["last_activity"] == "2019-01-01"
    assert f.evidence["days_quiet"] > 0


def test_the_quiet_window_edge():
    edge_day = (TODAY - dt.timedelta(days=365)).isoformat()
    one_more = (TODAY - dt.timedelta(days=366)).isoformat()
    assert dormant_constellations(G([group("c", last_activity=edge_day)])) == []
    assert len(dormant_constellations(G([group("c", last_activity=one_more)]))) == 1


# ----------------------------------------------------------------- unmeasured_goals


def test_values_dated_after_the_audit_date_are_not_data_yet():
    ind = node("i", "indicator", values=[{"date": "2025-01-01", "value": 3}])
    (f,) = unmeasured_goals(G([ind]))
    assert f.evidence == {"values": 0, "values_after_date": 1, "baseline": None}
    assert unmeasured_goals(G([ind], as_of=dt.date(2025, 1, 1))) == []


def test_an_indicator_with_a_baseline_is_not_told_to_record_one():
    (with_baseline,) = unmeasured_goals(G([node("i", "indicator", baseline=58)]))
    (without,) = unmeasured_goals(G([node("i", "indicator")]))
    assert "baseline" not in with_baseline.suggestion
    assert "baseline" in without.suggestion


# ----------------------------------------------------------------- duplicate_backbones


def claims(*scopes):
    orgs = [org(f"o{i}") for i in range(len(scopes))]
    edges = [
        edge("backbone_for", f"o{i}", "edu", properties=scope) for i, scope in enumerate(scopes)
    ]
    return G([node("edu", "issue_area"), *orgs], edges)


def test_claims_for_different_geographies_or_initiatives_are_not_duplicates():
    (f,) = duplicate_backbones(claims({"geography": "Pensacola"}, {"geography": "Los Angeles"}))
    assert f.severity == "info" and f.evidence["colliding"] == []
    (f,) = duplicate_backbones(claims({"initiative": "a"}, {"initiative": "b"}))
    assert f.severity == "info"


def test_claims_in_the_same_community_collide():
    (f,) = duplicate_backbones(
        claims({"geography": "LA"}, {"geography": "LA"}, {"geography": "SF"})
    )
    assert f.severity == "high"
    assert f.evidence["colliding"] == ["o0", "o1"]
    assert [s.id for s in f.subjects] == ["edu", "o0", "o1"]


def test_a_claim_for_the_whole_workspace_collides_with_every_other():
    (f,) = duplicate_backbones(claims({}, {"geography": "LA"}, {"geography": "SF"}))
    assert f.severity == "high"
    assert f.evidence["colliding"] == ["o0", "o1", "o2"]
    assert f.evidence["by_scope"] == {"(whole workspace)": ["o0"], "LA": ["o1"], "SF": ["o2"]}


def test_an_initiative_claim_and_a_geography_claim_overlap():
    (f,) = duplicate_backbones(claims({"initiative": "compact"}, {"geography": "LA"}))
    assert f.severity == "high"


# ----------------------------------------------------------------- disengaged_signers


def test_a_forming_constellation_counts_as_engagement():
    doc = disengaged_signers.__doc__
    assert "forming" in doc.splitlines()[0]
    g = G(
        [node("i", "initiative"), org("o"), group("f", "forming")],
        [edge("signs", "o", "i"), edge("participates_in", "o", "f")],
    )
    assert disengaged_signers(g) == []
