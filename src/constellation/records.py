"""The shapes records take on their way in and out of the store.

The CLI prints them, the API returns them and the importers produce them, so a
node looks the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
)

__all__ = [
    "NodeIn",
    "EdgeIn",
    "NodeOut",
    "EdgeOut",
    "WorkspaceOut",
    "ChangeOut",
    "FieldChange",
    "UpsertReport",
]


MAX_DEPTH = 32
"""How deeply free-form attributes may nest (lists in dicts in lists …)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNSTORABLE = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
    + "]"
)
"""Lone surrogates (half of a UTF-16 pair: not text at all, UTF-8 cannot encode them) and
Unicode's non-characters (U+FFFE, U+FDD0 …, never meant for interchange)."""


def _no_control(text: str, what: str) -> str:
    """Control characters break exports (XML, spreadsheets) and headers, and a lone
    surrogate or a non-character cannot be written out as UTF-8 text; refuse them."""
    if _CONTROL.search(text):
        raise ValueError(f"{what} contains a control character (such as \\x01); remove it")
    found = _UNSTORABLE.search(text)
    if found:
        raise ValueError(
            f"{what} contains U+{ord(found.group()):04X}, a lone surrogate or a "
            "non-character, which is not text; remove it or fix the file's encoding"
        )
    return text


plain_text = _no_control
"""The check every stored text passes, for text that is not a record's (a file's name)."""


