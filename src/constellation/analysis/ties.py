"""Tie quality: the trust and value of ties where network evaluators have measured them
(Visible Network Labs' PARTNER tool), averaged per constellation and per network."""

from __future__ import annotations

from statistics import mean
from typing import Any

import networkx as nx

from constellation import vocabulary as vocab
from constellation.analysis.findings import Finding, Severity, label_list, make_key, subject
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = ["QUALITY_TIES", "tie_scores", "tie_quality_figures", "weak_ties"]

QUALITY_TIES = ("participates_in", "convenes", "collaborates_with")
"""The tie kinds that carry trust and value."""


def tie_scores(data: dict[str, Any]) -> dict[str, float | None]:
    """A tie's trust and value: each as recorded, or the mean of its recorded sub-scores.

    >>> tie_scores({"trust": 3, "value_power": 2, "value_resources": 3})
    {'trust': 3, 'value': 2.5}
    """
    found: dict[str, float | None] = {}
    for name, parts in (("trust", vocab.TRUST_PARTS), ("value", vocab.VALUE_PARTS)):
        whole = data.get(name)
        subs = [data[p] for p in parts if data.get(p) is not None]
        found[name] = whole if whole is not None else (round(mean(subs), 2) if subs else None)
    return found


Tie = tuple[str, str, str, dict[str, float | None]]
"""A scored tie: (kind, source, target, scores)."""


def _scored(ix: Index) -> list[Tie]:
    """Every tie with a trust or value score: (kind, source, target, scores)."""
    ties = []
    for kind in QUALITY_TIES:
        for source, ends in ix.out[kind].items():
            for target, data in ends:
                scores = tie_scores(data)
                if any(v is not None for v in scores.values()):
                    ties.append((kind, source, target, scores))
    return ties


def _average(ties: list[Tie], name: str) -> float | None:
    values = [v for *_, s in ties if (v := s[name]) is not None]
    return round(mean(values), 2) if values else None


