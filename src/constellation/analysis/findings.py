"""The shapes the analysis returns: a finding, and the audit report that gathers them.

The CLI prints these and the HTTP service returns them, so they are defined once here.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

__all__ = ["Severity", "Subject", "Finding", "AuditReport", "subject", "SEVERITY_ORDER"]


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2, Severity.INFO: 3}


class Subject(BaseModel):
    """A node a finding is about."""

    id: str
    kind: str
    label: str


class Finding(BaseModel):
    """One thing worth a stewardship group's attention, with the numbers behind it."""

    check: str = Field(description="Stable id of the check that found it.")
    severity: Severity
    subjects: list[Subject] = Field(description="The nodes involved, the main one first.")
    message: str = Field(description="One sentence a stewardship group understands.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="The numbers behind it.")
    suggestion: str = Field("", description="The next step.")
    key: str = Field(description="Stable across dates, to follow the same finding over time.")


class AuditReport(BaseModel):
    """`constellation audit --format json` and `GET …/audit` both return exactly this."""

    workspace: str
    as_of: dt.date
    summary: dict[str, Any]
    findings: list[Finding]


def subject(G: nx.MultiDiGraph, node: str) -> Subject:
    data = G.nodes[node]
    return Subject(id=node, kind=data.get("kind", "?"), label=data.get("label", node))


def make_key(check: str, *parts: str) -> str:
    """A finding's key: its check and the ids it is about, so it reads the same any day.

    >>> make_key("orphan_goals", "goal-2")
    'orphan_goals:goal-2'
    """
    return ":".join((check, *parts))
