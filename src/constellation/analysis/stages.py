"""Where each network stands in its process, and the networks that stopped moving through it.

Seed 002 walks every Collective Action Network through seven steps (verify outcomes and
indicators, map moving trains, … continually improve); a partnership that works another
way declares its own list on its initiative (`stages`). A constellation records the steps it
reached with their dates (`stages`); the latest reached on the graph's date is where it
stands.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from constellation import vocabulary as vocab
from constellation.analysis.findings import Finding, Severity, Subject, make_key, subject
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = [
    "Step",
    "StageEntry",
    "NetworkStage",
    "StagesReport",
    "process_of",
    "stage_of",
    "network_stages",
    "stalled_networks",
    "add_months",
    "months_between",
]


class Step(BaseModel):
    """One step of the process a workspace follows."""

    name: str = Field(description="The name stages are compared by, e.g. map_moving_trains.")
    title: str = Field(description="As people read it, e.g. 'Map moving trains'.")
    number: int = Field(description="Its place in the process, from 1.")


class StageEntry(BaseModel):
    """A step a constellation reached, and when."""

    stage: str
    title: str
    number: int | None = Field(
        description="Its place in the process; none for a stage the process does not list."
    )
    reached: dt.date
    note: str | None = None


class NetworkStage(BaseModel):
    """Where one constellation stands on the graph's date."""

    constellation: Subject
    status: str
    stage: StageEntry | None = Field(description="The latest stage reached; none if unrecorded.")
    months_on_stage: int | None = Field(description="Whole months since it reached it.")
    stalled: bool = Field(
        description="What `stalled_networks` says: active, and on a step "
        "(not the last) longer than `stalled_after_months`."
    )
    history: list[StageEntry] = Field(description="Every stage reached by the date, oldest first.")
    illustrative: bool = Field(
        description="Some of its dates are illustrative: the record says "
        "so, or a stage's note is 'illustrative'."
    )


class StagesReport(BaseModel):
    """`GET …/stages` and `constellation stages --format json`."""

    workspace: str
    as_of: dt.date
    process: list[Step] = Field(description="The steps, in order.")
    source: str = Field(
        description="Where the steps come from: seed 002, or the initiative that declares its own."
    )
    networks: list[NetworkStage] = Field(description="Every constellation, furthest along first.")


def process_of(G: nx.MultiDiGraph) -> tuple[list[Step], str]:
    """The steps the workspace's constellations go through, and where they come from: the
    first initiative (by id) that declares `stages`, else seed 002's seven steps.

    >>> from constellation.graph import build_graph
    >>> steps, source = process_of(build_graph([]))
    >>> len(steps), steps[1].title, source
    (7, 'Map moving trains', 'seed 002')
    """
    declared = sorted(
        n for n, d in G.nodes(data=True) if d.get("kind") == "initiative" and d.get("stages")
    )
    if declared:
        node = declared[0]
        titles = [(vocab.stage_name(t), t) for t in G.nodes[node]["stages"]]
        source = f"initiative {G.nodes[node].get('label', node)}"
    else:
        titles, source = list(vocab.PROCESS_STEPS), "seed 002"
    return [Step(name=n, title=t, number=i) for i, (n, t) in enumerate(titles, 1)], source


def _steps(G: nx.MultiDiGraph) -> dict[str, Step]:
    return {s.name: s for s in process_of(G)[0]}


def _history(G: nx.MultiDiGraph, c: str, steps: dict[str, Step]) -> list[StageEntry]:
    """The stages a constellation reached by the graph's date, oldest first."""
    as_of = G.graph["as_of"]
    entries = []
    for raw in G.nodes[c].get("stages") or ():
        if not isinstance(raw, dict) or not raw.get("stage") or not raw.get("reached"):
            continue
        reached = raw["reached"]
        reached = dt.date.fromisoformat(reached) if isinstance(reached, str) else reached
        if reached > as_of:
            continue
        name = vocab.stage_name(raw["stage"])
        step = steps.get(name)
        entries.append(
            StageEntry(
                stage=name,
                title=step.title if step else name.replace("_", " ").capitalize(),
                number=step.number if step else None,
                reached=reached,
                note=raw.get("note"),
            )
        )
    entries.sort(key=lambda e: (e.reached, e.number or 0))
    return entries


