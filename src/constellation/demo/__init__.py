"""The demo networks, shipped as data files and loaded through the ordinary bulk path.

* ``la-compact`` — the L.A. Compact's multi-convener constellation (seed 001).
* ``achieve-escambia`` — Achieve Escambia's Collective Action Networks (seed 002).

Records the seeds do not give are filled in plausibly and carry
``attributes.illustrative: true``.

A demo is its main file (``la-compact.yaml``) and any supplements beside it
(``la-compact.engagement.yaml``: meetings, feedback sessions, tie quality, assessments),
read in name order. A supplement's record with the id (or, for an edge without one, the
source, kind and target) of a record already read adds to it: its properties and
attributes are merged in, its tags added; any other record is appended.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from constellation.records import UpsertReport
from constellation.store.repository import Repository

__all__ = ["DEMOS", "demo_document", "load_demo"]

DEMOS: tuple[str, ...] = ("la-compact", "achieve-escambia")


def demo_document(name: str) -> dict[str, Any]:
    """The demo network as a document: ``{workspace: {...}, nodes: [...], edges: [...]}``."""
    if name not in DEMOS:
        raise KeyError(f"no demo network {name!r}; the demos are {', '.join(DEMOS)}")
    folder = resources.files(__package__)
    doc = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
    supplements = sorted(
        f.name
        for f in folder.iterdir()
        if f.name.startswith(f"{name}.") and f.name.endswith(".yaml") and f.name != f"{name}.yaml"
    )
    for supplement in supplements:
        _merge(doc, yaml.safe_load((folder / supplement).read_text(encoding="utf-8")) or {})
    return doc


def _merge(doc: dict[str, Any], more: dict[str, Any]) -> None:
    """Add a supplement's nodes and edges to a demo document (see the module docstring)."""
    for section, key in (("nodes", _node_key), ("edges", _edge_key)):
        records = doc.setdefault(section, [])
        known = {key(r): r for r in records}
        for record in more.get(section) or ():
            found = known.get(key(record))
            if found is None:
                records.append(record)
                known[key(record)] = record
                continue
            for field, value in record.items():
                if field in ("properties", "attributes"):
                    found[field] = (found.get(field) or {}) | value
                elif field == "tags":
                    found["tags"] = list(dict.fromkeys([*(found.get("tags") or []), *value]))
                else:
                    found[field] = value


def _node_key(record: dict[str, Any]) -> Any:
    return record["id"]


def _edge_key(record: dict[str, Any]) -> Any:
    return record.get("id") or (record["source"], record["kind"], record["target"])


def load_demo(repo: Repository, name: str) -> UpsertReport:
    """Create the demo workspace if missing and bring its records up to date."""
    doc = demo_document(name)
    meta = doc["workspace"]
    if not any(w.slug == meta["slug"] for w in repo.list_workspaces()):
        repo.create_workspace(
            meta["slug"],
            name=meta.get("name"),
            description=meta.get("description"),
            public_read=meta.get("public_read", True),
        )
    return repo.bulk_upsert(meta["slug"], doc.get("nodes", []), doc.get("edges", []))
