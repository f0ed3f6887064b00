"""Joint-funding opportunities: groups to fund together, active groups with no funding, co-funders.

Current funding is every ``funds`` edge in the graph (so valid on its date) whose
`period_start`, if recorded, is not after that date and whose `period_end`, if recorded, is
not before it: a grant that starts in the future is not current yet, and a grant with no
dates at all is (a grants list without dates is read as today's). Amounts are summed per
currency and never across currencies; a grant with no amount is counted under
``amount_unknown``, one with an amount but no currency under the currency
``"unknown currency"``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from constellation.analysis.findings import (
    Finding,
    Severity,
    label_list,
    label_of,
    make_key,
    require_organization,
    subject,
)
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import resolve

__all__ = [
    "FundingParams",
    "FundingReport",
    "YearTotals",
    "Funder",
    "funding_opportunities",
    "totals_by_year",
    "UNKNOWN_CURRENCY",
]

UNKNOWN_CURRENCY = "unknown currency"
"""The currency under which amounts recorded without a currency are summed."""


class FundingParams(BaseModel):
    """The thresholds of `funding_opportunities`, with their defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_shared_partners: int = Field(
        1,
        ge=1,
        description="Two active groups on the same goal 'share partners' when at "
        "least this many member organizations belong to both.",
    )
    min_shared_goals: int = Field(
        1,
        ge=1,
        description="Two funders are co-funders when their portfolios share at least "
        "this many goals.",
    )
    min_shared_recipients: int = Field(
        1,
        ge=1,
        description="Two funders are co-funders when both currently fund at least this "
        "many of the same recipients (organizations or constellations).",
    )


class OtherFunder(BaseModel):
    """Another funder of a grantee, with what it gives that grantee."""

    id: str
    label: str
    totals: dict[str, float] = Field(description="Amounts per currency to this grantee.")
    amount_unknown: int
    grants: int


class Grantee(BaseModel):
    """A recipient of the funder asked about, and who else funds it."""

    id: str
    kind: str
    label: str
    totals: dict[str, float] = Field(description="What the funder asked about gives it.")
    grants: int
    other_funders: list[OtherFunder] = Field(
        default_factory=list, description="Most grants first, then by label."
    )


class Funder(BaseModel):
    """An organization with a current grant: one of the funders a report can look from."""

    id: str
    label: str
    totals: dict[str, float] = Field(description="Amounts per currency it gives now.")
    amount_unknown: int
    grants: int


class YearTotals(BaseModel):
    """The grants that start in one year (``year`` None: grants with no date)."""

    year: int | None
    totals: dict[str, float] = Field(description="Amounts per currency.")
    amount_unknown: int
    grants: int


class FundingReport(BaseModel):
    """`constellation funding --format json` prints exactly this."""

    joint_opportunities: list[Finding] = Field(
        default_factory=list,
        description="Active groups on one goal that share partners and "
        "have no joint funding between them.",
    )
    unfunded: list[Finding] = Field(
        default_factory=list,
        description="Active groups with no current funding (that fit "
        "the funder's portfolio, when a funder is given).",
    )
    co_funders: list[Finding] = Field(
        default_factory=list,
        description="Funders that fund the same recipients, or whose portfolios share "
        "goals; most shared recipients first.",
    )
    grantees: list[Grantee] = Field(
        default_factory=list,
        description="With a funder: each recipient it funds now, and who else funds it.",
    )
    by_year: list[YearTotals] = Field(
        default_factory=list,
        description="Every grant, current or not, by the year it starts (its period_start, "
        "else the start of its validity), for the funder asked about or the whole workspace; "
        "oldest first, undated last.",
    )
    funders: list[Funder] = Field(
        default_factory=list,
        description="Every organization that funds something on this date, by label: the "
        "funders to look from (the page's funder picker lists these), whoever is asked about.",
    )
    notes: list[str] = Field(
        default_factory=list,
        description="What the lists cannot say by themselves, e.g. "
        "that the funder asked about funds nothing on this date.",
    )


