"""The vocabulary as a document: for the API's /api/schema, generated forms and the docs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from constellation.vocabulary import EDGE_KINDS, NODE_KINDS

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["vocabulary_document", "markdown_tables"]


def vocabulary_document() -> dict[str, Any]:
    """Every kind with its JSON Schema, so clients can build forms without hard-coding kinds.

    >>> doc = vocabulary_document()
    >>> [k["name"] for k in doc["edge_kinds"] if k["name"] == "funds"][0]
    'funds'
    >>> doc["node_kinds"][0]["properties"]["common_vision"]["type"]
    'string'
    """

    def props(model: type[BaseModel]) -> dict[str, Any]:
        schema = model.model_json_schema()
        out = {}
        for name, spec in schema.get("properties", {}).items():
            spec = dict(spec)
            if "anyOf" in spec:  # `X | None` → X, since every property is optional
                options = [o for o in spec.pop("anyOf") if o.get("type") != "null"]
                if len(options) == 1:
                    spec = options[0] | spec
            if "$ref" in spec:
                spec = schema["$defs"][spec.pop("$ref").rsplit("/", 1)[1]] | spec
            if "allOf" in spec and len(spec["allOf"]) == 1:
                ref = spec.pop("allOf")[0]["$ref"].rsplit("/", 1)[1]
                spec = schema["$defs"][ref] | spec
            items = spec.get("items")
            if isinstance(items, dict) and "$ref" in items:  # a list of enum values
                spec["items"] = schema["$defs"][items["$ref"].rsplit("/", 1)[1]]
            spec["required"] = name in schema.get("required", [])
            out[name] = spec
        return out

    return {
        "node_kinds": [
            {
                "name": k.name,
                "title": k.title,
                "description": k.description,
                "color": k.color,
                "shape": k.shape,
                "properties": props(k.properties),
                "json_schema": k.properties.model_json_schema(),
            }
            for k in NODE_KINDS.values()
        ],
        "edge_kinds": [
            {
                "name": k.name,
                "description": k.description,
                "sources": list(k.sources),
                "targets": list(k.targets),
                "color": k.color,
                "dashes": k.dashes,
                "properties": props(k.properties),
                "json_schema": k.properties.model_json_schema(),
            }
            for k in EDGE_KINDS.values()
        ],
    }


def markdown_tables() -> str:
    """The data-model tables of the README, generated so the docs cannot drift."""
    doc = vocabulary_document()
    lines = ["| node kind | what it is | properties |", "| --- | --- | --- |"]
    lines += [
        f"| `{k['name']}` | {k['description']} | {', '.join(k['properties'])} |"
        for k in doc["node_kinds"]
    ]
    lines += [
        "",
        "| edge kind | from → to | what it means | properties |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{k['name']}` | {' / '.join(k['sources'])} → {' / '.join(k['targets'])} | "
        f"{k['description']} | {', '.join(k['properties'])} |"
        for k in doc["edge_kinds"]
    ]
    return "\n".join(lines).replace("| * ", "| any ").replace("→ * |", "→ any |")
