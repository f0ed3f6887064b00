"""Meeting and engagement checks: stakeholders heard, conveners who meet with each other and
with their own groups (seed 000's "Stakeholder engagement" and "Continuous improvement")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from constellation import vocabulary as vocab
from constellation.analysis.findings import Finding, Severity, label_list, make_key, subject
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = [
    "attendees",
    "convener_coordination",
    "date_of",
    "events_of",
    "stakeholder_feedback",
]


def date_of(G: nx.MultiDiGraph, node: str, prop: str = "date") -> dt.date | None:
    """A node's date property as a date, or None when it has none or it lies after the
    graph's date (a record of the future is not known on the day)."""
    value = G.nodes[node].get(prop)
    if not value:
        return None
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return day if day <= G.graph["as_of"] else None


def events_of(ix: Index, node: str, *types: str) -> list[tuple[dt.date, str]]:
    """The dated events held for a group (of these types, or any), up to the graph's date,
    oldest first, as ``(date, event id)`` pairs."""
    found = []
    for e, _ in ix.into["held_for"].get(node, ()):
        if types and ix.G.nodes[e].get("event_type", "constellation_meeting") not in types:
            continue
        if (day := date_of(ix.G, e)) is not None:
            found.append((day, e))
    return sorted(found)


def attendees(ix: Index, event: str) -> set[str]:
    """The organizations at an event: those recorded as attending, and those a person who
    attended represents."""
    orgs = set()
    for who, _ in ix.into["attended"].get(event, ()):
        if ix.G.nodes[who].get("kind") == "organization":
            orgs.add(who)
        else:
            orgs.update(ix.targets("represents", who))
    return orgs


def _active_conveners(ix: Index) -> dict[str, list[str]]:
    """Each organization convening an active constellation, with those constellations."""
    found: dict[str, list[str]] = {}
    for c in ix.active_constellations:
        for org in ix.conveners(c):
            found.setdefault(org, []).append(c)
    return found


