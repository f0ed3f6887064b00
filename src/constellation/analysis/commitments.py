"""Signers' institutional commitments: where each stands, and those that stopped moving.

Seed 001 gives the stewardship group the "fulfillment, tracking progress, and updating of
institutional commitments to the L.A. Compact partnership". A signer's commitments are on
its `signs` tie (`commitments`: text, the goal it serves, a status, dated progress notes);
this module reads them by signer or by goal, and the check `stale_commitments` finds those
nobody has reported progress on for a year, and the signers with nothing left standing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal

import networkx as nx
from pydantic import BaseModel, Field, ValidationError

from constellation import vocabulary as vocab
from constellation.analysis.findings import Finding, Severity, Subject, make_key, subject
from constellation.analysis.index import Index
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check
from constellation.analysis.stages import add_months, months_between

__all__ = [
    "CommitmentRow",
    "CommitmentGroup",
    "CommitmentsReport",
    "signer_commitments",
    "commitments_report",
    "stale_commitments",
]

By = Literal["signer", "goal"]


class CommitmentRow(BaseModel):
    """One commitment of one signer, as of the graph's date."""

    id: str = Field(description="Unique within its signs tie.")
    text: str
    signer: Subject = Field(description="The organization that made it.")
    edge: str = Field(description="The id of its signs tie, which holds it (and is changed).")
    initiative: Subject = Field(description="What the signer signed.")
    goal: Subject | None = Field(
        description="The goal it serves; its id as label when the goal is not in the network "
        "on this date."
    )
    strategy: str | None = None
    status: vocab.CommitmentStatus
    progress: list[vocab.ProgressNote] = Field(
        description="Its progress notes dated by the graph's date, oldest first."
    )
    last_progress: dt.date | None = Field(description="The latest of them.")
    counted_from: dt.date | None = Field(
        description="What staleness counts from: the last note, else the date it was signed "
        "(the tie's date, else its valid_from); none when there is neither."
    )
    months_since: int | None = Field(description="Whole months since `counted_from`.")
    stale: bool = Field(
        description="What `stale_commitments` says: neither fulfilled nor withdrawn, and no "
        "progress note within `stale_commitment_months` (or no date at all)."
    )


class CommitmentGroup(BaseModel):
    """The commitments of one signer, or those serving one goal."""

    subject: Subject | None = Field(
        description="The signer or the goal; none for the commitments that name no goal."
    )
    commitments: list[CommitmentRow]
    by_status: dict[str, int] = Field(description="How many are at each status.")
    stale: int = Field(description="How many are stale.")


class CommitmentsReport(BaseModel):
    """`GET …/commitments` and `constellation commitments --format json`."""

    workspace: str
    as_of: dt.date
    by: By = Field(description="signer or goal: what the groups are.")
    stale_commitment_months: int
    total: int = Field(description="Commitments, in every group.")
    by_status: dict[str, int] = Field(description="How many are at each status.")
    stale: int = Field(description="How many are stale.")
    groups: list[CommitmentGroup] = Field(
        description="By signer: by label. By goal: in the goals' order (number, then label), "
        "the commitments naming no goal last."
    )
    lapsed_signers: list[Subject] = Field(
        description="Signers whose every commitment is withdrawn or stale, by label."
    )


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _parsed(raw: Any) -> list[vocab.Commitment]:
    """A tie's commitments as the vocabulary reads them; none if they do not parse (the
    store never holds such, but a hand-built graph might)."""
    try:
        return vocab.SignsProps.model_validate({"commitments": raw}).commitments or []
    except ValidationError:
        return []


