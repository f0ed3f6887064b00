"""Names people type, matched against the names the data holds, for a "did you mean": a
misspelt name is refused (nothing is guessed) and the answer offers the closest few.

rapidfuzz's WRatio on lower-cased words without punctuation: a typo ("Distric") and a name
typed in part ("United Way") both score high, while an unrelated name scores nothing."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

__all__ = ["closest", "did_you_mean"]

CUTOFF = 80.0
"""Scores under this (0–100) are no suggestion at all."""
WITHIN = 8.0
"""Suggestions are those scoring at most this far below the best, so that one clear match
is offered alone rather than beside weaker ones."""


def closest(name: str, names: Iterable[str], *, limit: int = 3) -> list[str]:
    """The names nearest `name`, best first: at most `limit`, none when nothing is near.

    >>> closest("Los Angeles Unified School Distric",
    ...         ["Los Angeles Unified School District", "City of Los Angeles", "UNITE-LA"])
    ['Los Angeles Unified School District']
    >>> closest("xyz", ["UNITE-LA"])
    []
    """
    choices = list(dict.fromkeys(n for n in names if n))
    found = process.extract(
        name,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=CUTOFF,
    )
    if not found:
        return []
    best = found[0][1]
    return [choice for choice, score, _ in found if score >= best - WITHIN]


def did_you_mean(suggestions: list[str]) -> str:
    """The suggestions as the end of a sentence (empty when there are none).

    >>> did_you_mean(["a", "b"])
    "; did you mean 'a' or 'b'?"
    """
    if not suggestions:
        return ""
    quoted = [repr(s) for s in suggestions]
    return (
        "; did you mean "
        + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1])
        + "?"
    )
