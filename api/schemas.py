"""Request and response shapes. The create bodies are generated from the vocabulary, one
per kind, so the OpenAPI document shows every kind's properties and endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Literal, Protocol, TypeVar, Union

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from constellation import vocabulary as vocab
from constellation.records import EdgeOut, NodeOut
from constellation.store.repository import WORKSPACE_ID

_COMMON: dict[str, Any] = {
    "id": (
        str | None,
        Field(
            None,
            min_length=1,
            max_length=200,
            description="Kept if given; made from the label otherwise.",
        ),
    ),
    "attributes": (
        dict[str, Any],
        Field(default_factory=dict, description="Free-form columns of your own."),
    ),
    "tags": (list[Annotated[str, Field(max_length=200)]], Field(default_factory=list)),
    "valid_from": (dt.date | None, None),
    "valid_to": (dt.date | None, None),
}
_STRICT = ConfigDict(extra="forbid")


def _title(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def _node_model(spec: vocab.NodeKind) -> type[BaseModel]:
    return create_model(
        f"{_title(spec.name)}NodeCreate",
        __config__=_STRICT,
        __doc__=spec.description,
        kind=(Literal[spec.name], ...),  # type: ignore[arg-type]  # a Literal made at run time
        label=(str, Field(..., min_length=1, max_length=500)),
        properties=(spec.properties, Field(default_factory=spec.properties)),
        **_COMMON,
    )


def _edge_model(spec: vocab.EdgeKind) -> type[BaseModel]:
    return create_model(
        f"{_title(spec.name)}EdgeCreate",
        __config__=_STRICT,
        __doc__=f"{spec.description} From {' or '.join(spec.sources)} to "
        f"{' or '.join(spec.targets)}.".replace(vocab.ANY, "any kind"),
        kind=(Literal[spec.name], ...),  # type: ignore[arg-type]  # a Literal made at run time
        source=(str, Field(..., min_length=1, max_length=200)),
        target=(str, Field(..., min_length=1, max_length=200)),
        properties=(spec.properties, Field(default_factory=spec.properties)),
        **_COMMON,
    )


NODE_MODELS = [_node_model(k) for k in vocab.NODE_KINDS.values()]
EDGE_MODELS = [_edge_model(k) for k in vocab.EDGE_KINDS.values()]
# Unions built at run time: to a type checker they are values, not types.
NodeCreate: Any = Annotated[Union[tuple(NODE_MODELS)], Field(discriminator="kind")]  # noqa: UP007
EdgeCreate: Any = Annotated[Union[tuple(EDGE_MODELS)], Field(discriminator="kind")]  # noqa: UP007


class CreateBody(Protocol):
    """What every generated create body has: its kind's properties and pydantic's dump."""

    properties: vocab.Properties

    def model_dump(self, *args: Any, **kwargs: Any) -> dict[str, Any]: ...


def as_record(body: CreateBody) -> dict[str, Any]:
    """A create body as the repository takes it (properties without their unset values)."""
    data = body.model_dump(mode="json", exclude={"properties"})
    data["properties"] = body.properties.model_dump(
        mode="json", exclude_none=True, exclude_unset=True
    )
    return data


class NodePatch(BaseModel):
    """Change a node: properties and attributes merge (null removes a key), the rest replaces."""

    model_config = _STRICT
    label: str | None = Field(None, min_length=1, max_length=500)
    properties: dict[str, Any] | None = None
    attributes: dict[str, Any] | None = None
    tags: list[Annotated[str, Field(max_length=200)]] | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class EdgePatch(BaseModel):
    """Change an edge: properties and attributes merge (null removes a key), the rest replaces."""

    model_config = _STRICT
    source: str | None = Field(None, min_length=1, max_length=200)
    target: str | None = Field(None, min_length=1, max_length=200)
    properties: dict[str, Any] | None = None
    attributes: dict[str, Any] | None = None
    tags: list[Annotated[str, Field(max_length=200)]] | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total matching, and how to ask for the next."""

    items: list[T]
    total: int
    limit: int
    offset: int
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page.")


class NameMatch(BaseModel):
    id: str
    label: str
    kind: str


class NodePage(Page[NodeOut]):
    did_you_mean: list[NameMatch] = Field(
        default_factory=list,
        description="When `q` matches no label: the nodes (of `kind`) whose names are "
        "closest, best first; a picker offers them.",
    )


class EdgePage(Page[EdgeOut]):
    pass


class Neighbourhood(BaseModel):
    centre: str
    hops: int
    nodes: list[NodeOut]
    edges: list[EdgeOut]


WorkspaceName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    Field(description="What people call it; not blank (leave it out to keep it, or the id)."),
]


class WorkspaceCreate(BaseModel):
    model_config = _STRICT
    slug: str = Field(
        ..., pattern=WORKSPACE_ID.pattern, description="The workspace id used in addresses."
    )
    name: WorkspaceName | None = None
    description: str | None = Field(None, max_length=5000)
    public_read: bool = Field(False, description="Open to anonymous readers (a public map).")


class WorkspacePatch(BaseModel):
    model_config = _STRICT
    slug: str | None = Field(
        None, pattern=WORKSPACE_ID.pattern, description="A new id: renames the workspace."
    )
    name: WorkspaceName | None = None
    description: str | None = Field(None, max_length=5000)
    public_read: bool | None = None


class WhatIfBody(BaseModel):
    model_config = _STRICT
    without: list[str] = Field(
        default_factory=list,
        max_length=500,
        description="Organizations or people that leave (ids or labels).",
    )
    stop_convening: list[str] = Field(default_factory=list, max_length=500)
    disband: list[str] = Field(default_factory=list, max_length=500)
    as_of: dt.date | None = None


class ProfileBody(BaseModel):
    """An organization described rather than named (one not yet in the workspace)."""

    model_config = _STRICT
    label: str | None = Field(None, max_length=500)
    sector: str | None = Field(None, max_length=50)
    goals: list[str] = Field(default_factory=list, max_length=500)
    issue_areas: list[str] = Field(default_factory=list, max_length=500)
    partners: list[str] = Field(default_factory=list, max_length=500)
    limit: int = Field(10, ge=1, le=100)
    as_of: dt.date | None = None


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable"]
    version: str


class ProblemDetail(BaseModel):
    """An error (RFC 9457 problem details)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = Field(
        None, description="For invalid data: each problem with its field location (loc)."
    )


AsOf = Annotated[dt.date | None, Query(description="The date to look at (default today).")]
"""The ``as_of`` query parameter of every analysis route."""


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem responses a route can give."""
    words = {
        400: "A body that cannot be parsed (a broken multipart upload)",
        401: "No token, or a bad one, where one is needed",
        403: "The token's role does not allow this",
        404: "No such workspace, node or edge (or not visible to this token)",
        409: "Conflicts with what is stored",
        412: "Changed since you read it (If-Match)",
        413: "Request body too large",
        422: "Invalid request or data",
        428: "If-Match is required",
        503: "Database unavailable",
    }
    return {
        c: {
            "model": ProblemDetail,
            "description": words[c],
            "content": {"application/problem+json": {}},
        }
        for c in codes
    }
