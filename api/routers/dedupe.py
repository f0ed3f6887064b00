"""Duplicate organizations: the pairs to merge (read), and a merge (editor)."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api.cache import AnalysesDep
from api.deps import RepoDep, WriteWs
from api.schemas import problems
from constellation.analysis.dedupe import DedupeReport
from constellation.services import dedupe as service
from constellation.services.dedupe import MergeReport

router = APIRouter(
    prefix="/api/workspaces/{workspace}", tags=["dedupe"], responses=problems(401, 404, 413, 422)
)


class MergeBody(BaseModel):
    """What to merge into the node of the path."""

    model_config = ConfigDict(extra="forbid")
    other: str = Field(
        max_length=500, description="The node merged in and deleted (id or exact label)."
    )
    dry_run: bool = Field(False, description="Say what would change; write nothing.")


@router.get(
    "/dedupe",
    response_model=DedupeReport,
    summary="Pairs of records that name one organization, scored and explained, best first",
)
def dedupe(
    net: AnalysesDep,
    kind: Annotated[str, Query(max_length=50, description="The node kind.")] = "organization",
    threshold: Annotated[
        float | None, Query(ge=0, le=1, description="List pairs scoring at least this.")
    ] = None,
) -> DedupeReport:
    return net.get("dedupe", kind, threshold, make=lambda: service.dedupe(net, kind, threshold))


@router.post(
    "/nodes/{keep}/merge",
    response_model=MergeReport,
    summary="Merge another node into this one (editor): ties moved, label kept as an alias",
    responses=problems(403),
)
def merge(workspace: WriteWs, keep: str, body: MergeBody, repo: RepoDep) -> MergeReport:
    report = service.merge(repo, workspace, keep, body.other, dry_run=body.dry_run)
    if not body.dry_run:
        repo.commit()
    return report
