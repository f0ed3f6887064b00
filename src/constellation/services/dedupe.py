"""Duplicate organizations: find the pairs to merge, and merge one into another.

A merge moves every tie of OTHER to KEEP, keeps OTHER's label (and aliases and
identifiers) on KEEP, merges properties (KEEP wins; conflicts are listed) and deletes
OTHER, in one savepoint of the caller's transaction: every write lands in the change log
as usual, with one ``merge`` entry on KEEP that says what was merged, and nothing is
written when anything is refused (or on a dry run).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from constellation import vocabulary as vocab
from constellation.analysis.dedupe import ORG_ID, Candidate, DedupeReport, find_duplicates
from constellation.errors import InvalidQuestion, Problem
from constellation.records import EdgeOut, NodeOut
from constellation.services.network import Network

if TYPE_CHECKING:
    from constellation.store import Repository

__all__ = ["dedupe", "merge", "MergeReport", "Conflict", "MERGE_ACTION"]

MERGE_ACTION = "merge"
"""The change log's action for a merge (entity ``node``, the id of the node kept)."""

GRANT_IDENTITY = ("amount", "currency", "period_start", "period_end")
"""Two ``funds`` ties between the same two nodes are two grants unless these all agree."""


class Conflict(BaseModel):
    """A field both records fill differently: KEEP's value stays."""

    record: str = Field(description="The node or edge id kept.")
    field: str
    kept: Any
    dropped: Any


class MergeReport(BaseModel):
    """`constellation merge --format json` and ``POST …/nodes/{keep}/merge`` return this."""

    workspace: str
    keep: str
    other: str
    dry_run: bool = False
    moved: list[str] = Field(default_factory=list, description="Ties moved onto KEEP.")
    combined: dict[str, str] = Field(
        default_factory=dict,
        description="Ties of OTHER that duplicated one of KEEP's: their id → the tie kept.",
    )
    dropped: list[str] = Field(
        default_factory=list, description="Ties between KEEP and OTHER, which a merge ends."
    )
    aliases: list[str] = Field(default_factory=list, description="KEEP's aliases after.")
    conflicts: list[Conflict] = Field(default_factory=list)


def dedupe(
    net: Network, kind: str = "organization", threshold: float | None = None
) -> DedupeReport:
    """The pairs of nodes of `kind` the finder proposes to merge, best first."""
    if kind not in vocab.NODE_KINDS:
        raise InvalidQuestion(
            [
                Problem(
                    f"{kind!r} is no node kind; use one of {', '.join(vocab.NODE_KINDS)}",
                    field="kind",
                )
            ]
        )
    params = {} if threshold is None else {"threshold": threshold}
    nodes = net.repo.query_nodes(net.workspace, kind=kind)
    candidates = [Candidate.of(n.id, n.label, n.kind, n.properties, n.attributes) for n in nodes]
    return find_duplicates(candidates, params)


def merge(
    repo: Repository, workspace: str, keep: str, other: str, *, dry_run: bool = False
) -> MergeReport:
    """Merge OTHER into KEEP (both by name); see the module's docstring."""
    a, b = repo.find_node(workspace, keep), repo.find_node(workspace, other)
    _check(a, b)
    report = MergeReport(workspace=workspace, keep=a.id, other=b.id, dry_run=dry_run)
    with repo.savepoint(keep=not dry_run):
        mine = repo.query_edges(workspace, node=a.id, include_archived=True)
        for e in repo.query_edges(workspace, node=b.id, include_archived=True):
            source = a.id if e.source == b.id else e.source
            target = a.id if e.target == b.id else e.target
            if source == target:
                repo.delete_edge(workspace, e.id)
                report.dropped.append(e.id)
                continue
            twin = next((m for m in mine if _same_tie(m, e, source, target)), None)
            if twin is None:  # moved, and a twin for what follows
                mine.append(repo.update_edge(workspace, e.id, {"source": source, "target": target}))
                report.moved.append(e.id)
                continue
            mine[mine.index(twin)] = repo.update_edge(
                workspace, twin.id, _combined(twin, e, report)
            )
            repo.delete_edge(workspace, e.id)
            report.combined[e.id] = twin.id
        changes = _node_changes(a, b, report)
        repo.delete_node(workspace, b.id)
        repo.update_node(workspace, a.id, changes)
        repo.log_event(
            workspace,
            "node",
            a.id,
            MERGE_ACTION,
            before={"merged": b.model_dump(mode="json")},
            after=report.model_dump(mode="json", exclude={"workspace", "dry_run"}),
        )
    return report