def tie_quality_figures(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Average trust and value for the network and each constellation, where recorded; the
    audit's summary carries it as ``tie_quality``.

    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "a", "kind": "organization", "label": "A"},
    ...      {"id": "c", "kind": "constellation", "label": "C"}],
    ...     [{"kind": "participates_in", "source": "a", "target": "c",
    ...       "properties": {"trust": 3.5, "value": 2}}])
    >>> tie_quality_figures(G)["network"]
    {'ties': 1, 'trust': 3.5, 'value': 2}
    """
    ix = index_of(G)
    ties = _scored(ix)
    by_group: dict[str, list[Tie]] = {}
    for tie in ties:
        if tie[0] != "collaborates_with":
            by_group.setdefault(tie[2], []).append(tie)
    return {
        "scale": list(vocab.TIE_SCALE),
        "network": {
            "ties": len(ties),
            "trust": _average(ties, "trust"),
            "value": _average(ties, "value"),
        },
        "by_constellation": [
            {
                "constellation": subject(G, c).model_dump(),
                "ties": len(group),
                "trust": _average(group, "trust"),
                "value": _average(group, "value"),
            }
            for c, group in sorted(by_group.items(), key=lambda t: G.nodes[t[0]]["label"])
        ],
    }


def _population(ix: Index) -> int:
    ties = _scored(ix)
    groups = {t[2] for t in ties if t[0] != "collaborates_with"}
    orgs = {
        end for kind, s, t, _ in ties for end in (s, t) if ix.G.nodes[end]["kind"] == "organization"
    }
    return len(groups) + len(orgs)


@check(
    "weak_ties",
    title="Weak ties",
    weight=1,
    population=_population,
    population_label="constellations and organizations with measured ties",
)
def weak_ties(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Constellations whose members' ties are low in trust or value, and partners whose every
    measured tie is.

    Where tie quality is recorded (`trust` and `value`, or their sub-scores, on
    participates_in, convenes and collaborates_with, on `vocabulary.TIE_SCALE`), a
    constellation whose average trust or value over its members' ties is below
    `weak_tie_below` is medium; an organization all of whose measured ties (any kind,
    either end) have trust or value below it is low. Nothing fires where nothing is
    measured.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": o, "kind": "organization", "label": o.upper()} for o in ("a", "b")]
    ...     + [{"id": "c", "kind": "constellation", "label": "Workforce Systems"}],
    ...     [{"kind": "participates_in", "source": "a", "target": "c",
    ...       "properties": {"trust": 2, "value": 3}},
    ...      {"kind": "participates_in", "source": "b", "target": "c",
    ...       "properties": {"trust": 2.5, "value": 3}}])
    >>> [f.message for f in weak_ties(G)]
    ['Workforce Systems: its members trust it 2.25 on average (1–4), below 2.5.', \
'A: every measured tie it has is low in trust or value (1 tie).']

    Notes
    -----
    O(E) over the three tie kinds.

    References
    ----------
    Visible Network Labs, PARTNER tool: trust (openness to communication, reliability,
    shared mission) and value (power and influence, level of involvement, resource
    contribution) of each relationship.
    """
    p = resolve(params)
    ix = index_of(G)
    ties = _scored(ix)
    low, high = vocab.TIE_SCALE
    scale = f"{low:g}–{high:g}"
    findings = []
    by_group: dict[str, list[Tie]] = {}
    for tie in ties:
        if tie[0] != "collaborates_with":
            by_group.setdefault(tie[2], []).append(tie)
    for c, group in sorted(by_group.items(), key=lambda t: G.nodes[t[0]]["label"]):
        averages = {name: _average(group, name) for name in ("trust", "value")}
        weak = {n: v for n, v in averages.items() if v is not None and v < p.weak_tie_below}
        if not weak:
            continue
        words = {"trust": "its members trust it", "value": "its members' ties are worth"}
        findings.append(
            Finding(
                check="weak_ties",
                severity=Severity.MEDIUM,
                subjects=[subject(G, c)],
                message=f"{G.nodes[c]['label']}: "
                + " and ".join(f"{words[n]} {v:g} on average ({scale})" for n, v in weak.items())
                + f", below {p.weak_tie_below:g}.",
                evidence={
                    "reason": "weak_constellation",
                    "ties": len(group),
                    **averages,
                    "weak_tie_below": p.weak_tie_below,
                },
                suggestion="Talk with its members about what would build trust and make the "
                "work worth their time (seed 000: conveners nurture a trusting environment).",
                key=make_key("weak_ties", c),
            )
        )
    by_org: dict[str, list[Tie]] = {}
    for tie in ties:
        for end in (tie[1], tie[2]):
            if G.nodes[end]["kind"] == "organization":
                by_org.setdefault(end, []).append(tie)
    for org, own in sorted(by_org.items(), key=lambda t: G.nodes[t[0]]["label"]):
        if not all(
            any(v is not None and v < p.weak_tie_below for v in s.values()) for *_, s in own
        ):
            continue
        others = sorted({end for _, s, t, _ in own for end in (s, t) if end != org})
        findings.append(
            Finding(
                check="weak_ties",
                severity=Severity.LOW,
                subjects=[subject(G, org)] + [subject(G, o) for o in others],
                message=f"{G.nodes[org]['label']}: every measured tie it has is low in trust or "
                f"value ({len(own)} tie{'s' if len(own) != 1 else ''}).",
                evidence={
                    "reason": "weak_partner",
                    "ties": len(own),
                    "trust": _average(own, "trust"),
                    "value": _average(own, "value"),
                    "with": label_list(G, others, most=5),
                    "weak_tie_below": p.weak_tie_below,
                },
                suggestion="Ask it, and those it works with, what would make the partnership "
                "more useful; its convener can pair it with a trusted partner.",
                key=make_key("weak_ties", org),
            )
        )
    return findings
