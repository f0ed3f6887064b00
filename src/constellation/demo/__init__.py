"""The demo networks, shipped as data files and loaded through the ordinary bulk path.

* ``la-compact`` — the L.A. Compact's multi-convener constellation (seed 001).
* ``achieve-escambia`` — Achieve Escambia's Collective Action Networks (seed 002).

Records the seeds do not give are filled in plausibly and carry
``attributes.illustrative: true``.
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
    text = (resources.files(__package__) / f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


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
