"""The map as a job: one self-contained page for a workspace on a date, and saved layouts.

`constellation map` writes what `page` returns; ``GET …/map`` serves it from the per-revision
cache; ``PUT …/map/positions`` stores a layout through `save_layout`; ``…/map/views``
keep named views (the page's URL fragment under a name) through `views`, `save_view` and
`delete_view`, in the change log, so each save is versioned and logged like a layout.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from constellation.errors import InvalidQuestion, Problem
from constellation.services.network import Network
from constellation.viz.measures import SIZE_MEASURES

if TYPE_CHECKING:
    from constellation.records import MapView
    from constellation.viz.positions import PositionsSaved

__all__ = ["day_audit", "delete_view", "page", "save_layout", "save_view", "view", "views"]


def page(
    net: Network,
    as_of: dt.date | None = None,
    *,
    size_by: str = SIZE_MEASURES[0],
    save_url: str | None = None,
    views_url: str | None = None,
    audit_url: str | None = None,
    may_save: bool = False,
    title: str | None = None,
) -> str:
    """The map's HTML: every record whatever its dates, audited and sized as of `as_of`."""
    if size_by not in SIZE_MEASURES:
        raise InvalidQuestion(
            [Problem(f"size_by must be one of {', '.join(SIZE_MEASURES)}", field="size_by")]
        )
    from constellation.viz import map_workspace

    day = as_of or dt.date.today()
    return net.get(
        "map",
        day,
        size_by,
        save_url,
        views_url,
        audit_url,
        may_save,
        title,
        make=lambda: map_workspace(
            net.repo,
            net.workspace,
            day,
            size_by=size_by,
            save_url=save_url,
            views_url=views_url,
            audit_url=audit_url,
            may_save=may_save,
            title=title,
        ),
    )


def day_audit(net: Network, day: dt.date) -> dict[str, Any]:
    """The audit a served map shows when its date moves to `day` (it embeds the audits of
    its dates only when they are few): health, counts and findings as the page draws them."""
    from constellation.graph import load_graph
    from constellation.viz.map import audit_of_day

    def make() -> dict[str, Any]:
        every = net.get(
            "graph-every-date",
            make=lambda: load_graph(net.repo, net.workspace, day, every_date=True),
        )
        return {"as_of": day.isoformat(), **audit_of_day(every, day)}

    return net.get("map-audit", day, make=make)


def save_layout(net: Network, positions: dict[str, dict[str, float]]) -> PositionsSaved:
    """Store where nodes sit, for everyone who opens the map next."""
    from constellation.viz import save_positions

    return save_positions(net.repo, net.workspace, positions)


def views(net: Network) -> list[MapView]:
    """The workspace's saved views, by name, for everyone who may read it."""
    return net.repo.map_views(net.workspace)


def view(net: Network, name: str) -> MapView:
    return net.repo.map_view(net.workspace, name)


def save_view(net: Network, name: str, fragment: str, expected: int | None = None) -> MapView:
    """Save the map's current view (its URL fragment) under `name`, for everyone."""
    return net.repo.save_map_view(net.workspace, name, fragment, expected)


def delete_view(net: Network, name: str, expected: int | None = None) -> None:
    net.repo.delete_map_view(net.workspace, name, expected)
