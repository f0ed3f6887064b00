"""The audit as a whole: on the demo data, over time, in what-ifs, and through the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from constellation.analysis.audit import CHECKS, audit_workspace, run_audit
from constellation.analysis.index import index_of
from constellation.analysis.timeline import diff_workspace, health_trend
from constellation.analysis.whatif import what_if
from constellation.cli import app
from constellation.errors import InvalidRecords, NotFound
from constellation.graph import build_graph, load_graph
from constellation.store import Store

REQUIRED_CHECKS = {
    "duplicate_backbones",
    "orphan_goals",
    "convener_overload",
    "leaderless_constellations",
    "unaligned_constellations",
    "narrow_constellations",
    "dormant_constellations",
    "single_points_of_failure",
    "disengaged_signers",
    "unmeasured_goals",
    "missing_plans",
}


# audits, what-ifs and CLI answers left to the default date (today) read the same day every run
pytestmark = pytest.mark.usefixtures("pinned_today")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_databases):
    """Both demo networks in a SQLite file the module's tests share (they only read)."""
    store = Store(demo_databases.sqlite(tmp_path_factory.mktemp("demo") / "demo.db"))
    yield store
    store.close()


def test_every_required_check_is_registered():
    assert REQUIRED_CHECKS <= set(CHECKS)


def test_escambia_gaps_are_the_two_goals_whose_networks_had_not_launched(demo):
    with demo.repository() as repo:
        report = audit_workspace(repo, "achieve-escambia")
    orphans = {f.subjects[0].label for f in report.findings if f.check == "orphan_goals"}
    assert orphans == {"Academic Success", "Graduation Rate"}
    statuses = [
        f.evidence["inactive_constellations"] for f in report.findings if f.check == "orphan_goals"
    ]
    assert statuses == [{"planned": 1}, {"planned": 1}]


def test_escambia_before_the_career_network_launched_had_three_orphans(demo):
    with demo.repository() as repo:
        report = audit_workspace(repo, "achieve-escambia", as_of=dt.date(2017, 6, 1))
    orphans = {f.subjects[0].label for f in report.findings if f.check == "orphan_goals"}
    assert orphans == {"Academic Success", "Graduation Rate", "Career Readiness"}


def test_la_compact_has_one_backbone_per_issue_area(demo):
    with demo.repository() as repo:
        report = audit_workspace(repo, "la-compact")
    assert [f for f in report.findings if f.check == "duplicate_backbones"] == []
    overloaded = [f for f in report.findings if f.check == "convener_overload"]
    assert overloaded[0].subjects[0].label == "UNITE-LA"
    assert overloaded[0].evidence["active_constellations"] > 3


def test_report_shape_and_summary(demo):
    with demo.repository() as repo:
        report = audit_workspace(repo, "la-compact")
    data = report.model_dump(mode="json")
    assert list(data) == ["workspace", "as_of", "summary", "findings"]
    s = data["summary"]
    assert 0 <= s["health"]["score"] <= 100
    assert s["counts"]["total"] == len(data["findings"])
    assert sum(s["counts"]["by_severity"].values()) == len(data["findings"])
    assert s["network"]["nodes_by_kind"]["constellation"] == 15
    assert s["network"]["brokers"][0]["label"] == "UNITE-LA"
    assert s["network"]["measures"] == {
        "method": "networkx",
        "approximate": False,
        "communities": "networkx Louvain",
    }
    for f in data["findings"]:
        assert set(f) == {
            "check",
            "severity",
            "subjects",
            "message",
            "evidence",
            "suggestion",
            "key",
        }
        assert all(set(x) == {"id", "kind", "label"} for x in f["subjects"])
    assert len({f["key"] for f in data["findings"]}) == len(data["findings"])