def _check(a: NodeOut, b: NodeOut) -> None:
    problems = []
    if a.id == b.id:
        problems.append(Problem(f"{a.label!r} cannot be merged into itself", field="other"))
    elif a.kind != b.kind:
        problems.append(
            Problem(
                f"{b.label!r} (kind {b.kind}) and {a.label!r} (kind {a.kind}) are of "
                f"different kinds: only records of one kind can be merged",
                field="other",
            )
        )
    if problems:
        raise InvalidQuestion(problems)


def _same_tie(mine: EdgeOut, theirs: EdgeOut, source: str, target: str) -> bool:
    """Whether OTHER's tie, once moved, says what one of KEEP's says already."""
    if (mine.kind, mine.source, mine.target) != (theirs.kind, source, target):
        return False
    if (mine.archived_at is None) != (theirs.archived_at is None):
        return False  # a live tie is never folded into an archived one, nor the reverse
    if mine.kind == "funds":
        return all(mine.properties.get(k) == theirs.properties.get(k) for k in GRANT_IDENTITY)
    return True


def _earlier(x: dt.date | None, y: dt.date | None) -> dt.date | None:
    return None if x is None or y is None else min(x, y)


def _later(x: dt.date | None, y: dt.date | None) -> dt.date | None:
    return None if x is None or y is None else max(x, y)


def _fill(
    record: str, kept: dict[str, Any], other: dict[str, Any], report: MergeReport, where: str
) -> dict[str, Any]:
    """`other`'s keys that `kept` lacks; those both hold differently are listed."""
    added = {}
    for key, value in other.items():
        if key not in kept or kept[key] in (None, "", [], {}):
            added[key] = value
        elif kept[key] != value:
            report.conflicts.append(
                Conflict(record=record, field=f"{where}.{key}", kept=kept[key], dropped=value)
            )
    return added


def _combined(twin: EdgeOut, theirs: EdgeOut, report: MergeReport) -> dict[str, Any]:
    """KEEP's tie with the earlier start, the later end, and what only OTHER's said."""
    return {
        "valid_from": _earlier(twin.valid_from, theirs.valid_from),
        "valid_to": _later(twin.valid_to, theirs.valid_to),
        "properties": _fill(twin.id, twin.properties, theirs.properties, report, "properties"),
        "attributes": _fill(twin.id, twin.attributes, theirs.attributes, report, "attributes"),
        "tags": sorted(set(twin.tags) | set(theirs.tags)),
    }


def _node_changes(a: NodeOut, b: NodeOut, report: MergeReport) -> dict[str, Any]:
    attrs_a, attrs_b = dict(a.attributes), dict(b.attributes)
    names = [*_list(attrs_a.get("aliases")), b.label, *_list(attrs_b.pop("aliases", None))]
    aliases: list[str] = []
    for name in names:
        if name.casefold() != a.label.casefold() and name.casefold() not in {
            x.casefold() for x in aliases
        }:
            aliases.append(name)
    ids_a, ids_b = attrs_a.get("identifiers") or {}, attrs_b.pop("identifiers", None) or {}
    attributes = _fill(a.id, attrs_a, attrs_b, report, "attributes")
    attributes["aliases"] = aliases
    identifiers = dict(ids_a) | _fill(a.id, ids_a, ids_b, report, "attributes.identifiers")
    if ORG_ID.match(b.id) and "org-id" not in identifiers:
        identifiers["org-id"] = b.id  # the id it was known by, for the next import to find
    if identifiers:
        attributes["identifiers"] = identifiers
    report.aliases = aliases
    return {
        "properties": _fill(a.id, a.properties, b.properties, report, "properties"),
        "attributes": attributes,
        "tags": sorted(set(a.tags) | set(b.tags)),
        "valid_from": _earlier(a.valid_from, b.valid_from),
        "valid_to": _later(a.valid_to, b.valid_to),
    }


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if value not in (None, "") else []
