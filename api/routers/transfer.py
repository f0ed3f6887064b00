"""Import and export over HTTP: upload files into a workspace, download it in any format."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import ReadWs, RepoDep, WriteWs
from api.problems import HTTPProblem, printable
from api.schemas import problems
from constellation.io import (
    EXPORT_FORMATS,
    FORMATS,
    IMPORT_FORMATS,
    FormatList,
    ImportReport,
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
    "each one with its file, sheet, row and column.",
    response_model=ImportReport,
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
) -> ImportReport:
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
    # the import is long work: off the event loop, so the worker answers others meanwhile
    report = await run_in_threadpool(
        import_files, repo, workspace, uploads, format=format, mapping=mapping_file, dry_run=dry_run
    )
    if not dry_run:
        repo.commit()
    return report


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
