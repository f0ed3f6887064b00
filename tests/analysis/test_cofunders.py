"""Co-funders found from shared grantees, on grants-only networks (funders → organizations,
no goals, no constellations), the way IRS 990 and 360Giving grant lists look."""

from __future__ import annotations

import datetime as dt
import json
import random
import time

import pytest

from constellation.analysis.findings import make_key
from constellation.analysis.funding import funding_opportunities
from tests.helpers.builders import G, edge, org


def grant(source, target, amount, currency="USD"):
    return edge("funds", source, target, properties={"amount": amount, "currency": currency})


FUNDERS = [org(f, "philanthropy") for f in ("f1", "f2", "f3")]
GRANTEES = [org(f"o{i}") for i in range(1, 6)]
GRANTS = [
    grant("f1", "o1", 100),
    grant("f1", "o2", 200),
    grant("f1", "o3", 50),
    grant("f2", "o1", 300),
    grant("f2", "o2", 20),
    grant("f2", "o4", 10),
    grant("f3", "o3", 70, "GBP"),
    grant("f3", "o5", 5, "GBP"),
]


def network():
    return G(FUNDERS + GRANTEES, GRANTS)


def test_funders_of_the_same_grantees_are_co_funders_ranked_by_shared_grantees():
    found = funding_opportunities(network()).co_funders
    # f1 and f2 share o1 and o2, f1 and f3 share o3, f2 and f3 share nothing
    assert [f.key for f in found] == [
        make_key("co_funders", "f1", "f2"),
        make_key("co_funders", "f1", "f3"),
    ]
    top = found[0]
    assert top.evidence["shared_recipients"] == ["o1", "o2"]
    assert top.evidence["shared_recipient_labels"] == ["O1", "O2"]
    assert top.evidence["shared_goals"] == []
    # shared 2 ÷ either's {o1, o2, o3, o4} = 0.5
    assert top.evidence["overlap_share"] == pytest.approx(0.5)
    assert top.evidence["recipient_overlap_share"] == pytest.approx(0.5)
    amounts = top.evidence["amounts_to_shared_recipients"]
    assert amounts["f1"]["totals"] == {"USD": 300.0}  # 100 + 200
    assert amounts["f2"]["totals"] == {"USD": 320.0}  # 300 + 20
    assert top.evidence["by_recipient"]["o1"]["f2"]["totals"] == {"USD": 300.0}
    assert top.evidence["funders"]["f2"]["totals"] == {"USD": 330.0}  # all it gives
    assert [s.id for s in top.subjects] == ["f1", "f2", "o1", "o2"]
    assert top.message == "F1 and F2 both fund 2 of the same recipient(s): O1, O2."
    second = found[1]
    assert second.evidence["shared_recipients"] == ["o3"]
    assert second.evidence["overlap_share"] == pytest.approx(0.25)  # 1 ÷ {o1, o2, o3, o5}
    assert second.evidence["amounts_to_shared_recipients"]["f3"]["totals"] == {"GBP": 70.0}


def test_for_one_funder_its_co_funders_it_first_and_who_else_funds_each_grantee():
    report = funding_opportunities(network(), "f3")
    [only] = report.co_funders
    assert [s.id for s in only.subjects] == ["f3", "f1", "o3"]
    assert [(g.id, g.totals, [o.id for o in g.other_funders]) for g in report.grantees] == [
        ("o3", {"GBP": 70.0}, ["f1"]),
        ("o5", {"GBP": 5.0}, []),
    ]
    assert report.grantees[0].other_funders[0].totals == {"USD": 50.0}
    whole = funding_opportunities(network())
    assert whole.grantees == []


def test_fewer_shared_grantees_than_the_threshold_make_no_co_funders():
    found = funding_opportunities(network(), params={"min_shared_recipients": 2}).co_funders
    assert [f.key for f in found] == [make_key("co_funders", "f1", "f2")]


def test_a_planted_pair_on_a_few_thousand_grants_is_ranked_first_in_seconds():
    rng = random.Random(12)
    funders = [f"fund{i}" for i in range(300)]
    orgs = [f"org{i}" for i in range(2000)]
    grants = set()
    while len(grants) < 3000:
        grants.add((rng.choice(funders), rng.choice(orgs)))
    planted = set(rng.sample(orgs, 40))
    grants |= {("fund0", o) for o in planted} | {("fund1", o) for o in planted}
    nodes = [org(f, "philanthropy") for f in funders] + [org(o) for o in orgs]
    g = G(nodes, [grant(s, t, 1000) for s, t in sorted(grants)])
    started = time.perf_counter()
    found = funding_opportunities(g).co_funders
    took = time.perf_counter() - started
    expected = {t for s, t in grants if s == "fund0"} & {t for s, t in grants if s == "fund1"}
    assert [s.id for s in found[0].subjects[:2]] == ["fund0", "fund1"]
    assert len(found[0].evidence["shared_recipients"]) == len(expected)
    assert set(found[0].evidence["shared_recipients"]) == expected
    assert took < 10, f"co-funders took {took:.1f}s"


