"""The native format: a whole workspace as one JSON document, with nothing lost.

Ids, kinds, labels, properties, attributes, tags, validity periods, archive times,
versions and timestamps all travel. Importing a document into an empty workspace and
exporting it again gives the same document (records the import creates take the
version, archive time and timestamps the document gives).

.. code-block:: json

    {"format": "constellation", "version": 1,
     "workspace": {"slug": "la-compact", "name": "L.A. Compact", ...},
     "nodes": [{"id": "unite-la", "kind": "organization", "label": "UNITE-LA", ...}],
     "edges": [{"id": "unite-la--convenes--data", "kind": "convenes", "source": ..., ...}]}
"""

from __future__ import annotations

import json
from typing import Any, TypeGuard

from constellation.io.batching import Batch
from constellation.io.errors import refuse
from constellation.io.formats import Export, Format, Match, Reading, Sample
from constellation.io.parsing import parse_json
from constellation.records import EdgeOut, NodeOut
from constellation.store.repository import Repository

__all__ = ["FORMAT", "DOCUMENT_FORMAT", "export_document", "dumps_document", "read", "looks_native"]

DOCUMENT_FORMAT = "constellation"
"""What a native document says in its ``format`` key."""
VERSION = 1
STATE = ("version", "archived_at", "created_at", "updated_at")
"""Stored state a document carries; restored only on records the import creates."""


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def export_document(repo: Repository, workspace: str) -> dict[str, Any]:
    ws = repo.get_workspace(workspace)
    keep_node = (
        "id",
        "kind",
        "label",
        "properties",
        "attributes",
        "tags",
        "valid_from",
        "valid_to",
    ) + STATE
    keep_edge = (
        "id",
        "kind",
        "source",
        "target",
        "properties",
        "attributes",
        "tags",
        "valid_from",
        "valid_to",
    ) + STATE

    def record(r: NodeOut | EdgeOut, keep: tuple[str, ...]) -> dict[str, Any]:
        data = r.model_dump(mode="json", include=set(keep))
        data["properties"] = _sorted(data["properties"])
        data["attributes"] = _sorted(data["attributes"])
        return {k: data[k] for k in keep}

    return {
        "format": DOCUMENT_FORMAT,
        "version": VERSION,
        "workspace": {
            "slug": ws.slug,
            "name": ws.name,
            "description": ws.description,
            "public_read": ws.public_read,
        },
        "nodes": [record(n, keep_node) for n in repo.query_nodes(workspace, include_archived=True)],
        "edges": [record(e, keep_edge) for e in repo.query_edges(workspace, include_archived=True)],
    }


def dumps_document(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def looks_native(data: Any) -> TypeGuard[dict[str, Any]]:
    """Whether parsed JSON is a native document (ours, or shaped like one)."""
    return isinstance(data, dict) and (
        data.get("format") == DOCUMENT_FORMAT
        or ("nodes" in data and "edges" in data and isinstance(data.get("nodes"), list))
    )


def read(name: str, content: bytes, data: Any | None = None) -> Batch:
    """Records of a native document; positions read ``file.json nodes[3]``."""
    if data is None:
        data = parse_json(name, content)
    if not isinstance(data, dict):
        raise refuse(
            'a Constellation document is a JSON object with "nodes" and "edges"', position=name
        )
    if data.get("format", DOCUMENT_FORMAT) != DOCUMENT_FORMAT:
        raise refuse(
            f"this JSON says it is in the {data.get('format')!r} format, not {DOCUMENT_FORMAT!r}",
            position=name,
            field="format",
        )
    if data.get("version", VERSION) != VERSION:
        raise refuse(
            f"this document is version {data.get('version')!r} of the format; this "
            f"Constellation reads version {VERSION}",
            position=name,
            field="version",
        )
    batch = Batch()
    meta = data.get("workspace")
    if isinstance(meta, dict):
        batch.workspace = {
            k: meta.get(k)
            for k in ("slug", "name", "description", "public_read")
            if meta.get(k) is not None
        }
    for what in ("nodes", "edges"):
        rows = data.get(what, [])
        if not isinstance(rows, list):
            raise refuse(f'"{what}" must be a list of records', position=name, field=what)
        state = batch.restore.setdefault(what, {})
        for i, row in enumerate(rows):
            position = f"{name} {what}[{i}]"
            if not isinstance(row, dict):
                raise refuse("each record must be a JSON object", position=position)
            record = {k: v for k, v in row.items() if k not in STATE and k != "workspace"}
            if isinstance(row.get("id"), str) and any(k in row for k in STATE):
                state[row["id"]] = {k: row.get(k) for k in STATE}
            (batch.add_node if what == "nodes" else batch.add_edge)(record, position)
    return batch


# ------------------------------------------------------------------------ the record


def _sniff(sample: Sample) -> Match:
    return (
        Match.CONTENT if sample.container == "json" and looks_native(sample.document) else Match.NO
    )


def _read_files(files: list[tuple[str, bytes]], reading: Reading) -> Batch:
    batch = Batch()
    for name, content in files:
        batch.extend(read(name, content, reading.docs.get(name, content)))
    return batch


def _write(repo: Repository, workspace: str) -> bytes:
    return dumps_document(export_document(repo, workspace))


FORMAT = Format(
    name="native",
    title="Constellation export",
    description="Constellation's own JSON: a whole workspace, for backups and moves",
    shapes={"json": "a Constellation export (nodes, edges)"},
    suffixes=(".json",),
    sniff=_sniff,
    read=_read_files,
    exports=(
        Export(
            "native",
            "application/json",
            ".constellation.json",
            "the whole workspace, nothing lost (archived records, versions, timestamps)",
            _write,
        ),
    ),
)