def funding_opportunities(
    G: nx.MultiDiGraph,
    funder: str | None = None,
    params: FundingParams | dict[str, Any] | None = None,
) -> FundingReport:
    """Where joint funding could go: clusters to fund together, unfunded groups, co-funders.

    * **Joint opportunities** — for each goal, the active constellations advancing it
      (directly or through an indicator) are joined when they share at least
      `min_shared_partners` member organizations; each connected cluster of two or more
      is one opportunity, unless a single funder already gives joint funding
      (``funding_type: joint``) to two or more of them.
    * **Unfunded** — active constellations with no current funding. With a funder, only
      those that fit its portfolio: they advance a goal, or a goal in an issue area, of
      the constellations it funds (funding an organization counts the goals of that
      organization's groups and the issue areas it is backbone for).
    * **Co-funders** — funders (organizations with current ``funds`` edges) that fund at
      least `min_shared_recipients` of the same recipients, or whose portfolios share at
      least `min_shared_goals` goals; with a funder, the others that overlap with it
      (it first). Ranked by shared recipients, then shared goals, then overlap share.
      The overlap share is shared recipients ÷ recipients either funds when they share
      any (``recipient_overlap_share``), otherwise shared goals ÷ goals either funds
      (``goal_overlap_share``); the amounts each gives the shared recipients are in
      ``amounts_to_shared_recipients`` (in total) and ``by_recipient`` (one by one).
    * **Grantees** — with a funder: each recipient it funds now and the other funders
      of that recipient, with their amounts.

    Parameters
    ----------
    G : the workspace graph (see `constellation.graph.load_graph`).
    funder : id of an organization to look from, or None for the whole network.
    params : a `FundingParams` or a dict of overrides.

    Returns
    -------
    A `FundingReport`: three lists of findings (checks ``joint_opportunity``,
    ``unfunded_constellation``, ``co_funders``) and notes, e.g. when `funder` funds
    nothing on the graph's date (then every unfunded group and opportunity is listed).

    Raises
    ------
    NotFound : `funder` is not in the graph.
    InvalidQuestion : `funder` is not an organization.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "lausd", "kind": "organization", "label": "LAUSD"},
    ...      {"id": "bechtel", "kind": "organization", "label": "Bechtel Foundation"},
    ...      {"id": "g1", "kind": "goal", "label": "High school graduation"},
    ...      {"id": "laepp", "kind": "constellation", "label": "Educator Pathways"},
    ...      {"id": "data", "kind": "constellation", "label": "Data Workgroup"}],
    ...     [{"kind": "participates_in", "source": "lausd", "target": "laepp"},
    ...      {"kind": "participates_in", "source": "lausd", "target": "data"},
    ...      {"kind": "advances", "source": "laepp", "target": "g1"},
    ...      {"kind": "advances", "source": "data", "target": "g1"},
    ...      {"kind": "funds", "source": "bechtel", "target": "laepp",
    ...       "properties": {"amount": 200000, "currency": "USD", "funding_type": "joint"}}])
    >>> report = funding_opportunities(G)
    >>> report.joint_opportunities[0].message
    '2 active groups on the goal “High school graduation” share partners (LAUSD) and have
    no joint funding between them: Data Workgroup, Educator Pathways.'
    >>> report.joint_opportunities[0].evidence["funding"]["laepp"]["totals"]
    {'USD': 200000.0}
    >>> [f.message for f in funding_opportunities(G, "bechtel").unfunded]
    ['Data Workgroup is active with no funding and works on “High school graduation”, which
    Bechtel Foundation already funds.']

    Notes
    -----
    O(E) to index the graph, plus O(Σ n_g² · M) for the pairs of the n_g groups on each
    goal g (M members per group), plus O(Σ f_r²) for the pairs of the f_r funders of each
    recipient or goal r (co-funders are counted from recipient → funders, never from all
    pairs of funders).

    References
    ----------
    Seed 001: the stewardship group and the conveners "pursue joint funding
    opportunities"; constellations "seek joint fundraising"; the L.A. Educator Pathways
    Partnership's joint-funding grant from the S.D. Bechtel, Jr. Foundation.
    """
    p = _params(params)
    ix = index_of(G)
    as_of = _as_of(G)
    grants = _current_grants(G, ix, as_of)
    notes: list[str] = []
    portfolio = None
    if funder is not None:
        require_organization(G, funder, "funder", "fund")
        if grants["out"].get(funder):
            portfolio = _portfolio(ix, grants["out"][funder])
        else:
            notes.append(
                f"{label_of(G, funder)} funds nothing on {as_of.isoformat()}: with no portfolio "
                f"to match, every unfunded group and every joint opportunity is listed, and "
                f"no co-funder can be found."
            )
    if not any(grants["out"].values()):
        notes.append(
            f"No funding is current on {as_of.isoformat()}: grants that ended before this "
            f"date are not counted; look at an earlier date to see them."
        )
    joint, skipped = _joint_opportunities(G, ix, grants, p, funder, portfolio)
    notes.extend(skipped)
    return FundingReport(
        joint_opportunities=joint,
        unfunded=_unfunded(G, ix, grants, funder, portfolio),
        co_funders=_co_funders(G, ix, grants, p, funder),
        grantees=_grantees(G, grants, funder) if funder is not None else [],
        funders=_funders(G, grants),
        notes=notes,
    )