def test_the_command_finds_co_funders_in_an_imported_360giving_grants_list(tmp_path, sqlite_url):
    from typer.testing import CliRunner

    from constellation.cli import app
    from tests.io.test_giving360 import ROWS, flat_csv

    def row(grant_id, funder, recipient, amount):
        cells = list(ROWS[1])
        cells[0], cells[4], cells[8], cells[9], cells[11], cells[12] = (
            grant_id,
            str(amount),
            recipient,
            recipient.title(),
            funder,
            funder.title(),
        )
        cells[5] = "01/04/2026"  # day first, as British publishers write it
        return cells

    rows = [
        row("g1", "fund-a", "trust-1", 100),
        row("g2", "fund-a", "trust-2", 200),
        row("g3", "fund-b", "trust-1", 300),
        row("g4", "fund-b", "trust-2", 400),
        row("g5", "fund-c", "trust-3", 500),
    ]
    path = tmp_path / "grants.csv"
    path.write_bytes(flat_csv(rows))
    runner = CliRunner()
    done = runner.invoke(app, ["import", str(path), "--db", sqlite_url, "-w", "grants"])
    assert done.exit_code == 0, done.output
    shown = runner.invoke(
        app, ["funding", "Fund-A", "--db", sqlite_url, "-w", "grants", "--format", "json"]
    )
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    [pair] = data["co_funders"]
    assert [s["id"] for s in pair["subjects"]] == ["fund-a", "fund-b", "trust-1", "trust-2"]
    assert pair["evidence"]["amounts_to_shared_recipients"]["fund-b"]["totals"] == {"GBP": 700.0}
    assert [g["id"] for g in data["grantees"]] == ["trust-1", "trust-2"]
    assert data["by_year"] == [
        {"year": 2026, "totals": {"GBP": 300.0}, "amount_unknown": 0, "grants": 2}
    ]
    table = runner.invoke(app, ["funding", "Fund-A", "--db", sqlite_url, "-w", "grants"])
    assert "Fund-B" in table.stdout and "who else funds them" in table.stdout


def test_a_grant_that_starts_later_is_not_current_and_one_without_dates_is():
    later = edge(
        "funds",
        "f3",
        "o1",
        properties={"amount": 9, "currency": "USD", "period_start": "2024-09-01"},
    )
    g = G(FUNDERS + GRANTEES, GRANTS + [later])  # today is 2024-06-01
    keys = [f.key for f in funding_opportunities(g).co_funders]
    assert make_key("co_funders", "f2", "f3") not in keys  # f3's grant to o1 has not begun
    on_the_day = G(FUNDERS + GRANTEES, GRANTS + [later], as_of=dt.date(2024, 9, 1))
    keys = [f.key for f in funding_opportunities(on_the_day).co_funders]
    assert make_key("co_funders", "f2", "f3") in keys


def test_totals_by_the_year_grants_start():
    from constellation.analysis.funding import totals_by_year

    dated = [
        edge(
            "funds",
            "f1",
            "o1",
            properties={"amount": 10, "currency": "USD", "period_start": "2022-03-01"},
        ),
        edge(
            "funds",
            "f1",
            "o2",
            properties={"amount": 5, "currency": "USD"},
            valid_from="2022-11-30",
        ),
        edge(
            "funds",
            "f1",
            "o3",
            properties={"amount": 7, "currency": "GBP", "period_start": "2023-01-01"},
        ),
        edge("funds", "f1", "o4", properties={"currency": "USD"}),
        edge("funds", "f2", "o4", properties={"amount": 1, "currency": "USD"}),
    ]
    g = G(FUNDERS + GRANTEES, dated)
    assert [(y.year, y.totals, y.grants, y.amount_unknown) for y in totals_by_year(g, "f1")] == [
        (2022, {"USD": 15.0}, 2, 0),
        (2023, {"GBP": 7.0}, 1, 0),
        (None, {}, 1, 1),
    ]
    assert [y.grants for y in totals_by_year(g)] == [2, 1, 2]
