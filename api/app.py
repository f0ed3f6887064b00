"""The HTTP service: FastAPI over the library, no SQL and no analysis of its own.

Run it with ``constellation serve``; build it in tests with ``create_app(settings)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from api import problems
from api.cache import RevisionCache, Warmer
from api.callers import Callers
from api.jobs import Jobs
from api.limits import BodyLimit
from api.routers import (
    analysis,
    candidates,
    dedupe,
    docs,
    health,
    maps,
    partner,
    records,
    reports,
    schema,
    session,
    transfer,
    workspaces,
)
from api.schemas import problems as documented_problems
from api.security import SecurityHeaders
from constellation.config import Settings, get_settings
from constellation.store import Store

GZIP_MIN_BYTES = 1024
"""Bodies smaller than this go as they are: compressing them saves less than it costs."""

DESCRIPTION = """
Constellation models a collective-impact partnership as a graph: who signed the shared
agenda, who convenes which constellation, which goals each group advances.

**Authentication.** Send `Authorization: Bearer <token>` (create one with
`constellation token create --role viewer|editor|admin`). Viewers read, editors write,
admins manage workspaces. Workspaces opened to the public can be read without a token.

**Safe edits.** Every node and edge carries an `ETag` (its version). Send it back as
`If-Match` when you change or delete it; if someone changed it since, you get 412 and
nothing is overwritten.

**Errors** are `application/problem+json` with a `detail` to read and, for invalid data,
`errors` with the field locations.
"""


def web_dir() -> Path | None:
    """The static front end: shipped in the wheel, or the repository's web/."""
    from importlib import resources

    shipped = resources.files("constellation") / "_web"
    if shipped.is_dir():
        return Path(str(shipped))
    here = Path(__file__).resolve().parents[1] / "web"
    return here if here.is_dir() else None


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Constellation",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,  # served by routers/docs.py, its script in a file
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store or Store(settings.database_url)
    app.state.cache = RevisionCache(settings.cache_size)
    app.state.callers = Callers()
    app.state.jobs = Jobs()
    app.state.warmer = Warmer(app.state.store, app.state.cache)
    problems.install(app)
    true_openapi(app, settings)
    # the records' routes first: the most asked, and routes are matched in order (no other
    # route's path falls under theirs)
    app.include_router(records.nodes)
    app.include_router(records.edges)
    for module in (
        health,
        schema,
        session,
        workspaces,
        analysis,
        candidates,
        dedupe,
        reports,
        maps,
        partner,
        transfer,
        docs,
    ):
        app.include_router(module.router)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag"],
        )
    # large answers (the map, the audit, exports) go compressed to clients that accept it;
    # Starlette's GZip is plain ASGI, and small bodies pass untouched
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=6)
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, upload_bytes=settings.max_upload_bytes
    )
    app.add_middleware(
        SecurityHeaders,
        embed_origins=settings.embed_origins,
        hsts_seconds=settings.hsts_seconds,
    )
    web = web_dir()
    if web is not None and (web / "index.html").exists():
        app.mount("/", StaticFiles(directory=web, html=True), name="web")
    return app


def true_openapi(app: FastAPI, settings: Settings) -> None:
    """The document as the service answers: If-Match required where the settings require it
    (428 without it), and the 503 any route gives while the database is not answering."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = generate()
        unavailable = documented_problems(503)[503]
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
                        parameter["required"] = settings.require_if_match
                        parameter["schema"] = {"type": "string"}
                operation.setdefault("responses", {}).setdefault(
                    "503",
                    {
                        "description": unavailable["description"],
                        "content": {
                            "application/problem+json": {
                                "schema": {"$ref": "#/components/schemas/ProblemDetail"}
                            }
                        },
                    },
                )
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override


def app_from_environment() -> FastAPI:
    """The factory uvicorn calls in each worker: settings read afresh from the environment
    (`constellation serve` sets the database URL there after its own settings were read)."""
    return create_app(Settings())
