"""The list of checks: each registers itself with its id, weight and what it counts over.

The weight and the population feed the health score (see `audit.health_score`): a check's
pass rate is 1 − findings / population, and the score is the weighted mean of pass rates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from constellation.analysis.findings import Finding
from constellation.analysis.index import Index
from constellation.errors import InvalidQuestion, Problem

__all__ = ["Check", "CHECKS", "check", "check_ids", "order_checks"]


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


CheckFunction = TypeVar("CheckFunction", bound=Callable[..., list[Finding]])


def check(
    id: str, *, title: str, weight: float, population: Callable[[Index], int], population_label: str
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under a stable id."""

    def register(fn: CheckFunction) -> CheckFunction:
        CHECKS[id] = Check(
            id, fn.__module__.rsplit(".", 1)[-1], title, fn, weight, population, population_label
        )
        return fn

    return register


def check_ids(checks: Iterable[str] | None) -> list[str] | None:
    """The checks asked for, or None for all of them; an unknown id is refused with the list
    of known ones (every interface asks this one function)."""
    chosen = list(checks or ())
    unknown = [c for c in chosen if c not in CHECKS]
    if unknown:
        known = ", ".join(CHECKS)
        raise InvalidQuestion(
            [Problem(f"unknown check {c}; the checks are: {known}", field="check") for c in unknown]
        )
    return chosen or None


def order_checks(families: Iterable[str]) -> None:
    """Put `CHECKS` in the order of these families (then the order they registered in),
    whatever order their modules happened to be imported in; a family not named goes last."""
    rank = {f: i for i, f in enumerate(families)}
    for cid in sorted(CHECKS, key=lambda c: rank.get(CHECKS[c].family, len(rank))):
        CHECKS[cid] = CHECKS.pop(cid)