def test_health_score_follows_its_formula():
    perfect = build_graph([])
    assert run_audit(perfect).summary["health"]["score"] == 100
    g = build_graph(
        [
            {"id": "g1", "kind": "goal", "label": "A"},
            {"id": "g2", "kind": "goal", "label": "B"},
            {
                "id": "i",
                "kind": "indicator",
                "label": "I",
                "properties": {"values": [{"date": "2020-01-01", "value": 1}]},
            },
            {
                "id": "j",
                "kind": "indicator",
                "label": "J",
                "properties": {"values": [{"date": "2020-01-01", "value": 1}]},
            },
            {"id": "c", "kind": "constellation", "label": "C", "properties": {"status": "planned"}},
        ],
        [
            {"kind": "measures", "source": "i", "target": "g1"},
            {"kind": "measures", "source": "j", "target": "g2"},
            {"kind": "advances", "source": "c", "target": "g1"},
        ],
    )
    health = run_audit(g).summary["health"]
    # orphan_goals: 2 of 2 goals (weight 3) → 0; unmeasured_goals: 0 of 4 (weight 1) → 1;
    # dormant_constellations: 0 of 1 (weight 1) → 1; indicator_quality (issue 13): 2 of 2
    # indicators lack a baseline, target and disaggregation (weight 1) → 0; checks with
    # nothing to look at are out
    parts = health["by_check"]
    assert set(parts) == {
        "orphan_goals",
        "unmeasured_goals",
        "dormant_constellations",
        "indicator_quality",
    }
    assert parts["orphan_goals"]["pass_rate"] == 0
    assert parts["unmeasured_goals"]["pass_rate"] == 1
    assert parts["dormant_constellations"]["pass_rate"] == 1
    assert parts["indicator_quality"]["pass_rate"] == 0
    assert health["score"] == round(100 * (3 * 0 + 1 * 1 + 1 * 1 + 1 * 0) / (3 + 1 + 1 + 1))
    # points lost: weight × (1 − pass rate) of the total weight 6, in points of 100
    assert parts["orphan_goals"]["points_lost"] == round(100 * 3 / 6, 1)
    assert parts["indicator_quality"]["points_lost"] == round(100 * 1 / 6, 1)
    assert parts["unmeasured_goals"]["points_lost"] == 0
    assert parts["dormant_constellations"]["points_lost"] == 0


def test_points_lost_add_up_to_what_the_score_misses(demo):
    with demo.repository() as repo:
        report = audit_workspace(repo, "la-compact")
    health = report.summary["health"]
    lost = sum(part["points_lost"] for part in health["by_check"].values())
    # each term is rounded to a tenth, the score to a whole point
    assert abs(lost - (100 - health["score"])) <= 0.5 + 0.05 * len(health["by_check"])
    assert all(
        {"population", "findings", "weight", "points_lost", "of", "pass_rate"} <= set(part)
        for part in health["by_check"].values()
    )


def test_choosing_checks_and_thresholds(demo):
    with demo.repository() as repo:
        only = audit_workspace(
            repo, "la-compact", checks=["convener_overload"], params={"max_active_convened": 10}
        )
    assert {f.check for f in only.findings} <= {"convener_overload"}
    assert only.summary["params"]["max_active_convened"] == 10
    with pytest.raises(ValueError, match="unknown check"), demo.repository() as repo:
        audit_workspace(repo, "la-compact", checks=["nope"])


def test_diff_between_two_dates(demo):
    with demo.repository() as repo:
        d = diff_workspace(repo, "achieve-escambia", dt.date(2017, 6, 1), dt.date(2018, 6, 1))
    added = {n.label for n in d.nodes.added}
    assert "Career Readiness CAN" in added
    resolved = {f.key for f in d.findings.resolved}
    assert any(k.startswith("orphan_goals:") for k in resolved)
    assert d.health.to >= d.health.from_


def test_health_trend(demo):
    with demo.repository() as repo:
        points = health_trend(repo, "achieve-escambia", [dt.date(2018, 6, 1), dt.date(2016, 6, 1)])
    assert [p.date for p in points] == [dt.date(2016, 6, 1), dt.date(2018, 6, 1)]
    assert all(0 <= p.score <= 100 for p in points)


def test_what_if_unite_la_leaves_writes_nothing(demo):
    with demo.repository() as repo:
        G = load_graph(repo, "la-compact")
        revision = repo.revision("la-compact")
        before_nodes = G.number_of_nodes()
        result = what_if(G, {"without": ["unite-la"]})
        assert repo.revision("la-compact") == revision
    assert G.number_of_nodes() == before_nodes
    leaderless = {
        f.subjects[0].id for f in result.appeared if f.check == "leaderless_constellations"
    }
    assert len(leaderless) >= 4
    assert any(
        f.check == "convener_overload" and f.subjects[0].id == "unite-la" for f in result.resolved
    )
    assert result.after.health < result.before.health


