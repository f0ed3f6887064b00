"""The partner's and the funder's questions: which constellations to join, and where
funding could be joined up. Names are resolved here, once for every interface."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from constellation.analysis.funding import FundingReport, funding_opportunities, totals_by_year
from constellation.analysis.recommend import Recommendation
from constellation.analysis.recommend import recommend as rank
from constellation.errors import InvalidQuestion, Problem
from constellation.services.network import Network

__all__ = ["recommend", "funding"]


def recommend(
    net: Network,
    org: str | None = None,
    profile: Mapping[str, Any] | None = None,
    *,
    limit: int = 10,
    as_of: dt.date | None = None,
) -> list[Recommendation]:
    """Constellations an organization (by name), or one described by a profile (label,
    sector, and goals, issue areas and partners by name), could join, ranked and explained."""
    node = net.node_id(org, "organization")
    if profile is not None:
        profile = dict(profile)
        for field, kind in (
            ("goals", "goal"),
            ("issue_areas", "issue_area"),
            ("partners", "organization"),
        ):
            profile[field] = net.node_ids(profile.get(field), kind)
    if node is None and profile is None:
        raise InvalidQuestion(
            [
                Problem(
                    "name an organization, or describe one by its sector, goals, issue areas "
                    "or partners",
                    field="org",
                )
            ]
        )
    return rank(net.graph(as_of), org=node, profile=profile, limit=limit)


def funding(net: Network, funder: str | None = None, as_of: dt.date | None = None) -> FundingReport:
    """Joint-funding opportunities, unfunded groups and co-funders, for the workspace or
    for one funder (by name), and every grant's totals by the year it starts."""
    node = net.node_id(funder, "organization")
    day = as_of or dt.date.today()

    def make() -> FundingReport:
        from constellation.graph import load_graph

        report = funding_opportunities(net.graph(day), node)
        every = load_graph(net.repo, net.workspace, day, every_date=True)
        report.by_year = totals_by_year(every, node)
        return report

    return net.get("funding", day, node, make=make)
