"""Choosing a convener: who could lead a constellation, named or only described. Names are
resolved here, once for every interface."""

from __future__ import annotations

import datetime as dt

from constellation.analysis.candidates import Candidate, convener_candidates
from constellation.errors import InvalidQuestion, Problem
from constellation.services.network import Network

__all__ = ["candidates"]


def candidates(
    net: Network,
    constellation: str | None = None,
    *,
    goals: list[str] | None = None,
    issue_areas: list[str] | None = None,
    label: str | None = None,
    limit: int = 10,
    as_of: dt.date | None = None,
) -> list[Candidate]:
    """Organizations that could convene a constellation (by name), or one that does not exist
    yet described by its goals and issue areas (by name), ranked on seed 001's criteria."""
    node = net.node_id(constellation, "constellation")
    described = None
    if goals or issue_areas:
        described = {
            "label": label,
            "goals": net.node_ids(goals, "goal"),
            "issue_areas": net.node_ids(issue_areas, "issue_area"),
        }
    if node is None and described is None:
        raise InvalidQuestion(
            [
                Problem(
                    "name a constellation, or describe a new one by its goals or issue areas",
                    field="constellation",
                )
            ]
        )
    day = as_of or dt.date.today()
    return net.get(
        "candidates",
        day,
        node,
        repr(described),
        limit,
        make=lambda: convener_candidates(net.graph(day), node, described, limit=limit),
    )
