"""The map: a workspace drawn as one self-contained, offline HTML page.

`map_workspace` (what ``constellation map`` and ``GET /api/workspaces/{w}/map`` call),
`build_map` (any graph), `save_positions` (what ``PUT /api/workspaces/{w}/map/positions``
calls). Names are loaded on first use, so importing `constellation.viz.measures` (as the
CLI does for its choices) does not load the renderer.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "MARKS",
    "SERVER_LAYOUT_ABOVE",
    "SIZE_MEASURES",
    "PositionsSaved",
    "build_map",
    "graph_on",
    "map_workspace",
    "save_positions",
    "saved_positions",
    "server_layout",
]

_HOME = {
    "build_map": "map",
    "map_workspace": "map",
    "graph_on": "map",
    "MARKS": "map",
    "save_positions": "positions",
    "saved_positions": "positions",
    "server_layout": "positions",
    "PositionsSaved": "positions",
    "SERVER_LAYOUT_ABOVE": "positions",
    "SIZE_MEASURES": "measures",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
