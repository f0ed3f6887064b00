"""Rubric progress: constellations assessing themselves on seed 003's Leading by Convening
rubric, and whether they move up its four levels."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from constellation import vocabulary as vocab
from constellation.analysis.events import date_of
from constellation.analysis.findings import Finding, Severity, Subject, make_key, subject
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = [
    "DECISIONS",
    "LEVELS",
    "AssessmentPoint",
    "LevelHistory",
    "assessment_history",
    "assessment_progress",
    "assessments_of",
]

DECISIONS = {
    "coalesce_stakeholders": "coalesce the stakeholders",
    "ensure_participation": "ensure relevant participation",
    "translate_work": "translate work into ways others participate",
    "communicate_change": "communicate what is changing",
    "demonstrate_change": "demonstrate what is changing",
}
"""Seed 003's five operational decisions, by property."""

LEVELS = [level.value for level in vocab.Level]
"""Informing → Networking → Collaborating → Transforming, lowest first."""


class AssessmentPoint(BaseModel):
    """One self-assessment: its date and the level of each decision rated."""

    assessment: Subject
    date: dt.date
    levels: dict[str, str] = Field(description="Decision → level, for the decisions rated.")
    mean_level: float | None = Field(description="1 (informing) to 4 (transforming).")


class LevelHistory(BaseModel):
    """A constellation's (or initiative's) rubric levels over time, oldest first."""

    subject: Subject
    points: list[AssessmentPoint]


def assessments_of(ix: Index, node: str) -> list[AssessmentPoint]:
    """The dated assessments of a constellation or initiative up to the graph's date,
    oldest first."""
    points = []
    for a in ix.sources("assesses", node):
        day = date_of(ix.G, a)
        if day is None:
            continue
        levels = {d: ix.G.nodes[a][d] for d in DECISIONS if ix.G.nodes[a].get(d) in LEVELS}
        ranks = [LEVELS.index(v) + 1 for v in levels.values()]
        points.append(
            AssessmentPoint(
                assessment=subject(ix.G, a),
                date=day,
                levels=levels,
                mean_level=round(sum(ranks) / len(ranks), 2) if ranks else None,
            )
        )
    return sorted(points, key=lambda p: (p.date, p.assessment.id))


def assessment_history(G: nx.MultiDiGraph) -> list[LevelHistory]:
    """Every constellation and initiative that has assessed itself, with its levels over
    time: what the overview draws.

    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "c", "kind": "constellation", "label": "Kindergarten Readiness CAN"},
    ...      {"id": "a", "kind": "assessment", "label": "2018 self-assessment",
    ...       "properties": {"date": "2018-05-01", "coalesce_stakeholders": "networking",
    ...                      "ensure_participation": "collaborating"}}],
    ...     [{"kind": "assesses", "source": "a", "target": "c"}])
    >>> [(h.subject.label, [p.mean_level for p in h.points]) for h in assessment_history(G)]
    [('Kindergarten Readiness CAN', [2.5])]
    """
    ix = index_of(G)
    found = []
    for kind in ("initiative", "constellation"):
        for node in sorted(ix.nodes(kind), key=lambda n: G.nodes[n]["label"]):
            points = assessments_of(ix, node)
            if points:
                found.append(LevelHistory(subject=subject(G, node), points=points))
    return found


