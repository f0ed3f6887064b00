"""Import and export over HTTP: upload files into a workspace, download it in any format."""

from __future__ import annotations

import asyncio
import threading
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import ReadWs, RepoDep, WriteWs
from api.jobs import JOB_ROWS, Job, JobOut
from api.problems import HTTPProblem, printable
from api.schemas import problems
from constellation.io import (
    EXPORT_FORMATS,
    FORMATS,
    IMPORT_FORMATS,
    FormatList,
    ImportReport,
    Progress,
    export_workspace,
    import_files,
)
from constellation.records import plain_text

router = APIRouter(tags=["import and export"], responses=problems(400, 401, 403, 404, 413, 422))


@router.get(
    "/api/formats",
    summary="The formats import and export understand",
    response_model=FormatList,
)
def formats() -> FormatList:
    return FORMATS.listing()


def file_name_problem(name: str | None) -> str | None:
    """Why a file's name cannot be taken (it is echoed in reports and errors), or None."""
    if not name:
        return None
    try:
        plain_text(name, "the file name")
    except ValueError as exc:
        return printable(f"File {name!r}: {exc}.")
    return None


@router.post(
    "/api/workspaces/{workspace}/import",
    summary="Import files into the workspace (editor): all rows or none",
    description="Upload one file ("
    + ", ".join(f.title for f in FORMATS if f.read is not None)
    + ") or two (CSV nodes then edges; Kumu elements then connections). Every "
    "row is checked first; on any problem nothing is written and the answer lists "
    "each one with its file, sheet, row and column. An upload of more than "
    f"{JOB_ROWS:,} rows is answered at once with 202, a Location and `{{id, url}}` of "
    "its import job (`GET …/jobs/{id}`), which says how it goes and ends with the "
    "report or the problems.",
    response_model=ImportReport,
    responses={202: {"description": "A large upload: imported as a job (see Location)."}},
)
async def upload(
    workspace: WriteWs,
    repo: RepoDep,
    request: Request,
    files: Annotated[list[UploadFile], File(description="One or two files.")],
    format: Annotated[
        str, Form(description="auto, or one of: " + ", ".join(IMPORT_FORMATS[1:]) + ".")
    ] = "auto",
    mapping: Annotated[
        UploadFile | None, File(description="A mapping file (YAML or JSON) for foreign types.")
    ] = None,
    dry_run: Annotated[bool, Form()] = False,
) -> ImportReport | JSONResponse:
    if format not in IMPORT_FORMATS:
        raise HTTPProblem(
            422,
            f"Unknown format {format!r}; the formats are: " + ", ".join(IMPORT_FORMATS) + ".",
            title="Invalid request",
        )
    if not files or len(files) > 2:
        raise HTTPProblem(
            422, "Send one file, or two (a node table then an edge table).", title="Invalid request"
        )
    for f in [*files, *([mapping] if mapping else [])]:
        refused = file_name_problem(f.filename)
        if refused:
            raise HTTPProblem(422, refused, title="Invalid request")
    uploads = [(f.filename or "upload", await f.read()) for f in files]
    mapping_file = (mapping.filename or "mapping.yaml", await mapping.read()) if mapping else None
    # The import is a job in a thread of its own, in a transaction of its own: this
    # request's (which checked the token and the workspace) ends first, so that on SQLite
    # the job, not the request, holds the write lock.
    await run_in_threadpool(repo.commit)
    store = request.app.state.store
    job = Job(workspace, [n for n, _ in uploads])
    request.app.state.jobs.add(job)

    def work(progress: Progress) -> ImportReport:
        with store.repository(actor=repo.actor, write=True) as own:
            report = import_files(
                own,
                workspace,
                uploads,
                format=format,
                mapping=mapping_file,
                dry_run=dry_run,
                progress=progress,
            )
        if not dry_run:
            request.app.state.warmer.after_write(workspace)
        return report

    threading.Thread(target=job.run, args=(work,), name=f"import {job.id}", daemon=True).start()
    while not job.decided.is_set():  # its rows counted, or its end
        await asyncio.sleep(0.02)
    if job.large and job.out.state in ("queued", "running"):
        return JSONResponse(
            {"id": job.id, "url": job.out.url},
            status_code=202,
            headers={"Location": job.out.url},
        )
    await run_in_threadpool(job.finished.wait)
    if job.error is not None:
        raise job.error
    assert job.out.report is not None
    return job.out.report


@router.get(
    "/api/workspaces/{workspace}/jobs/{job_id}",
    summary="An import job (editor): its state, rows done, and its report or problems",
    response_model=JobOut,
)
def import_job(
    workspace: WriteWs, job_id: Annotated[str, Path(max_length=40)], request: Request
) -> JobOut:
    job = request.app.state.jobs.get(job_id)
    if job is None or job.out.workspace != workspace:
        raise HTTPProblem(
            404,
            f"No import job {job_id!r} in {workspace!r} here. A job is kept by the worker "
            "process that took its upload, its last 100; with several workers, ask again "
            "(the same connection reaches the same worker).",
        )
    return job.out


@router.get(
    "/api/workspaces/{workspace}/export",
    summary="Download the workspace in a format (native keeps everything)",
    response_class=Response,
    responses={
        200: {
            # every media type an export answers with (native: application/json …)
            "content": {
                t: {"schema": {} if t.endswith("json") else {"type": "string", "format": "binary"}}
                for t in sorted({e.media_type for e in EXPORT_FORMATS.values()})
            },
            "description": "The file, as an attachment.",
        }
    },
)
def download(
    workspace: ReadWs,
    repo: RepoDep,
    format: Annotated[
        str, Query(description="One of: " + ", ".join(EXPORT_FORMATS) + ".")
    ] = "native",
) -> Response:
    if format not in EXPORT_FORMATS:
        raise HTTPProblem(
            422,
            f"Unknown format {format!r}; the formats are: " + ", ".join(EXPORT_FORMATS) + ".",
            title="Invalid request",
        )
    content, media_type, filename = export_workspace(repo, workspace, format)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