def _check_value(value: Any, depth: int = 0) -> Any:
    """Free-form values must be plain JSON: finite numbers, nesting at most MAX_DEPTH deep."""
    if depth > MAX_DEPTH:
        raise ValueError(f"nests more than {MAX_DEPTH} levels deep")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("numbers must be finite (not NaN or Infinity)")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_control(str(key), f"the name {str(key)[:40]!r}")
            _check_value(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_value(item, depth + 1)
    elif isinstance(value, str):
        _no_control(value.replace("\t", " ").replace("\n", " ").replace("\r", " "), "a value")
    return value


def _clean_id(value: str | None) -> str | None:
    if value is None:
        return value
    _no_control(value, "the id")
    if "/" in value or value in (".", ".."):
        raise ValueError("an id cannot contain '/' or be '.' or '..' (it goes in addresses)")
    return value


def _clean_tags(tags: Any) -> Any:
    if isinstance(tags, str):
        tags = [t for t in tags.split("|")]
    if isinstance(tags, list):
        seen: list[str] = []
        for t in tags:
            t = str(t).strip()
            if t and t not in seen:
                seen.append(t)
        return seen
    return tags


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Kept if given; made from the label otherwise.",
    )
    kind: str = Field(..., min_length=1)
    properties: dict[str, Any] = Field(default_factory=dict)
    attributes: dict[str, Any] = Field(
        default_factory=dict, description="Free-form columns of your own."
    )
    tags: list[str] = Field(default_factory=list)
    valid_from: dt.date | None = Field(None, description="First day it holds (open if empty).")
    valid_to: dt.date | None = Field(None, description="Last day it holds (open if empty).")

    _tags = field_validator("tags", mode="before")(_clean_tags)
    _id = field_validator("id")(_clean_id)

    @field_validator("attributes", "properties")
    @classmethod
    def _plain_json(cls, value: Any) -> Any:
        return _check_value(value)

    @field_validator("tags")
    @classmethod
    def _plain_tags(cls, value: list[str]) -> list[str]:
        for tag in value:
            _no_control(tag, "a tag")
        return value

    @field_validator("valid_to")
    @classmethod
    def _period(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise ValueError(f"valid_to {value} is before valid_from {start}")
        return value


class NodeIn(_In):
    label: str = Field(..., min_length=1, max_length=500)

    @field_validator("label")
    @classmethod
    def _plain_label(cls, value: str) -> str:
        return _no_control(value.replace("\t", " "), "the label")


class EdgeIn(_In):
    source: str = Field(..., min_length=1, description="Id of the node it starts from.")
    target: str = Field(..., min_length=1, description="Id of the node it points at.")


class _Out(BaseModel):
    workspace: str
    id: str
    kind: str
    properties: dict[str, Any]
    attributes: dict[str, Any]
    tags: list[str]
    valid_from: dt.date | None
    valid_to: dt.date | None
    archived_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class NodeOut(_Out):
    label: str


class EdgeOut(_Out):
    source: str
    target: str


class WorkspaceOut(BaseModel):
    slug: str
    name: str
    description: str | None
    public_read: bool
    revision: int
    created_at: dt.datetime
    nodes: int = 0
    edges: int = 0


class FieldChange(BaseModel):
    """One value a change set, altered or removed: what a history shows as before → after."""

    field: str = Field(
        description="label, source, target, valid_from, valid_to, tags, "
        "or properties.KEY / attributes.KEY."
    )
    before: Any = Field(None, description="The value before (null: it had none).")
    after: Any = Field(None, description="The value after (null: it has none now).")


_COMPARED = ("label", "source", "target", "valid_from", "valid_to", "tags")
"""The top-level fields of a logged record that a history compares (bookkeeping aside)."""


def fields_changed(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[FieldChange]:
    """The values that differ between two logged states of a record, in a stable order: the
    named fields first, then each property and attribute by key. An empty value (none, "",
    [], {}) counts as no value, so a create lists what it set and a delete what it held.

    >>> [c.field for c in fields_changed({"label": "A", "properties": {"x": 1}},
    ...                                   {"label": "B", "properties": {"x": 1, "y": 2}})]
    ['label', 'properties.y']
    """
    was, now = before or {}, after or {}

    def empty(value: Any) -> bool:
        return value is None or value == "" or value == [] or value == {}

    out = []
    for key in _COMPARED:
        a, b = was.get(key), now.get(key)
        if a != b and not (empty(a) and empty(b)):
            out.append(
                FieldChange(
                    field=key, before=None if empty(a) else a, after=None if empty(b) else b
                )
            )
    for group in ("properties", "attributes"):
        a_map, b_map = was.get(group) or {}, now.get(group) or {}
        for key in sorted(set(a_map) | set(b_map)):
            a, b = a_map.get(key), b_map.get(key)
            if a != b and not (empty(a) and empty(b)):
                out.append(
                    FieldChange(
                        field=f"{group}.{key}",
                        before=None if empty(a) else a,
                        after=None if empty(b) else b,
                    )
                )
    return out


class ChangeOut(BaseModel):
    workspace: str | None
    entity: str
    entity_id: str
    action: str
    version: int | None
    actor: str | None
    at: dt.datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    label: str | None = Field(
        None,
        description="The record as people name it: a node's label, a tie's two ends by label "
        "(\"UNITE-LA → Graduation CAN\"), a workspace's or a saved view's name.",
    )

    @computed_field(description="What this change set, altered or removed, field by field.")  # type: ignore[prop-decorator]
    @property
    def changed(self) -> list[FieldChange]:
        if self.entity not in ("node", "edge"):
            return []
        return fields_changed(self.before, self.after)


class JoinRequestOut(BaseModel):
    """An organization's request to join a constellation, and how it was decided."""

    id: str
    workspace: str
    organization: str
    organization_label: str | None = None
    constellation: str
    constellation_label: str | None = None
    message: str | None
    state: str = Field(description="pending, accepted or declined.")
    asked_by: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    reason: str | None
    edge: str | None = Field(description="The participates_in tie an accepted request made.")


class MapView(BaseModel):
    """A named view of a workspace's map: the map page's URL fragment under a name.

    Kept in the change log itself (entity ``map_view``), so every save and delete is
    logged with its author and version by construction, without a table of its own."""

    workspace: str
    name: str
    fragment: str = Field(description="The map page's URL fragment, without '#'.")
    version: int
    updated_by: str | None
    updated_at: dt.datetime


class UpsertReport(BaseModel):
    """What a bulk write did, or, on a dry run, would do."""

    workspace: str
    dry_run: bool = False
    nodes_created: list[str] = Field(default_factory=list)
    nodes_updated: list[str] = Field(default_factory=list)
    nodes_unchanged: list[str] = Field(default_factory=list)
    edges_created: list[str] = Field(default_factory=list)
    edges_updated: list[str] = Field(default_factory=list)
    edges_unchanged: list[str] = Field(default_factory=list)
    possible_duplicates: list[list[str]] = Field(
        default_factory=list,
        description="Ties kept that may say one thing twice: each group lists the ids of "
        "same-kind ties between one pair whose dates overlap (a kind that repeats, such as "
        "funds, is never listed).",
    )

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            "nodes": {
                "created": len(self.nodes_created),
                "updated": len(self.nodes_updated),
                "unchanged": len(self.nodes_unchanged),
            },
            "edges": {
                "created": len(self.edges_created),
                "updated": len(self.edges_updated),
                "unchanged": len(self.edges_unchanged),
            },
        }