@check(
    "stakeholder_feedback",
    title="Stakeholders not heard",
    weight=1,
    population=lambda ix: len(ix.active_constellations),
    population_label="active constellations",
)
def stakeholder_feedback(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Active constellations that have not heard the people their work is for lately.

    Seed 000: staff and conveners "develop opportunities, preferably twice a year, for
    feedback, input, and engagement from the stakeholders who are most affected … This
    includes parents, students, and other community members." A constellation fires when
    no ``stakeholder_feedback`` event held for it falls in the last
    `feedback_within_days` (medium), or when it has such sessions but none of them ever
    heard parents, students, youth or community members (low).

    Examples
    --------
    >>> import datetime as dt
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "c", "kind": "constellation", "label": "Kindergarten Readiness CAN"},
    ...      {"id": "e", "kind": "event", "label": "Partner survey", "properties": {
    ...       "event_type": "stakeholder_feedback", "date": "2024-03-01",
    ...       "stakeholders": ["partners"]}}],
    ...     [{"kind": "held_for", "source": "e", "target": "c"}], as_of=dt.date(2024, 6, 1))
    >>> [f.evidence["reason"] for f in stakeholder_feedback(G)]
    ['most_affected_never_heard']
    >>> [f.evidence["reason"] for f in stakeholder_feedback(G, {"feedback_within_days": 30})]
    ['no_recent_feedback']

    Notes
    -----
    O(E) over held_for edges.

    References
    ----------
    Seed 000, "Stakeholder engagement" (Cradle to Career, Collaborative Action Network
    convener roles).
    """
    p = resolve(params)
    ix = index_of(G)
    as_of = G.graph["as_of"]
    since = as_of - dt.timedelta(days=p.feedback_within_days)
    findings = []
    for c in ix.active_constellations:
        sessions = events_of(ix, c, vocab.EventType.STAKEHOLDER_FEEDBACK)
        label = G.nodes[c]["label"]
        last = sessions[-1][0] if sessions else None
        heard = sorted({s for _, e in sessions for s in G.nodes[e].get("stakeholders") or ()})
        evidence = {
            "sessions": len(sessions),
            "last_session": last.isoformat() if last else None,
            "stakeholders_heard": heard,
            "feedback_within_days": p.feedback_within_days,
        }
        if last is None or last < since:
            when = (
                f"has held no stakeholder feedback session since {last}"
                if last
                else ("has never held a stakeholder feedback session")
            )
            findings.append(
                Finding(
                    check="stakeholder_feedback",
                    severity=Severity.MEDIUM,
                    subjects=[subject(G, c)],
                    message=f"{label} {when} (seed 000 asks for one about twice a year).",
                    evidence=evidence | {"reason": "no_recent_feedback"},
                    suggestion="Plan a feedback session with the parents, students and "
                    "community members its goals affect, and record it as an event.",
                    key=make_key("stakeholder_feedback", c, "no_recent_feedback"),
                )
            )
        elif not set(heard) & vocab.MOST_AFFECTED:
            findings.append(
                Finding(
                    check="stakeholder_feedback",
                    severity=Severity.LOW,
                    subjects=[subject(G, c)],
                    message=f"{label}'s feedback sessions never heard parents, students or "
                    f"community members.",
                    evidence=evidence | {"reason": "most_affected_never_heard"},
                    suggestion="Invite the people most affected by its goals (parents, students, "
                    "community members) to the next feedback session.",
                    key=make_key("stakeholder_feedback", c, "most_affected_never_heard"),
                )
            )
    return findings


@check(
    "convener_coordination",
    title="Conveners out of the loop",
    weight=1,
    population=lambda ix: len(_active_conveners(ix)) + len(ix.active_constellations),
    population_label="conveners of active constellations + active constellations",
)
def convener_coordination(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Conveners who meet neither each other nor, often enough, their own groups.

    Seed 000: "Conveners and the facilitator actively participate in periodic convening
    partners (inter-CAN Conveners) meetings" and "Conveners regularly attend the CAN
    meetings". Two findings:

    * a convener of an active constellation that attended no ``inter_convener_meeting``
      in the last `coordination_within_days` (low);
    * an active constellation one of whose conveners attended fewer than `min_attendance`
      of the group's own meetings (``constellation_meeting``) in the last
      `attendance_within_days` (medium). Each co-convener is counted on its own; a group
      with no recorded meetings in the window is not judged here (see
      `dormant_constellations`).

    An organization attends when it is recorded as attending or a person who represents
    it is.

    Examples
    --------
    >>> import datetime as dt
    >>> from constellation.graph import build_graph
    >>> meetings = [{"id": f"m{i}", "kind": "event", "label": f"Meeting {i}",
    ...              "properties": {"date": f"2024-0{i}-10"}} for i in (1, 2, 3)]
    >>> G = build_graph(
    ...     [{"id": "u", "kind": "organization", "label": "UNITE-LA"},
    ...      {"id": "c", "kind": "constellation", "label": "Data Workgroup"}] + meetings,
    ...     [{"kind": "convenes", "source": "u", "target": "c"},
    ...      {"kind": "attended", "source": "u", "target": "m1"}]
    ...     + [{"kind": "held_for", "source": m["id"], "target": "c"} for m in meetings],
    ...     as_of=dt.date(2024, 6, 1))
    >>> [f.message for f in convener_coordination(G)]
    ['UNITE-LA attended 1 of the 3 meetings of Data Workgroup since 2023-06-02.', \
'UNITE-LA attended no inter-convener meeting since 2023-12-01.']

    Notes
    -----
    O(E) over held_for and attended edges.

    References
    ----------
    Seed 000, "Continuous improvement" (Cradle to Career, Collaborative Action Network
    convener roles).
    """
    p = resolve(params)
    ix = index_of(G)
    as_of = G.graph["as_of"]
    conveners = _active_conveners(ix)
    findings = []

    # a convener's own groups' meetings
    since = as_of - dt.timedelta(days=p.attendance_within_days)
    for c in ix.active_constellations:
        meetings = [
            e for day, e in events_of(ix, c, vocab.EventType.CONSTELLATION_MEETING) if day >= since
        ]
        if not meetings:
            continue
        present = {e: attendees(ix, e) for e in meetings}
        attendance = {org: sum(1 for e in meetings if org in present[e]) for org in ix.conveners(c)}
        missing = sorted(
            (org for org, n in attendance.items() if n / len(meetings) < p.min_attendance),
            key=lambda o: G.nodes[o]["label"],
        )
        if not missing:
            continue
        names = "; ".join(
            f"{G.nodes[o]['label']} attended {attendance[o]} of the {len(meetings)} meetings"
            for o in missing
        )
        findings.append(
            Finding(
                check="convener_coordination",
                severity=Severity.MEDIUM,
                subjects=[subject(G, c)] + [subject(G, o) for o in missing],
                message=f"{names} of {G.nodes[c]['label']} since {since.isoformat()}.",
                evidence={
                    "reason": "missed_own_meetings",
                    "meetings": len(meetings),
                    "attended": {o: attendance[o] for o in sorted(attendance)},
                    "min_attendance": p.min_attendance,
                    "since": since.isoformat(),
                },
                suggestion="Ask the convener to attend its group's meetings regularly, or to "
                "hand the role to a co-convener who can.",
                key=make_key("convener_coordination", c, "missed_own_meetings"),
            )
        )

    # the conveners' meetings with each other
    since = as_of - dt.timedelta(days=p.coordination_within_days)
    inter = [
        e
        for e in ix.nodes("event")
        if G.nodes[e].get("event_type") == vocab.EventType.INTER_CONVENER_MEETING
        and (day := date_of(G, e)) is not None
        and day >= since
    ]
    came: set[str] = set().union(*(attendees(ix, e) for e in inter)) if inter else set()
    for org in sorted(conveners, key=lambda o: G.nodes[o]["label"]):
        if org in came:
            continue
        groups = sorted(conveners[org])
        findings.append(
            Finding(
                check="convener_coordination",
                severity=Severity.LOW,
                subjects=[subject(G, org)] + [subject(G, c) for c in groups],
                message=f"{G.nodes[org]['label']} attended no inter-convener meeting since "
                f"{since.isoformat()}.",
                evidence={
                    "reason": "no_inter_convener_meeting",
                    "inter_convener_meetings": len(inter),
                    "convenes": len(groups),
                    "constellations": label_list(G, groups, most=5),
                    "since": since.isoformat(),
                },
                suggestion="Invite it to the next convening partners' meeting, where conveners "
                "align their constellations."
                if inter
                else "Hold a convening partners' meeting for all conveners, and record who came.",
                key=make_key("convener_coordination", org, "no_inter_convener_meeting"),
            )
        )
    return findings
