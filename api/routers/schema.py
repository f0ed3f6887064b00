"""The vocabulary, so that clients and the web page build their forms from it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from constellation.schema import vocabulary_document

router = APIRouter(prefix="/api", tags=["schema"])


@router.get("/schema", summary="Node and edge kinds, their properties and allowed endpoints")
def schema() -> dict[str, Any]:
    return vocabulary_document()