def signer_commitments(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[CommitmentRow]:
    """Every commitment on the graph's signs ties, each with whether it is stale: in the
    order of the signers' labels, then as the tie lists them.

    A commitment is stale when it is neither fulfilled nor withdrawn and its last progress
    note (notes dated after the graph's date are not known yet) is more than
    `stale_commitment_months` before the graph's date. With no note, the months count from
    the day the tie was signed (its `date`, else its `valid_from`): a commitment made two
    years ago that nobody has reported on since is as stale as one whose last note is two
    years old. With no note and no date at all it is stale: nothing on record shows it
    moving, and a dated note is what the stewardship group needs to see that it does. The
    status is the one recorded now (it has no history of its own).

    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "i", "kind": "initiative", "label": "Compact"},
    ...      {"id": "o", "kind": "organization", "label": "LAUSD"}],
    ...     [{"kind": "signs", "source": "o", "target": "i", "properties": {
    ...         "date": "2008-01-01", "commitments": [
    ...             {"text": "Prepare high-quality teachers", "status": "in progress",
    ...              "progress": [{"date": "2025-09-01", "note": "First cohort placed"}]},
    ...             {"text": "Share data with colleges"}]}}],
    ...     as_of=dt.date(2026, 6, 1))
    >>> [(r.id, r.last_progress, r.months_since, r.stale) for r in signer_commitments(G)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('prepare-high-quality-teachers', datetime.date(2025, 9, 1), 9, False),
     ('share-data-with-colleges', None, 221, True)]
    """
    p = resolve(params)
    as_of = G.graph["as_of"]
    rows = []
    ties = sorted(
        (
            (G.nodes[s].get("label", s).lower(), key, s, t, data)
            for s, t, key, data in G.edges(keys=True, data=True)
            if data.get("kind") == "signs" and data.get("commitments")
        ),
        key=lambda x: (x[0], str(x[1])),
    )
    for _, key, org, initiative, data in ties:
        signed = _day(data.get("date")) or _day(data.get("valid_from"))
        for c in _parsed(data["commitments"]):
            notes = sorted((n for n in c.progress if n.date <= as_of), key=lambda n: n.date)
            last = notes[-1].date if notes else None
            start = last or signed
            status = vocab.CommitmentStatus(c.status)
            stale = status not in vocab.CLOSED_COMMITMENTS and (
                start is None or as_of > add_months(start, p.stale_commitment_months)
            )
            rows.append(
                CommitmentRow(
                    id=c.id,
                    text=c.text,
                    signer=subject(G, org),
                    edge=str(key),
                    initiative=subject(G, initiative),
                    goal=_goal(G, c.goal),
                    strategy=c.strategy,
                    status=status,
                    progress=notes,
                    last_progress=last,
                    counted_from=start,
                    months_since=months_between(start, as_of) if start and start <= as_of else None,
                    stale=stale,
                )
            )
    return rows


def _goal(G: nx.MultiDiGraph, goal: str | None) -> Subject | None:
    if goal is None:
        return None
    return subject(G, goal) if goal in G else Subject(id=goal, kind="goal", label=goal)


def _counts(rows: list[CommitmentRow]) -> dict[str, int]:
    found = Counter(r.status for r in rows)
    return {s.value: found[s] for s in vocab.CommitmentStatus}


def _lapsed(rows: list[CommitmentRow]) -> bool:
    """Every commitment withdrawn or stale: nothing of the signer's is kept or moving."""
    return bool(rows) and all(r.stale or r.status == vocab.CommitmentStatus.WITHDRAWN for r in rows)


def _by_signer(rows: list[CommitmentRow]) -> dict[str, list[CommitmentRow]]:
    groups: dict[str, list[CommitmentRow]] = {}
    for r in rows:
        groups.setdefault(r.signer.id, []).append(r)
    return groups


def commitments_report(
    G: nx.MultiDiGraph, by: By = "signer", params: AuditParams | dict[str, Any] | None = None
) -> CommitmentsReport:
    """Every commitment on the graph's date, grouped by signer or by the goal it serves.

    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "i", "kind": "initiative", "label": "Compact"},
    ...      {"id": "g", "kind": "goal", "label": "Graduation", "properties": {"number": 1}},
    ...      {"id": "o", "kind": "organization", "label": "LAUSD"}],
    ...     [{"kind": "signs", "source": "o", "target": "i", "properties": {"commitments": [
    ...         {"text": "Teachers", "goal": "g", "status": "fulfilled"}, {"text": "Data"}]}}])
    >>> [(g.subject and g.subject.label, [c.id for c in g.commitments])
    ...  for g in commitments_report(G, by="goal").groups]
    [('Graduation', ['teachers']), (None, ['data'])]
    """
    p = resolve(params)
    rows = signer_commitments(G, p)
    signers = _by_signer(rows)
    groups: list[CommitmentGroup] = []
    if by == "signer":
        for members in signers.values():
            groups.append(_group(members[0].signer, members))
    else:
        goals: dict[str | None, list[CommitmentRow]] = {}
        for r in rows:
            goals.setdefault(r.goal.id if r.goal else None, []).append(r)

        def order(goal: str | None) -> tuple[Any, ...]:
            if goal is None:
                return (2, 0, "")
            number = G.nodes[goal].get("number") if goal in G else None
            label = G.nodes[goal].get("label", goal) if goal in G else goal
            return (0 if number is not None else 1, number or 0, str(label).lower())

        for goal in sorted(goals, key=order):
            members = goals[goal]
            groups.append(_group(members[0].goal, members))
    lapsed = [members[0].signer for members in signers.values() if _lapsed(members)]
    return CommitmentsReport(
        workspace=G.graph["workspace"],
        as_of=G.graph["as_of"],
        by=by,
        stale_commitment_months=p.stale_commitment_months,
        total=len(rows),
        by_status=_counts(rows),
        stale=sum(r.stale for r in rows),
        groups=groups,
        lapsed_signers=lapsed,
    )


def _group(key: Subject | None, rows: list[CommitmentRow]) -> CommitmentGroup:
    return CommitmentGroup(
        subject=key, commitments=rows, by_status=_counts(rows), stale=sum(r.stale for r in rows)
    )


def _population(ix: Index) -> int:
    """Commitments, and the signers that made them: each can be found wanting once."""
    rows = signer_commitments(ix.G)
    return len(rows) + len({r.signer.id for r in rows})


@check(
    "stale_commitments",
    title="Stale commitments",
    weight=1,
    population=_population,
    population_label="commitments, and the signers that made them",
)
def stale_commitments(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Signers' commitments with no progress for a year, and signers with none left standing.

    Seed 001: signers "provide high level commitment on behalf of an agency or institution
    to the shared agenda", and the stewardship group sees to the "fulfillment, tracking
    progress, and updating of institutional commitments". A commitment neither fulfilled
    nor withdrawn is stale when its last progress note is more than
    `stale_commitment_months` before the audit's date (counted from the day the tie was
    signed when it has no note, and stale outright with no date at all: see
    `signer_commitments`); low, medium past twice that. A signer whose every commitment is
    withdrawn or stale gets a finding of its own (medium): nothing it committed to is kept
    or moving. Signers with no commitments on record are not judged.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "i", "kind": "initiative", "label": "Compact"},
    ...      {"id": "o", "kind": "organization", "label": "UTLA"}],
    ...     [{"id": "t", "kind": "signs", "source": "o", "target": "i", "properties": {
    ...         "commitments": [
    ...             {"text": "Mentor new teachers", "status": "in progress",
    ...              "progress": [{"date": "2024-10-01", "note": "Pilot in two schools"}]},
    ...             {"text": "Join the data workgroup", "status": "withdrawn"}]}}],
    ...     as_of=dt.date(2026, 6, 1))
    >>> for f in stale_commitments(G):
    ...     print(f.severity.value, f.message)  # doctest: +NORMALIZE_WHITESPACE
    low UTLA's commitment “Mentor new teachers” has had no progress note for 20 months,
    since 2024-10-01.
    medium Every commitment UTLA made to the shared agenda is withdrawn or stale (1 withdrawn,
    1 stale).

    Notes
    -----
    O(T·C·P) over signs ties, their commitments and progress notes.

    References
    ----------
    Seed 001 (Stakeholder roles: signers; the stewardship group's role).
    """
    p = resolve(params)
    months = p.stale_commitment_months
    as_of = G.graph["as_of"]
    rows = signer_commitments(G, p)
    found = []
    for r in rows:
        if not r.stale:
            continue
        who = r.signer.label
        if r.last_progress is not None:
            message = (
                f"{who}'s commitment “{r.text}” has had no progress note for "
                f"{r.months_since} months, since {r.last_progress.isoformat()}."
            )
        elif r.counted_from is not None:
            message = (
                f"{who}'s commitment “{r.text}” has no progress note in the "
                f"{r.months_since} months since it was signed on {r.counted_from.isoformat()}."
            )
        else:
            message = (
                f"{who}'s commitment “{r.text}” has no progress note, and its tie no date to "
                "count from."
            )
        late = r.counted_from is not None and as_of > add_months(r.counted_from, 2 * months)
        found.append(
            Finding(
                check="stale_commitments",
                severity=Severity.MEDIUM if late else Severity.LOW,
                subjects=[r.signer, r.initiative] + ([r.goal] if r.goal and r.goal.id in G else []),
                message=message,
                evidence={
                    "reason": "no_recent_progress",
                    "edge": r.edge,
                    "commitment": r.id,
                    "status": r.status.value,
                    "goal": r.goal.id if r.goal else None,
                    "last_progress": r.last_progress.isoformat() if r.last_progress else None,
                    "counted_from": r.counted_from.isoformat() if r.counted_from else None,
                    "months_since": r.months_since,
                    "stale_commitment_months": months,
                },
                suggestion=f"Ask {who} for a dated note of where it stands, or record it as "
                "fulfilled or withdrawn; the stewardship group reviews the commitments at its "
                "next meeting.",
                key=make_key("stale_commitments", r.edge, r.id),
            )
        )
    found.sort(key=lambda f: (-(f.evidence["months_since"] or 10**6), f.key))
    for org, members in _by_signer(rows).items():
        if not _lapsed(members):
            continue
        withdrawn = sum(r.status == vocab.CommitmentStatus.WITHDRAWN for r in members)
        stale = sum(r.stale for r in members)
        who = members[0].signer.label
        found.append(
            Finding(
                check="stale_commitments",
                severity=Severity.MEDIUM,
                subjects=[members[0].signer]
                + list({r.initiative.id: r.initiative for r in members}.values()),
                message=f"Every commitment {who} made to the shared agenda is withdrawn or "
                f"stale ({withdrawn} withdrawn, {stale} stale).",
                evidence={
                    "reason": "every_commitment_lapsed",
                    "edges": sorted({r.edge for r in members}),
                    "commitments": len(members),
                    "withdrawn": withdrawn,
                    "stale": stale,
                    "last_progress": max(
                        (r.last_progress.isoformat() for r in members if r.last_progress),
                        default=None,
                    ),
                    "stale_commitment_months": months,
                },
                suggestion=f"Raise it with {who}'s deputy on the stewardship group: renew a "
                "commitment it can keep, or review whether it still signs the agreement "
                "(seed 001: the group reviews the agreement so the strategies stay relevant).",
                key=make_key("stale_commitments", org, "every_commitment_lapsed"),
            )
        )
    return found
