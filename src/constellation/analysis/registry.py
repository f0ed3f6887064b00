"""The list of checks: each registers itself with its id, weight and what it counts over.

The weight and the population feed the health score (see `audit.health_score`): a check's
pass rate is 1 − findings / population, and the score is the weighted mean of pass rates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from constellation.analysis.findings import Finding
from constellation.analysis.index import Index

__all__ = ["Check", "CHECKS", "check"]


@dataclass(frozen=True)
class Check:
    id: str
    family: str
    title: str
    function: Callable[..., list[Finding]]
    weight: float
    population: Callable[[Index], int]
    population_label: str


CHECKS: dict[str, Check] = {}


def check(
    id: str, *, title: str, weight: float, population: Callable[[Index], int], population_label: str
):
    """Register a check function under a stable id."""

    def register(fn):
        CHECKS[id] = Check(
            id, fn.__module__.rsplit(".", 1)[-1], title, fn, weight, population, population_label
        )
        return fn

    return register