# --- funding on the date -------------------------------------------------------------------


def _params(params: FundingParams | dict[str, Any] | None) -> FundingParams:
    return resolve(params, FundingParams)


Grant = tuple[str, dict[str, Any]]
"""A current grant seen from one end: the node at the other end, and the edge's data."""
Grants = dict[str, dict[str, list[Grant]]]
"""Current grants by funder (``out``) and by recipient (``into``)."""


def _as_of(G: nx.MultiDiGraph) -> dt.date:
    return _date(G.graph.get("as_of")) or dt.date.today()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _current_grants(G: nx.MultiDiGraph, ix: Index, as_of: dt.date) -> Grants:
    """Current funds edges, by funder (``out``) and by recipient (``into``)."""
    out: dict[str, list[Grant]] = defaultdict(list)
    into: dict[str, list[Grant]] = defaultdict(list)
    for source, ends in ix.out["funds"].items():
        for target, data in ends:
            start, end = _date(data.get("period_start")), _date(data.get("period_end"))
            if (end is not None and end < as_of) or (start is not None and start > as_of):
                continue
            out[source].append((target, data))
            into[target].append((source, data))
    return {"out": out, "into": into}


def _sums(grants: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Totals per currency, grants of unknown amount, and who is at the other end."""
    totals: dict[str, float] = defaultdict(float)
    unknown = 0
    for _, data in grants:
        amount = data.get("amount")
        if amount is None:
            unknown += 1
            continue
        currency = data.get("currency")
        totals[currency.upper() if currency else UNKNOWN_CURRENCY] += float(amount)
    return {
        "totals": dict(sorted(totals.items())),
        "amount_unknown": unknown,
        "grants": len(grants),
    }


def _money(sums: dict[str, Any]) -> str:
    parts = [f"{cur} {amount:,.0f}" for cur, amount in sums["totals"].items()]
    if sums["amount_unknown"]:
        parts.append(f"{sums['amount_unknown']} grant(s) of unknown amount")
    return " + ".join(parts) or "no amount recorded"


def _funders(G: nx.MultiDiGraph, grants: Grants) -> list[Funder]:
    """Every organization with a current grant, by label, with what it gives now."""
    given = [(f, out) for f, out in grants["out"].items() if out]
    return [
        Funder(id=f, label=label_of(G, f), **_sums(out))
        for f, out in sorted(given, key=lambda t: (label_of(G, t[0]).lower(), t[0]))
    ]


def _funding_of(grants: Grants, node: str) -> dict[str, Any]:
    received = grants["into"].get(node, [])
    return _sums(received) | {"funders": sorted({s for s, _ in received})}


def _portfolio(ix: Index, given: list[tuple[str, dict[str, Any]]]) -> dict[str, set[str]]:
    """Goals and issue areas of what a funder funds now."""
    goals, areas, recipients = set(), set(), set()
    for target, _ in given:
        recipients.add(target)
        kind = ix.G.nodes[target].get("kind")
        if kind == "constellation":
            goals |= ix.goals_advanced(target)
        elif kind == "organization":
            for c in set(ix.targets("convenes", target)) | set(
                ix.targets("participates_in", target)
            ):
                if ix.status(c) != "disbanded":
                    goals |= ix.goals_advanced(c)
            areas.update(ix.targets("backbone_for", target))
    areas |= {a for g in goals for a in _areas_of(ix, g)}
    return {"goals": goals, "issue_areas": areas, "recipients": recipients}


def _areas_of(ix: Index, goal: str) -> list[str]:
    return ix.targets("in_area", goal)


def _fits(ix: Index, goals: set[str], portfolio: dict[str, set[str]]) -> tuple[set[str], set[str]]:
    """The goals, and the issue areas of goals, that a portfolio shares with these goals."""
    areas = {a for g in goals for a in _areas_of(ix, g)}
    return goals & portfolio["goals"], areas & portfolio["issue_areas"]


# --- the three lists -----------------------------------------------------------------------


def _joint_opportunities(
    G: nx.MultiDiGraph,
    ix: Index,
    grants: Grants,
    p: FundingParams,
    funder: str | None,
    portfolio: dict[str, set[str]] | None,
) -> tuple[list[Finding], list[str]]:
    joint_by_funder = defaultdict(set)
    for source, given in grants["out"].items():
        for target, data in given:
            if data.get("funding_type") == "joint":
                joint_by_funder[source].add(target)
    members = {c: ix.members(c) for c in ix.active_constellations}
    on_goal = defaultdict(list)
    for c in ix.active_constellations:
        for goal in ix.goals_advanced(c):
            on_goal[goal].append(c)

    findings, skipped = [], []
    for goal in sorted(on_goal, key=lambda g: (label_of(G, g), g)):
        if portfolio is not None and not any(_fits(ix, {goal}, portfolio)):
            continue
        H = nx.Graph()
        H.add_nodes_from(on_goal[goal])
        H.add_edges_from(
            (a, b)
            for a, b in combinations(on_goal[goal], 2)
            if len(members[a] & members[b]) >= p.min_shared_partners
        )
        for cluster in nx.connected_components(H):
            if len(cluster) < 2:
                continue
            groups = sorted(cluster, key=lambda c: (label_of(G, c), c))
            already = sorted(f for f, cs in joint_by_funder.items() if len(cs & cluster) >= 2)
            if already:
                skipped.append(
                    f"The groups on the goal “{label_of(G, goal)}” "
                    f"({label_list(G, groups)}) already share joint funding from "
                    f"{label_list(G, already)}."
                )
                continue
            findings.append(_joint_finding(G, grants, goal, groups, members, funder))
    findings.sort(
        key=lambda f: (
            -len(f.evidence["constellations"]),
            -len(f.evidence["shared_partners"]),
            f.key,
        )
    )
    return findings, skipped


def _joint_finding(
    G: nx.MultiDiGraph,
    grants: Grants,
    goal: str,
    groups: list[str],
    members: dict[str, set[str]],
    funder: str | None,
) -> Finding:
    in_groups = defaultdict(list)
    for c in groups:
        for m in members[c]:
            in_groups[m].append(c)
    shared = {m: cs for m, cs in sorted(in_groups.items()) if len(cs) >= 2}
    funding = {c: _funding_of(grants, c) for c in groups}
    funders = sorted({f for c in groups for f in funding[c]["funders"]})
    shown = label_list(G, shared, most=3)
    if funders:
        suggestion = (
            f"Bring their conveners together with their current funders "
            f"({label_list(G, funders)}) to plan one joint proposal"
        )
    else:
        suggestion = "Bring their conveners together to plan one joint funding proposal"
    suggestion += " (seed 001: constellations seek joint fundraising)."
    evidence = {
        "goal": goal,
        "constellations": groups,
        "shared_partners": shared,
        "funding": funding,
        "unfunded": [c for c in groups if not funding[c]["grants"]],
    }
    if funder is not None:
        evidence["funder_already_funds"] = [c for c in groups if funder in funding[c]["funders"]]
    return Finding(
        check="joint_opportunity",
        severity=Severity.INFO,
        subjects=[subject(G, goal)] + [subject(G, c) for c in groups],
        message=f"{len(groups)} active groups on the goal “{label_of(G, goal)}” share partners "
        f"({shown}) and have no joint funding between them: {label_list(G, groups)}.",
        evidence=evidence,
        suggestion=suggestion,
        key=make_key("joint_opportunity", goal, *groups),
    )


def _unfunded(
    G: nx.MultiDiGraph,
    ix: Index,
    grants: Grants,
    funder: str | None,
    portfolio: dict[str, set[str]] | None,
) -> list[Finding]:
    findings = []
    for c in sorted(ix.active_constellations, key=lambda c: (label_of(G, c), c)):
        if grants["into"].get(c):
            continue
        goals = ix.goals_advanced(c)
        conveners = ix.conveners(c)
        evidence = {
            "status": "active",
            "members": len(ix.members(c)),
            "conveners": len(conveners),
            "goals": sorted(goals),
        }
        message = f"{label_of(G, c)} is active with no funding."
        subjects = [subject(G, c)]
        if portfolio is not None and funder is not None:  # a portfolio is a funder's
            goals_fit, areas_fit = _fits(ix, goals, portfolio)
            if not (goals_fit or areas_fit):
                continue
            evidence |= {
                "matching_goals": sorted(goals_fit),
                "matching_issue_areas": sorted(areas_fit),
            }
            if goals_fit:
                what = f"works on {label_list(G, goals_fit, quote=True)}"
            else:
                what = f"works in the issue area {label_list(G, areas_fit)}"
            message = (
                f"{label_of(G, c)} is active with no funding and {what}, which "
                f"{label_of(G, funder)} already funds."
            )
            subjects += [subject(G, g) for g in sorted(goals_fit)]
        if conveners:
            suggestion = (
                f"Ask its convener ({label_list(G, conveners)}) whether a funding "
                f"request, or a share of a joint grant, would help."
            )
        else:
            suggestion = "Nobody convenes it: find a convener first, who can then seek funding."
        findings.append(
            Finding(
                check="unfunded_constellation",
                severity=Severity.LOW,
                subjects=subjects,
                message=message,
                evidence=evidence,
                suggestion=suggestion,
                key=make_key("unfunded_constellation", c),
            )
        )
    if portfolio is not None:
        findings.sort(key=lambda f: -len(f.evidence["matching_goals"]))
    return findings


def _co_funders(
    G: nx.MultiDiGraph, ix: Index, grants: Grants, p: FundingParams, funder: str | None
) -> list[Finding]:
    """Pairs of funders found from an index (recipient → funders, goal → funders), so the
    work grows with the grants each recipient has, not with every pair of funders."""
    funders = sorted(f for f, given in grants["out"].items() if given)
    portfolios = {f: _portfolio(ix, grants["out"][f]) for f in funders}
    sums = {f: _sums(grants["out"][f]) for f in funders}
    by_recipient: dict[str, set[str]] = defaultdict(set)
    by_goal: dict[str, set[str]] = defaultdict(set)
    for f in funders:
        for r in portfolios[f]["recipients"]:
            by_recipient[r].add(f)
        for g in portfolios[f]["goals"]:
            by_goal[g].add(f)
    recipients_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    goals_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for index, shared in ((by_recipient, recipients_of), (by_goal, goals_of)):
        for item, who in index.items():
            pairs: Iterable[tuple[str, str]]
            if funder is not None:
                if funder not in who:
                    continue
                pairs = [(funder, other) for other in who if other != funder]
            else:
                pairs = combinations(sorted(who), 2)
            for pair in pairs:
                shared[pair].add(item)
    found = []
    for a, b in sorted(set(recipients_of) | set(goals_of)):
        shared_recipients = recipients_of.get((a, b), set())
        shared_goals = goals_of.get((a, b), set())
        if len(shared_recipients) < p.min_shared_recipients and (
            len(shared_goals) < p.min_shared_goals
        ):
            continue
        found.append(
            _co_funder_finding(G, grants, portfolios, sums, a, b, shared_recipients, shared_goals)
        )
    found.sort(
        key=lambda f: (
            -len(f.evidence["shared_recipients"]),
            -len(f.evidence["shared_goals"]),
            -f.evidence["overlap_share"],
            f.key,
        )
    )
    return found


def _share(shared: set[str], a: set[str], b: set[str]) -> float:
    either = a | b
    return round(len(shared) / len(either), 2) if either else 0.0


def _by_label(G: nx.MultiDiGraph, nodes: Iterable[str]) -> list[str]:
    return sorted(nodes, key=lambda n: (label_of(G, n), n))


def _co_funder_finding(
    G: nx.MultiDiGraph,
    grants: Grants,
    portfolios: dict[str, dict[str, set[str]]],
    sums: dict[str, dict[str, Any]],
    a: str,
    b: str,
    recipients: set[str],
    goals: set[str],
) -> Finding:
    pa, pb = portfolios[a], portfolios[b]
    recipient_share = _share(recipients, pa["recipients"], pb["recipients"])
    goal_share = _share(goals, pa["goals"], pb["goals"])
    shown = _by_label(G, recipients)
    to_shared = {f: _sums([(t, d) for t, d in grants["out"][f] if t in recipients]) for f in (a, b)}
    by_recipient = {
        r: {f: _sums([(t, d) for t, d in grants["out"][f] if t == r]) for f in (a, b)}
        for r in shown
    }
    said = []
    if recipients:
        said.append(
            f"{len(recipients)} of the same recipient(s): {label_list(G, recipients, most=5)}"
        )
    if goals:
        said.append(f"work on {len(goals)} goal(s): {label_list(G, goals, quote=True)}")
    if recipients:
        suggestion = (
            "Compare what each gives these grantees and consider a pooled or aligned grant."
        )
    else:
        suggestion = "Compare priorities and consider pooling grants for the groups on these goals."
    return Finding(
        check="co_funders",
        severity=Severity.INFO,
        subjects=[subject(G, a), subject(G, b)]
        + [subject(G, r) for r in shown]
        + [subject(G, g) for g in sorted(goals) if g not in recipients],
        message=f"{label_of(G, a)} and {label_of(G, b)} both fund " + " and ".join(said) + ".",
        evidence={
            "shared_recipients": shown,
            "shared_recipient_labels": [label_of(G, r) for r in shown],
            "shared_goals": sorted(goals),
            "overlap_share": recipient_share if recipients else goal_share,
            "recipient_overlap_share": recipient_share,
            "goal_overlap_share": goal_share,
            "amounts_to_shared_recipients": {
                f: to_shared[f] | {"total": _money(to_shared[f])} for f in (a, b)
            },
            "by_recipient": by_recipient,
            "funders": {
                f: sums[f]
                | {
                    "recipients": sorted(portfolios[f]["recipients"]),
                    "total": _money(sums[f]),
                }
                for f in (a, b)
            },
        },
        suggestion=suggestion,
        key=make_key("co_funders", *sorted((a, b))),
    )


def _grantees(G: nx.MultiDiGraph, grants: Grants, funder: str) -> list[Grantee]:
    given = defaultdict(list)
    for target, data in grants["out"].get(funder, []):
        given[target].append((target, data))
    out = []
    for r in _by_label(G, given):
        others = defaultdict(list)
        for source, data in grants["into"].get(r, []):
            if source != funder:
                others[source].append((r, data))
        mine = _sums(given[r])
        listed = [
            OtherFunder(id=o, label=label_of(G, o), **_sums(others[o]))
            for o in sorted(others, key=lambda o: (-len(others[o]), label_of(G, o), o))
        ]
        out.append(
            Grantee(
                id=r,
                kind=G.nodes[r].get("kind", "?"),
                label=label_of(G, r),
                totals=mine["totals"],
                grants=mine["grants"],
                other_funders=listed,
            )
        )
    return out


def totals_by_year(G: nx.MultiDiGraph, funder: str | None = None) -> list[YearTotals]:
    """Every ``funds`` edge of `G` (load it with ``every_date``), or of one funder, summed by
    the year it starts: `period_start`, else `valid_from`; grants with neither are undated."""
    by_year: dict[int | None, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for source, target, data in G.edges(data=True):
        if data.get("kind") != "funds" or (funder is not None and source != funder):
            continue
        day = _date(data.get("period_start")) or _date(data.get("valid_from"))
        by_year[day.year if day else None].append((target, data))
    years = sorted(by_year, key=lambda y: (y is None, y or 0))
    return [YearTotals(year=y, **_sums(by_year[y])) for y in years]
