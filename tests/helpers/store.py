"""What is stored, read back whole: to prove that a refused write changed nothing."""

from __future__ import annotations


def snapshot(store, workspace):
    """Everything stored for a workspace, to prove a refused write changed nothing."""
    with store.repository() as r:
        return (
            [n.model_dump() for n in r.query_nodes(workspace, include_archived=True)],
            [e.model_dump() for e in r.query_edges(workspace, include_archived=True)],
            r.revision(workspace),
            len(r.changes(workspace, limit=10_000)),
        )
