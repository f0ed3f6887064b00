"""What a reader hands over: the `Batch` of records, and the `NodeIndex` it matches against.

An importer turns a file into a `Batch`: plain node and edge dicts (the shape of
`NodeIn` / `EdgeIn`), each with the position it came from ("people.csv row 7"), so
that the store can check every row and name it when something is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from constellation.errors import Problem

if TYPE_CHECKING:
    from constellation.store.repository import Repository

__all__ = ["Batch", "NodeIndex"]


@dataclass
class Batch:
    """Records read from one or more files, ready for `Repository.bulk_upsert`."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    node_positions: list[str] = field(default_factory=list)
    edge_positions: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Rows that cannot be imported: the import is refused if any are found."""
    notes: list[Problem] = field(default_factory=list)
    """What was read but left out, or read in a way the user should know of (warnings)."""
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    """position -> {record field -> the column it came from}, to name columns in problems."""
    workspace: dict[str, Any] | None = None
    """Workspace name and description from the file, used when the import creates it."""
    restore: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Native format: stored state (version, archived_at, timestamps) of records, by id."""

    def add_node(
        self, record: dict[str, Any], position: str, columns: dict[str, str] | None = None
    ) -> None:
        self.nodes.append(record)
        self.node_positions.append(position)
        if columns:
            self.columns[position] = columns

    def add_edge(
        self, record: dict[str, Any], position: str, columns: dict[str, str] | None = None
    ) -> None:
        self.edges.append(record)
        self.edge_positions.append(position)
        if columns:
            self.columns[position] = columns

    def extend(self, other: Batch) -> None:
        self.nodes += other.nodes
        self.edges += other.edges
        self.node_positions += other.node_positions
        self.edge_positions += other.edge_positions
        self.problems += other.problems
        self.notes += other.notes
        self.columns |= other.columns
        self.workspace = self.workspace or other.workspace
        for what, state in other.restore.items():
            self.restore.setdefault(what, {}).update(state)

    @property
    def rows(self) -> int:
        return len(self.nodes) + len(self.edges)


class NodeIndex:
    """What the workspace already holds, for formats that name nodes by label.

    Kumu sheets without an ID column, CSV tables without an id column and grants name
    nodes by label (and type); a second import of the same file must find the nodes the
    first one made instead of duplicating them, so new ids are only made for labels the
    workspace does not hold yet.
    """

    def __init__(self, repo: Repository, workspace: str, exists: bool) -> None:
        self.repo, self.workspace, self.exists = repo, workspace, exists
        self._by_label: dict[tuple[str, str], list[str]] | None = None
        self._label_any: dict[str, list[str]] = {}
        self._ids: set[str] = set()
        self._kinds: dict[str, str] = {}
        self._absent: set[str] = set()  # ids asked for that the workspace does not hold
        self.made: set[str] = set()
        """Ids `new_id` made for rows the file gave none (no identifier of anything)."""

    def _load(self) -> dict[tuple[str, str], list[str]]:
        """Every stored node, read once; answers the ids by (kind, label)."""
        if self._by_label is not None:
            return self._by_label
        by_label: dict[tuple[str, str], list[str]] = {}
        self._by_label = by_label
        if not self.exists:
            return by_label
        for n in self.repo.query_nodes(self.workspace, include_archived=True):
            by_label.setdefault((n.kind, n.label.casefold()), []).append(n.id)
            self._label_any.setdefault(n.label.casefold(), []).append(n.id)
            self._ids.add(n.id)
            self._kinds[n.id] = n.kind
        return by_label

    def match(self, kind: str, label: str) -> str | None:
        """The stored node of this kind and label (case aside), if exactly one."""
        found = self._load().get((kind, label.casefold()), [])
        return found[0] if len(found) == 1 else None

    def by_label(self, label: str) -> list[str]:
        self._load()
        return self._label_any.get(label.casefold(), [])

    def new_id(self, label: str, taken: set[str]) -> str:
        """A readable id from the label that neither the workspace nor this batch uses."""
        from constellation.store.repository import slugify

        self._load()
        base = slugify(label)
        candidate, n = base, 2
        while candidate in taken or candidate in self._ids:
            candidate = f"{base}-{n}"
            n += 1
        taken.add(candidate)
        self.made.add(candidate)
        return candidate

    def kinds(self, ids: Iterable[str]) -> dict[str, str]:
        """Kinds of stored nodes by id (only the ones asked for).

        Asks the database only for ids it has not asked about before, and not at all once
        every stored node is loaded: readers call this once per edge end they cannot find
        in the file, and imports read everything before they write anything.
        """
        if not self.exists:
            return {}
        ids = list(ids)
        if self._by_label is None:
            wanted = [i for i in set(ids) if i not in self._kinds and i not in self._absent]
            for start in range(0, len(wanted), 5000):
                chunk = wanted[start : start + 5000]
                for n in self.repo.query_nodes(self.workspace, ids=chunk, include_archived=True):
                    self._kinds[n.id] = n.kind
            self._absent.update(i for i in wanted if i not in self._kinds)
        return {i: self._kinds[i] for i in ids if i in self._kinds}