def test_what_if_disband_and_bad_names(demo):
    with demo.repository() as repo:
        G = load_graph(repo, "achieve-escambia")
    result = what_if(G, {"disband": ["kindergarten-readiness-can"]})
    # its task forces still work on the goal through indicators, so nothing is orphaned
    assert not any(f.check == "orphan_goals" for f in result.appeared)
    assert any(
        f.check == "missing_plans" and f.subjects[0].id == "kindergarten-readiness-can"
        for f in result.resolved
    )
    ix = index_of(G)
    goal = "kindergarten-readiness"
    working = [c for c in ix.nodes("constellation") if goal in ix.goals_advanced(c)]
    result = what_if(G, {"disband": working})
    assert [f.subjects[0].id for f in result.appeared if f.check == "orphan_goals"] == [goal]
    with pytest.raises(NotFound):
        what_if(G, {"without": ["nobody"]})
    with pytest.raises(InvalidRecords, match="only constellations disband"):
        what_if(G, {"disband": ["achieve-escambia"]})


runner = CliRunner()


def cli(*args):
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_audit_json_is_the_report(demo):
    code, out, _ = cli("audit", "--db", demo.url, "-w", "achieve-escambia", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["workspace", "as_of", "summary", "findings"]
    assert data["as_of"] == dt.date.today().isoformat()
    with demo.repository() as repo:
        direct = audit_workspace(repo, "achieve-escambia").model_dump(mode="json")
    assert data["findings"] == direct["findings"]


def test_cli_audit_table_and_markdown(demo):
    code, out, _ = cli("audit", "--db", demo.url, "-w", "achieve-escambia")
    assert code == 0 and "health" in out and "Academic Success" in out
    code, out, _ = cli("audit", "--db", demo.url, "-w", "achieve-escambia", "-f", "markdown")
    assert out.startswith("# Audit of achieve-escambia") and "## Orphan goals (2)" in out


def test_cli_audit_prints_the_health_by_check(demo):
    code, out, _ = cli("audit", "--db", demo.url, "-w", "achieve-escambia", "-f", "json")
    parts = json.loads(out)["summary"]["health"]["by_check"]
    worst = max(parts, key=lambda c: parts[c]["points_lost"])
    code, table, _ = cli("audit", "--db", demo.url, "-w", "achieve-escambia")
    assert code == 0 and "by check, most points lost first" in table
    assert "points lost" in table and CHECKS[worst].title.split()[0] in table
    code, md, _ = cli("audit", "--db", demo.url, "-w", "achieve-escambia", "-f", "markdown")
    assert "## Health by check" in md
    rows = [line for line in md.splitlines() if line.startswith(f"| {CHECKS[worst].title} |")]
    part = parts[worst]
    assert rows == [
        f"| {CHECKS[worst].title} | {part['findings']} | {part['population']} {part['of']} "
        f"| {part['weight']} | {part['points_lost']:g} |"
    ]
    # every scored check has its row, the most points lost first
    section = md.split("## Health by check")[1].split("\n## ")[0].splitlines()
    table_rows = [r for r in section if r.startswith("| ")][2:]  # past the heading and rule
    lost = [float(r.rsplit("|", 2)[1]) for r in table_rows]
    assert len(lost) == len(parts) and lost == sorted(lost, reverse=True)


@pytest.mark.parametrize("slug", ["achieve-escambia", "la-compact"])
def test_cli_audit_table_has_every_checks_term_in_order(demo, slug):
    """Each row of the table is one check's term of the score, read back cell by cell."""
    _, out, _ = cli("audit", "--db", demo.url, "-w", slug, "-f", "json")
    report = json.loads(out)
    parts = report["summary"]["health"]["by_check"]
    code, table, _ = cli("audit", "--db", demo.url, "-w", slug)
    assert code == 0
    score = report["summary"]["health"]["score"]
    section = table.split(f"Health {score}/100 by check, most points lost first")[1]
    lines = section.split("└")[0].splitlines()
    rows = [
        [cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")
    ]
    titles = {c["id"]: c["title"] for c in report["summary"]["checks"]}
    order = {c["id"]: i for i, c in enumerate(report["summary"]["checks"])}
    expected = sorted(parts, key=lambda c: (-parts[c]["points_lost"], order[c]))
    assert rows == [
        [
            titles[c],
            str(parts[c]["findings"]),
            f"{parts[c]['population']} {parts[c]['of']}",
            str(parts[c]["weight"]),
            f"{parts[c]['points_lost']:g}",
        ]
        for c in expected
    ]
    assert float(rows[0][4]) > 0 and float(rows[0][4]) == max(
        p["points_lost"] for p in parts.values()
    )


def test_cli_audit_as_of_and_params(demo):
    code, out, _ = cli(
        "audit",
        "--db",
        demo.url,
        "-w",
        "la-compact",
        "--as-of",
        "2017-05-23",
        "--param",
        "max_active_convened=10",
        "--check",
        "convener_overload",
        "-f",
        "json",
    )
    data = json.loads(out)
    assert data["as_of"] == "2017-05-23"
    assert data["summary"]["params"]["max_active_convened"] == 10
    code, _, err = cli(
        "audit", "--db", demo.url, "-w", "la-compact", "--param", "max_active_convened=-1"
    )
    assert code == 1 and "max_active_convened" in err
    code, _, err = cli("audit", "--db", demo.url, "-w", "la-compact", "--check", "vibes")
    assert code == 1 and "unknown check vibes" in err


def test_cli_diff_and_whatif(demo):
    code, out, _ = cli(
        "diff", "2017-06-01", "2018-06-01", "--db", demo.url, "-w", "achieve-escambia", "-f", "json"
    )
    assert code == 0 and json.loads(out)["from"] == "2017-06-01"
    code, out, _ = cli("whatif", "--without", "UNITE-LA", "--db", demo.url, "-w", "la-compact")
    assert code == 0 and "What breaks" in out and "nobody convenes it" in out
    code, out, _ = cli(
        "whatif", "--stop-convening", "unite-la", "--db", demo.url, "-w", "la-compact", "-f", "json"
    )
    data = json.loads(out)
    assert data["scenario"]["stop_convening"] == ["unite-la"]
    code, _, err = cli("whatif", "--without", "Nobody At All", "--db", demo.url, "-w", "la-compact")
    assert code == 1 and "no node 'Nobody At All'" in err
    code, _, err = cli("whatif", "--db", demo.url, "-w", "la-compact")
    assert code == 1 and "--without" in err


def test_cli_recommend_for_an_organization_and_a_profile(demo):
    code, out, _ = cli(
        "recommend", "LAUSD", "--db", demo.url, "-w", "la-compact", "--limit", "3", "-f", "json"
    )
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 3
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    with demo.repository() as repo:
        mine = {
            e.target
            for e in repo.query_edges("la-compact", node="lausd")
            if e.kind in ("convenes", "participates_in")
        }
    assert not mine & {r["constellation"]["id"] for r in rows}
    assert set(rows[0]["parts"]) == {
        "goal_fit",
        "sector_gap",
        "shared_partners",
        "convener_capacity",
        "status",
    }
    code, out, _ = cli(
        "recommend",
        "--sector",
        "business",
        "--goal",
        "All students graduate from high school",
        "--db",
        demo.url,
        "-w",
        "la-compact",
    )
    assert code == 0 and "business sector it lacks" in " ".join(out.split())
    code, _, err = cli("recommend", "--db", demo.url, "-w", "la-compact")
    assert code == 1 and "--sector" in err


def test_cli_funding_json_has_the_three_lists(demo):
    code, out, _ = cli("funding", "--db", demo.url, "-w", "la-compact", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert {"joint_opportunities", "unfunded", "co_funders"} <= set(data)
    assert data["joint_opportunities"]
    for entry in data["joint_opportunities"] + data["unfunded"] + data["co_funders"]:
        assert {"subjects", "evidence", "message"} <= set(entry)
        assert all(set(s) == {"id", "kind", "label"} for s in entry["subjects"])
    code, out, _ = cli(
        "funding", "California Community Foundation", "--db", demo.url, "-w", "la-compact"
    )
    assert code == 0 and "Joint-funding opportunities" in out
    code, _, err = cli("funding", "UNITE-LA", "--db", demo.url, "-w", "la-compact", "-f", "json")
    assert code == 0


def test_readme_documents_every_check():
    import pathlib

    readme = (pathlib.Path(__file__).parents[2] / "README.md").read_text()
    for check_id in CHECKS:
        assert f"`{check_id}`" in readme, check_id


def test_what_if_stop_convening_keeps_the_organization_as_a_partner():
    g = build_graph(
        [
            {
                "id": "u",
                "kind": "organization",
                "label": "U",
                "properties": {"has_succession_plan": True, "sector": "business"},
            },
            {"id": "p1", "kind": "organization", "label": "P1", "properties": {"sector": "labor"}},
            {"id": "p2", "kind": "organization", "label": "P2", "properties": {"sector": "health"}},
            {"id": "c", "kind": "constellation", "label": "C"},
            {"id": "i", "kind": "initiative", "label": "I"},
        ],
        [
            {"kind": "convenes", "source": "u", "target": "c"},
            {"kind": "participates_in", "source": "p1", "target": "c"},
            {"kind": "participates_in", "source": "p2", "target": "c"},
            {"kind": "signs", "source": "u", "target": "i"},
        ],
    )
    result = what_if(g, {"stop_convening": ["u"]})
    assert {f.check for f in result.appeared} == {"leaderless_constellations"}
