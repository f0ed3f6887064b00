"""Reading records as people ask for them: property filters typed as ``key=value``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from constellation.errors import InvalidQuestion, Problem

__all__ = ["properties"]


def properties(pairs: Iterable[str] | None, field: str = "prop") -> dict[str, Any]:
    """``key=value`` pairs as a dict; a value is JSON where it parses (``staff_capacity=2``
    is the number 2), text otherwise. A pair without ``=`` is refused, naming `field`.

    >>> properties(["sector=education", "staff_capacity=2"])
    {'sector': 'education', 'staff_capacity': 2}
    """
    found: dict[str, Any] = {}
    bad: list[Problem] = []
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            bad.append(Problem(f"takes key=value, not {pair!r}", field=field))
            continue
        try:
            found[key.strip()] = json.loads(value)
        except ValueError:
            found[key.strip()] = value
    if bad:
        raise InvalidQuestion(bad)
    return found
