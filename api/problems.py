"""Every error as application/problem+json (RFC 9457): a title, a detail a person can act on,
and for validation the field locations."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from constellation.errors import (
    AlreadyExists,
    DuplicateTie,
    InUse,
    InvalidRecords,
    NotFound,
    NotNow,
    StoreConflict,
    StoreUnavailable,
    UnstorableValue,
    VersionConflict,
)
from constellation.io import FileTooLarge

log = logging.getLogger("constellation.api")

PROBLEM = "application/problem+json"


def printable(value: Any) -> Any:
    """`value` with every lone surrogate written as an escape (\\ud800): a problem often
    echoes what was sent, and what was sent may not be text that UTF-8 can carry."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable(v) for v in value]
    return value


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A problem document; `extensions` are its own members (RFC 9457 §3.2)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extensions,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(printable(body), status_code=status, media_type=PROBLEM, headers=headers)


class HTTPProblem(Exception):
    """Raise from a route to answer with a problem document (the HTTP body); the library's
    own `constellation.errors.Problem` is one thing wrong with one record."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.status, self.detail, self.title, self.headers = status, detail, title, headers


def _sentence(exc: Exception) -> str:
    """A library error's message as a sentence: capital first, full stop last."""
    text = str(exc)
    return text[0].upper() + text[1:] + ("" if text.endswith(("?", ".")) else ".")


def _answer_with(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    """A handler answering a library error with `status` and the error's own words."""

    async def handler(_: Request, exc: Exception) -> JSONResponse:
        return problem(status, _sentence(exc))

    return handler


DATE_ERRORS = {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}
"""pydantic's error types for a date it could not read."""


def _plain_message(error: Any) -> str:
    """pydantic's message, or for a date it could not read, the shape to use."""
    message = str(error.get("msg", ""))
    if error.get("type") in DATE_ERRORS:
        return f"{str(error.get('input'))[:40]!r} is not a date: use YYYY-MM-DD, e.g. 2024-05-01"
    return message


def install(app: FastAPI) -> None:
    @app.exception_handler(HTTPProblem)
    async def _problem(_: Request, exc: HTTPProblem) -> JSONResponse:
        return problem(exc.status, exc.detail, title=exc.title, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = "There is nothing at this address."
        return problem(exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": list(e.get("loc", ())),
                "msg": _plain_message(e),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:5])
        return problem(
            422, f"The request is not valid: {where}", title="Invalid request", errors=errors
        )

    @app.exception_handler(FileTooLarge)
    async def _too_large(_: Request, exc: FileTooLarge) -> JSONResponse:
        return problem(413, "; ".join(str(p) for p in exc.problems), title="Content Too Large")

    @app.exception_handler(InvalidRecords)
    async def _invalid(_: Request, exc: InvalidRecords) -> JSONResponse:
        errors = [
            p.as_dict()
            | {"loc": ["body"] + (p.field.split(".") if p.field else []), "msg": p.message}
            for p in exc.problems
        ]
        detail = "; ".join(str(p) for p in exc.problems[:5])
        return problem(422, f"Nothing was changed: {detail}", title="Invalid data", errors=errors)

    @app.exception_handler(NotFound)
    async def _missing(_: Request, exc: NotFound) -> JSONResponse:
        near: dict[str, Any] = {"did_you_mean": exc.suggestions} if exc.suggestions else {}
        return problem(404, _sentence(exc), **near)

    for error, status in ((AlreadyExists, 409), (InUse, 409), (NotNow, 409)):
        app.add_exception_handler(error, _answer_with(status))

    @app.exception_handler(DuplicateTie)
    async def _twin(_: Request, exc: DuplicateTie) -> JSONResponse:
        where = f"/api/workspaces/{exc.workspace}/edges/{exc.existing}"
        return problem(
            409,
            _sentence(exc),
            title="That tie exists",
            existing=where,
            existing_id=exc.existing,
        )

    @app.exception_handler(VersionConflict)
    async def _conflict(_: Request, exc: VersionConflict) -> JSONResponse:
        return problem(
            412,
            _sentence(exc),
            title="Changed since you read it",
            headers={"ETag": f'"{exc.actual}"'},
        )

    @app.exception_handler(UnstorableValue)
    async def _data(_: Request, exc: UnstorableValue) -> JSONResponse:
        return problem(
            422,
            "A value cannot be stored as given (too long, or a character "
            "the database does not accept).",
            title="Invalid data",
        )

    @app.exception_handler(StoreConflict)
    async def _integrity(_: Request, exc: StoreConflict) -> JSONResponse:
        return problem(
            409,
            "The change conflicts with what is stored (a duplicate id, or a record still in use).",
        )

    @app.exception_handler(StoreUnavailable)
    async def _operational(_: Request, exc: StoreUnavailable) -> JSONResponse:
        log.exception("database unavailable")
        return problem(503, "The database is not answering; try again in a moment.")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return problem(500, "Something went wrong on our side; the error has been logged.")