@check(
    "assessment_progress",
    title="Rubric progress",
    weight=1,
    population=lambda ix: len(ix.active_constellations),
    population_label="active constellations",
)
def assessment_progress(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Active constellations that do not assess themselves, stay at *informing*, or fall back.

    Seed 003's Leading by Convening rubric rates five operational decisions at four levels,
    from Informing (one-way communication) to Transforming. Three findings:

    * no dated self-assessment in the last `assessment_within_days` (low);
    * the latest assessment rates every decision at *informing* (low);
    * a decision rated lower than in the assessment before (medium), each decision named.

    Examples
    --------
    >>> import datetime as dt
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "c", "kind": "constellation", "label": "Career Readiness CAN"},
    ...      {"id": "a1", "kind": "assessment", "label": "2022", "properties": {
    ...       "date": "2022-05-01", "coalesce_stakeholders": "collaborating"}},
    ...      {"id": "a2", "kind": "assessment", "label": "2023", "properties": {
    ...       "date": "2023-09-01", "coalesce_stakeholders": "networking"}}],
    ...     [{"kind": "assesses", "source": a, "target": "c"} for a in ("a1", "a2")],
    ...     as_of=dt.date(2024, 6, 1))
    >>> f = assessment_progress(G)[0]
    >>> f.message
    'Career Readiness CAN fell on coalesce the stakeholders (collaborating → networking) \
between its assessments of 2022-05-01 and 2023-09-01.'

    Notes
    -----
    O(A log A) for the A assessments of each constellation.

    References
    ----------
    Seed 003, "Leading by Convening: Rubrics to Assess and Shape Practice".
    """
    p = resolve(params)
    ix = index_of(G)
    since = G.graph["as_of"] - dt.timedelta(days=p.assessment_within_days)
    findings = []
    for c in ix.active_constellations:
        label = G.nodes[c]["label"]
        points = assessments_of(ix, c)
        last = points[-1] if points else None
        if last is None or last.date < since:
            findings.append(
                Finding(
                    check="assessment_progress",
                    severity=Severity.LOW,
                    subjects=[subject(G, c)],
                    message=f"{label} has not assessed itself on the rubric since {last.date}."
                    if last
                    else f"{label} has never assessed itself on the rubric.",
                    evidence={
                        "reason": "no_recent_assessment",
                        "assessments": len(points),
                        "last_assessment": last.date.isoformat() if last else None,
                        "assessment_within_days": p.assessment_within_days,
                    },
                    suggestion="Run the Leading by Convening self-assessment with its members "
                    "(seed 003) and record the levels.",
                    key=make_key("assessment_progress", c, "no_recent_assessment"),
                )
            )
        if last and last.levels and set(last.levels.values()) == {vocab.Level.INFORMING}:
            findings.append(
                Finding(
                    check="assessment_progress",
                    severity=Severity.LOW,
                    subjects=[subject(G, c), last.assessment],
                    message=f"{label} rates every decision at the informing level "
                    f"(one-way communication) in its assessment of {last.date}.",
                    evidence={
                        "reason": "still_informing",
                        "assessment": last.assessment.id,
                        "levels": last.levels,
                    },
                    suggestion="Pick one decision to move to networking: bring a core group of "
                    "stakeholders together to exchange, not only hear (seed 003).",
                    key=make_key("assessment_progress", c, "still_informing"),
                )
            )
        for before, after in zip(points, points[1:], strict=False):
            fell = {
                d: (before.levels[d], after.levels[d])
                for d in DECISIONS
                if d in before.levels
                and d in after.levels
                and LEVELS.index(after.levels[d]) < LEVELS.index(before.levels[d])
            }
            if not fell:
                continue
            what = "; ".join(f"{DECISIONS[d]} ({a} → {b})" for d, (a, b) in fell.items())
            findings.append(
                Finding(
                    check="assessment_progress",
                    severity=Severity.MEDIUM,
                    subjects=[subject(G, c), before.assessment, after.assessment],
                    message=f"{label} fell on {what} between its assessments of "
                    f"{before.date} and {after.date}.",
                    evidence={
                        "reason": "level_fell",
                        "from": before.date.isoformat(),
                        "to": after.date.isoformat(),
                        "fell": {d: list(v) for d, v in fell.items()},
                    },
                    suggestion="Ask its members what changed (a convener who left, partners who "
                    "stopped coming) and plan how to regain the level.",
                    key=make_key("assessment_progress", c, "level_fell", after.assessment.id),
                )
            )
    return findings