def stage_of(G: nx.MultiDiGraph, c: str) -> StageEntry | None:
    """The stage a constellation stands at on the graph's date: the latest it reached (a
    network may go back a step, so not the highest), or None when none is recorded."""
    history = _history(G, c, _steps(G))
    return history[-1] if history else None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter.

    >>> add_months(dt.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    >>> add_months(dt.date(9999, 6, 1), 12)
    datetime.date(9999, 12, 31)
    """
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > dt.MAXYEAR:  # past the calendar: later than any date there is
        return dt.date.max
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end`.

    >>> months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29)), months_between(
    ...     dt.date(2024, 1, 31), dt.date(2024, 2, 28))
    (1, 0)
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


def _stalled(ix: Index, c: str, entry: StageEntry | None, last: int, params: AuditParams) -> bool:
    """Active, on a stage that is not the process's `last`, past `stalled_after_months`."""
    return (
        ix.status(c) == "active"
        and entry is not None
        and entry.number != last
        and ix.G.graph["as_of"] > add_months(entry.reached, params.stalled_after_months)
    )


def network_stages(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> StagesReport:
    """Where every constellation stands in the process on the graph's date: furthest along
    first, then those with no stage recorded, by label.

    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "c", "kind": "constellation", "label": "Career CAN",
    ...     "properties": {"stages": [{"stage": "Verify outcomes & indicators",
    ...                                "reached": "2017-11-01"},
    ...                               {"stage": "map moving trains", "reached": "2018-04-01"}]}}],
    ...     as_of=dt.date(2018, 6, 1))
    >>> row = network_stages(G).networks[0]
    >>> row.stage.number, row.stage.title, row.months_on_stage
    (2, 'Map moving trains', 2)
    """
    p = resolve(params)
    ix = index_of(G)
    steps, source = process_of(G)
    by_name = {s.name: s for s in steps}
    as_of = G.graph["as_of"]
    rows = []
    for c in ix.nodes("constellation"):
        history = _history(G, c, by_name)
        entry = history[-1] if history else None
        attrs = G.nodes[c].get("attributes") or {}
        rows.append(
            NetworkStage(
                constellation=subject(G, c),
                status=ix.status(c),
                stage=entry,
                months_on_stage=months_between(entry.reached, as_of) if entry else None,
                stalled=_stalled(ix, c, entry, len(steps), p),
                history=history,
                illustrative=bool(attrs.get("illustrative"))
                or any(e.note == "illustrative" for e in history),
            )
        )
    rows.sort(
        key=lambda r: (
            r.stage is None,
            -(r.stage.number or 0) if r.stage else 0,
            r.constellation.label.lower(),
        )
    )
    return StagesReport(
        workspace=G.graph["workspace"], as_of=as_of, process=steps, source=source, networks=rows
    )


def _staged_active(ix: Index) -> int:
    steps = _steps(ix.G)
    return sum(1 for c in ix.active_constellations if _history(ix.G, c, steps))


@check(
    "stalled_networks",
    title="Stalled networks",
    weight=1,
    population=_staged_active,
    population_label="active constellations with a recorded stage",
)
def stalled_networks(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Active constellations that have stayed on one step of the process too long.

    Seed 002: each network "will drive the implementation of project plans framed around
    continuous improvement", moving through seven steps. A network is stalled when the
    latest step it reached was reached more than `stalled_after_months` before the audit's
    date; low, medium past twice that. The last step (seed 002's "continually improve") is
    ongoing by nature and never stalls; a group with no stage recorded is not judged.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "c", "kind": "constellation", "label": "Career CAN",
    ...     "properties": {"stages": [{"stage": "prioritize_contributing_indicators",
    ...                                "reached": "2019-05-01"}]}}],
    ...     as_of=dt.date(2021, 6, 1))
    >>> f = stalled_networks(G)[0]
    >>> print(f.message)  # doctest: +NORMALIZE_WHITESPACE
    Career CAN has been on step 4 of 7 (Prioritize contributing indicators) for 25 months,
    since 2019-05-01.
    >>> f.severity.value
    'medium'

    Notes
    -----
    O(C·S) over constellations and their recorded stages.

    References
    ----------
    Seed 002 (the process: verify outcomes & indicators … continually improve).
    """
    p = resolve(params)
    ix = index_of(G)
    by_name = _steps(G)
    steps = list(by_name.values())
    as_of = G.graph["as_of"]
    found = []
    for c in ix.active_constellations:
        history = _history(G, c, by_name)
        entry = history[-1] if history else None
        if entry is None or not _stalled(ix, c, entry, len(steps), p):
            continue
        months = months_between(entry.reached, as_of)
        where = (
            f"step {entry.number} of {len(steps)} ({entry.title})"
            if entry.number
            else f"the stage {entry.title}"
        )
        following = steps[entry.number] if entry.number else None
        found.append(
            Finding(
                check="stalled_networks",
                severity=Severity.MEDIUM
                if as_of > add_months(entry.reached, 2 * p.stalled_after_months)
                else Severity.LOW,
                subjects=[subject(G, c)],
                message=f"{G.nodes[c]['label']} has been on {where} for {months} months, "
                f"since {entry.reached.isoformat()}.",
                evidence={
                    "stage": entry.stage,
                    "title": entry.title,
                    "step": entry.number,
                    "steps": len(steps),
                    "reached": entry.reached.isoformat(),
                    "months_on_stage": months,
                    "next_stage": following.name if following else None,
                    "stalled_after_months": p.stalled_after_months,
                },
                suggestion=(
                    f"Ask its conveners what holds it before “{following.title}”, and whether "
                    "the backbone can help; if it has moved on, record the step it reached."
                    if following
                    else "Ask its conveners where it stands, and record the step it reached."
                ),
                key=make_key("stalled_networks", c),
            )
        )
    found.sort(key=lambda f: (-f.evidence["months_on_stage"], f.key))
    return found
