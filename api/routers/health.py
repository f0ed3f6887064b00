"""Liveness and database reachability."""

from __future__ import annotations

from importlib.metadata import version
from typing import Literal

from fastapi import APIRouter, Depends, Response

from api.deps import get_store
from api.schemas import Health
from constellation.errors import StoreError
from constellation.store import Store

router = APIRouter(tags=["health"])
VERSION = version("constellation")


@router.get(
    "/healthz",
    response_model=Health,
    summary="Is the service up and the database reachable?",
    responses={503: {"model": Health}},
)
def healthz(response: Response, store: Store = Depends(get_store)) -> Health:
    database: Literal["ok", "unreachable"]
    try:
        with store.repository() as repo:
            repo.ping()
        database = "ok"
    except StoreError:
        database = "unreachable"
        response.status_code = 503
    return Health(
        status="ok" if database == "ok" else "degraded", database=database, version=VERSION
    )
