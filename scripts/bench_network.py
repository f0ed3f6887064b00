"""Generated partnership networks for the benchmarks, in the native JSON format.

    .venv/bin/python scripts/bench_network.py --nodes 10000 --out network.json
    .venv/bin/constellation import network.json --db sqlite:///bench.db

Shaped like the seeds' partnerships, at any size, the same every run for a seed: one
initiative with its stewardship group, issue areas, goals and the indicators measuring
them (with dated values); constellations (collaboratives, workgroups, task forces) with
launch dates, some planned, dormant or disbanded; organizations of every sector and the
people who represent them. Participation follows a power law: a few organizations take
part in many groups and a few groups draw most partners, while most take part in one or
two; a few conveners lead many groups. Funders (philanthropy, business, government) make
grants (`funds` ties with amounts, currencies and periods) to constellations and to other
organizations. Ties have validity periods, and about one in seven has ended. About ten
edges per node.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
from typing import Any

SECTORS = (
    ["education"] * 5
    + ["non-profit"] * 6
    + ["community"] * 3
    + ["business"] * 4
    + ["government"] * 3
    + ["higher-ed", "early-childhood", "labor", "health", "health", "faith", "media"]
    + ["philanthropy"] * 2
)
FUNDER_SECTORS = {"philanthropy", "business", "government"}
ISSUE_AREAS = ("education", "health", "housing", "workforce", "public safety", "early years")
TYPES = ["collaborative", "workgroup", "network", "task_force", "project"]
STATUSES = ["active"] * 12 + ["forming", "planned", "dormant", "dormant", "disbanded"]
TITLES = ["CEO", "Director", "Program manager", "Analyst", "Coordinator"]
SENIORITY = ["ceo", "direct_report", "specialist", "staff"]
START = dt.date(2012, 1, 1)
TODAY = dt.date(2026, 1, 1)
"""Dates are drawn before this day, so the network as of today holds the same records on
any day the benchmark runs."""


def _day(rnd: random.Random, start: dt.date = START, end: dt.date = TODAY) -> dt.date:
    return start + dt.timedelta(days=rnd.randrange(max(1, (end - start).days)))


class _Zipf:
    """Indices 0..n-1 drawn with weight 1/(i+1)^a: a power law of popularity."""

    def __init__(self, rnd: random.Random, n: int, a: float = 1.0):
        self.rnd = rnd
        self.cum = list(itertools.accumulate(1 / (i + 1) ** a for i in range(n)))
        self.order = list(range(n))
        rnd.shuffle(self.order)  # popularity not tied to the id

    def __call__(self) -> int:
        i = bisect.bisect(self.cum, self.rnd.random() * self.cum[-1])
        return self.order[min(i, len(self.order) - 1)]


def generate(n_nodes: int, seed: int = 7, edges_per_node: float = 10.0) -> dict[str, Any]:
    """A native document of about `n_nodes` nodes and `edges_per_node` × as many edges."""
    rnd = random.Random(seed)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []

    def node(nid: str, kind: str, label: str, props: dict[str, Any], **extra: Any) -> str:
        nodes.append({"id": nid, "kind": kind, "label": label, "properties": props, **extra})
        return nid

    pairs: set[tuple[str, str, str]] = set()

    def edge(kind: str, source: str, target: str, props: dict[str, Any] | None = None) -> bool:
        """One tie; a pair holds one tie of a kind. About one in seven has ended."""
        if (kind, source, target) in pairs or source == target:
            return False
        pairs.add((kind, source, target))
        record: dict[str, Any] = {
            "id": f"{source}--{kind}--{target}",
            "kind": kind,
            "source": source,
            "target": target,
            "properties": props or {},
        }
        since = _day(rnd)
        if rnd.random() < 0.7:
            record["valid_from"] = since.isoformat()
        if rnd.random() < 0.14:
            record["valid_to"] = _day(rnd, since, TODAY).isoformat()
        edges.append(record)
        return True

    initiative = node(
        "initiative",
        "initiative",
        "The Compact",
        {"common_vision": "Every child thrives from cradle to career", "geography": "The city"},
    )
    steward = node("stewards", "stewardship_group", "Stewardship Group", {"has_bylaws": True})
    edge("stewards", steward, initiative)
    areas = [node(f"area-{i}", "issue_area", a.title(), {}) for i, a in enumerate(ISSUE_AREAS)]
    for a in areas:
        edge("in_area", initiative, a)
    n_goals = max(4, n_nodes // 250)
    n_indicators = max(4, n_nodes // 120)
    n_groups = max(8, n_nodes // 10)
    n_people = n_nodes // 4
    n_orgs = n_nodes - len(nodes) - n_goals - n_indicators - n_groups - n_people
    goals = [node(f"goal-{i}", "goal", f"Goal {i + 1}", {"number": i + 1}) for i in range(n_goals)]
    for g in goals:
        edge("pursues", initiative, g)
        edge("in_area", g, rnd.choice(areas))
    for i in range(n_indicators):
        baseline = round(rnd.uniform(20, 70), 1)
        values = [
            {"date": f"{year}-06-30", "value": round(baseline + rnd.gauss(1.5, 2) * k, 1)}
            for k, year in enumerate(range(2016, 2016 + rnd.randrange(0, 9)))
        ]
        ind = node(
            f"indicator-{i}",
            "indicator",
            f"Indicator {i + 1}",
            {
                "unit": "percent",
                "baseline": baseline,
                "baseline_date": "2016-06-30",
                "target": round(baseline + 15, 1),
                "target_date": "2030-06-30",
                "values": values,
            },
        )
        edge("measures", ind, rnd.choice(goals))
    orgs, funders = [], []
    for i in range(n_orgs):
        sector = rnd.choice(SECTORS)
        props: dict[str, Any] = {"sector": sector, "staff_capacity": rnd.choice([0.5, 1, 2, 4])}
        if rnd.random() < 0.4:
            props["has_succession_plan"] = rnd.random() < 0.5
        orgs.append(node(f"org-{i}", "organization", f"Organization {i + 1}", props))
        if sector in FUNDER_SECTORS and rnd.random() < 0.5:
            funders.append(orgs[-1])
    groups = []
    for i in range(n_groups):
        status = rnd.choice(STATUSES)
        launched = _day(rnd)
        props = {
            "constellation_type": rnd.choice(TYPES),
            "status": status,
            "has_charter": rnd.random() < 0.7,
            "has_action_plan": rnd.random() < 0.6,
            "has_data_plan": rnd.random() < 0.4,
        }
        if status != "planned":
            props["launched"] = launched.isoformat()
        if status == "disbanded":
            props["disbanded"] = _day(rnd, launched, TODAY).isoformat()
        groups.append(node(f"group-{i}", "constellation", f"Constellation {i + 1}", props))
        edge("advances", groups[-1], rnd.choice(goals))
        if rnd.random() < 0.3:
            edge("advances", groups[-1], f"indicator-{rnd.randrange(n_indicators)}")
        if i and rnd.random() < 0.03:
            edge("spun_off_from", groups[-1], groups[rnd.randrange(i)])
    people = []
    for i in range(n_people):
        props = {"title": rnd.choice(TITLES), "seniority": rnd.choice(SENIORITY)}
        people.append(node(f"person-{i}", "person", f"Person {i + 1}", props))

    popular_org = _Zipf(rnd, n_orgs)
    popular_group = _Zipf(rnd, n_groups)
    busy_convener = _Zipf(rnd, n_orgs, 1.3)
    for g in groups:  # conveners: most groups one, some a co-convener, a few none
        if rnd.random() < 0.94:
            edge("convenes", orgs[busy_convener()], g, {"role": "primary", "staff_time": 0.2})
        if rnd.random() < 0.25:
            edge("convenes", orgs[busy_convener()], g, {"role": "co"})
    for i, p in enumerate(people):
        edge("represents", p, orgs[popular_org()], {"primary_contact": i % 3 == 0})
    for p in people[: max(5, n_people // 200)]:
        edge("member_of", p, steward)
    for o in orgs[: max(5, n_orgs // 5)]:
        edge("signs", o, initiative, {"date": _day(rnd).isoformat()})
    for a in areas:
        for _ in range(rnd.choice([1, 1, 2])):  # now and then two claim one area (seed 004)
            edge("backbone_for", orgs[popular_org()], a, {"initiative": initiative})
    for _ in range(max(len(funders), n_groups // 2)):  # grants
        if not funders:
            break
        start = _day(rnd)
        grant = {
            "amount": float(rnd.choice([5, 10, 25, 50, 100, 250]) * 1000),
            "currency": "USD",
            "period_start": start.isoformat(),
            "period_end": (start + dt.timedelta(days=365 * rnd.choice([1, 2, 3]))).isoformat(),
            "funding_type": rnd.choice(["grant", "grant", "seed", "joint"]),
        }
        target = groups[popular_group()] if rnd.random() < 0.8 else orgs[popular_org()]
        edge("funds", rnd.choice(funders), target, grant)
    target = int(edges_per_node * len(nodes))
    while len(edges) < target:  # the bulk: organizations taking part, and their own ties
        if rnd.random() < 0.85:
            edge(
                "participates_in",
                orgs[popular_org()],
                groups[popular_group()],
                {"role": "partner"},
            )
        else:
            edge("collaborates_with", orgs[popular_org()], orgs[popular_org()])
    return {
        "format": "constellation",
        "version": 1,
        "workspace": {"slug": "bench", "name": f"Generated partnership ({len(nodes):,} nodes)"},
        "nodes": nodes,
        "edges": edges,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="network.json")
    args = parser.parse_args()
    doc = generate(args.nodes, args.seed)
    with open(args.out, "w") as f:
        json.dump(doc, f)
    print(f"{len(doc['nodes']):,} nodes and {len(doc['edges']):,} edges in {args.out}")


if __name__ == "__main__":
    main()
