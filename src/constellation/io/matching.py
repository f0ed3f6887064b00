"""Incoming records matched to what the workspace holds: by identifier, then alias or label.

Re-importing one organization from another source (a 360Giving file naming it
``GB-CHC-1234567``, a Kumu sheet naming it "LAUSD") must update the node the workspace
has, not add a copy. So, before the upsert, each incoming node whose id the workspace
does not hold is matched to a stored node of its kind:

1. by **identifier** — any identifier it carries (`constellation.analysis.dedupe.
   identifiers_of`: ``attributes.identifiers``, EIN / charity / company number
   attributes, an org-id id, the columns the mapping file names under ``identifiers``,
   and the foreign id a previous import recorded) equal to one a stored node carries;
2. else by **alias or exact label** (case aside), when exactly one stored node has it and
   no other incoming node of the file has that label too: rows that carry their own ids
   stay distinct records even when two share a label.

A matched node takes the stored node's id (the file's edges follow), keeps the stored
label (the file's label joins ``attributes.aliases`` when it differs), gains the file's
properties and attributes, and records the file's id under ``attributes.identifiers``
when it is an org-id (scheme ``org-id``) or a Kumu element id (scheme ``kumu``, see
`STABLE_IDS`), so the next import finds it by identifier. Every match is listed in the
import report.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from constellation.analysis.dedupe import ORG_ID, identifier_value, identifiers_of
from constellation.io.batching import Batch

if TYPE_CHECKING:
    from constellation.records import NodeOut
    from constellation.store.repository import Repository

__all__ = ["Matched", "match_existing", "STABLE_IDS"]

STABLE_IDS = frozenset({"kumu"})
"""Formats whose ids name one element for good (Kumu's element ids): a matched record's id in
them is kept as an identifier. Ids such as GraphML's ``n0`` or a CSV's row numbers are not,
as another file may use them for another organization; org-ids always are."""


class Matched(BaseModel):
    """An incoming record that updated a stored node instead of adding one."""

    incoming: str = Field(description="The id the file gave it (its label, if it gave none).")
    label: str
    node: str = Field(description="The stored node it updated.")
    by: str = Field(description="identifier, alias or label.")
    position: str | None = None


def match_existing(
    repo: Repository,
    workspace: str,
    batch: Batch,
    fmt: str,
    identifier_columns: dict[str, str] | None = None,
    *,
    exists: bool = True,
    made: set[str] | frozenset[str] = frozenset(),
) -> list[Matched]:
    """Rewrite `batch` so its nodes update the stored nodes they match; return the matches.
    In a workspace the import creates (`exists` false) only the identifier columns move.
    `made` are the ids the reader made up for rows without one: never kept as identifiers."""
    columns = identifier_columns or {}
    if columns:
        for node in batch.nodes:
            _lift_identifiers(node, columns)
    if not exists:
        return []
    stored = {n.id: n for n in repo.query_nodes(workspace, include_archived=True)}
    if not stored:
        return []
    by_ident: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    by_name: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for n in stored.values():
        for scheme, value in identifiers_of(n.id, n.attributes).items():
            by_ident[(n.kind, scheme, value)].add(n.id)
        by_name[(n.kind, n.label.casefold())].add((n.id, "label"))
        for name in _aliases(n.attributes):
            by_name[(n.kind, name.casefold())].add((n.id, "alias"))
    labels_in_file: dict[tuple[str, str], int] = defaultdict(int)
    for node in batch.nodes:
        labels_in_file[(str(node.get("kind")), str(node.get("label") or "").casefold())] += 1

    renamed: dict[str, str] = {}
    matched: list[Matched] = []
    taken: set[str] = {str(n.get("id")) for n in batch.nodes if n.get("id") in stored}
    for node, position in zip(batch.nodes, batch.node_positions, strict=False):
        incoming = node.get("id")
        kind, label = str(node.get("kind")), str(node.get("label") or "")
        if isinstance(incoming, str) and incoming in stored:
            continue
        own_id = isinstance(incoming, str) and incoming not in made
        found, by = _find(node, kind, label, by_ident, by_name, labels_in_file, fmt, own_id)
        if found is None or found in taken:
            continue
        taken.add(found)
        _take(node, stored[found], fmt, own_id)
        if isinstance(incoming, str):
            renamed[incoming] = found
        matched.append(
            Matched(
                incoming=incoming if own_id and isinstance(incoming, str) else label,
                label=label,
                node=found,
                by=by,
                position=position,
            )
        )
    for edge in batch.edges:
        for end in ("source", "target"):
            if isinstance(edge.get(end), str) and edge[end] in renamed:
                edge[end] = renamed[edge[end]]
    return matched


def _find(
    node: dict[str, Any],
    kind: str,
    label: str,
    by_ident: dict[tuple[str, str, str], set[str]],
    by_name: dict[tuple[str, str], set[tuple[str, str]]],
    labels_in_file: dict[tuple[str, str], int],
    fmt: str,
    own_id: bool,
) -> tuple[str | None, str]:
    incoming = node.get("id")
    own = identifiers_of(
        incoming if isinstance(incoming, str) else "", node.get("attributes") or {}
    )
    if own_id and fmt in STABLE_IDS and isinstance(incoming, str) and not ORG_ID.match(incoming):
        own.setdefault(fmt, identifier_value(incoming))  # the id an earlier import recorded
    for scheme, value in own.items():
        hits = by_ident.get((kind, scheme, value), set())
        if len(hits) == 1:
            return next(iter(hits)), "identifier"
    if not label or labels_in_file[(kind, label.casefold())] > 1:
        return None, ""
    names = [label, *_aliases(node.get("attributes") or {})]
    for i, name in enumerate(names):
        named = by_name.get((kind, name.casefold()), set())
        if len({found for found, _ in named}) == 1:
            found, how = sorted(named)[-1]  # "label" before "alias" when both
            return found, "label" if i == 0 and how == "label" else "alias"
    return None, ""


def _take(node: dict[str, Any], existing: NodeOut, fmt: str, own_id: bool) -> None:
    """The incoming record as an update of `existing`: its id, its label, both's fields."""
    incoming = node.get("id")
    attrs = dict(existing.attributes) | dict(node.get("attributes") or {})
    aliases = _aliases(existing.attributes)
    for name in [str(node.get("label") or ""), *_aliases(node.get("attributes") or {})]:
        if name and name.casefold() != existing.label.casefold() and name not in aliases:
            aliases.append(name)
    if aliases:
        attrs["aliases"] = aliases
    idents = dict(existing.attributes.get("identifiers") or {})
    idents |= dict((node.get("attributes") or {}).get("identifiers") or {})
    if own_id and isinstance(incoming, str) and incoming != existing.id:
        if ORG_ID.match(incoming):
            idents.setdefault("org-id", incoming)
        elif fmt in STABLE_IDS:
            idents.setdefault(fmt, incoming)
    if idents:
        attrs["identifiers"] = idents
    node["id"] = existing.id
    node["label"] = existing.label
    node["properties"] = dict(existing.properties) | dict(node.get("properties") or {})
    node["attributes"] = attrs
    node["tags"] = sorted(set(existing.tags) | set(node.get("tags") or []))


def _lift_identifiers(node: dict[str, Any], columns: dict[str, str]) -> None:
    """Columns the mapping file names as identifiers: from attributes into identifiers."""
    attrs = dict(node.get("attributes") or {})
    idents = dict(attrs.get("identifiers") or {})
    for column, scheme in columns.items():
        if attrs.get(column) not in (None, ""):
            idents[scheme] = str(attrs.pop(column)).strip()
    if idents:
        attrs["identifiers"] = idents
        node["attributes"] = attrs


def _aliases(attributes: dict[str, Any]) -> list[str]:
    value = attributes.get("aliases")
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if value not in (None, "") else []
