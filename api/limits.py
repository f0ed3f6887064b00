"""A hard limit on request bodies, enforced before anything reads them (413 above it)."""

from __future__ import annotations

import json
import re

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATH = re.compile(r"^/api/workspaces/[^/]+/import$")
"""The one route that takes files, under the upload limit rather than the body limit."""
PROBLEM_413 = {"type": "about:blank", "title": "Content Too Large", "status": 413}


class BodyLimit:
    """Pure ASGI middleware: refuses a body whose declared or actual size passes the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.upload_bytes if UPLOAD_PATH.match(scope["path"]) else self.max_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False
            if too_big:
                return await self._refuse(send, limit)
        seen = 0

        async def counting_receive() -> Message:
            # a body sent without a length (chunked) is counted as it arrives; the error
            # reaches the problem handlers like any other HTTP error
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, self._detail(limit))
            return message

        await self.app(scope, counting_receive, send)

    @staticmethod
    def _detail(limit: int) -> str:
        return f"The request body is larger than the {limit:,} bytes this service accepts."

    async def _refuse(self, send: Send, limit: int) -> None:
        body = json.dumps(PROBLEM_413 | {"detail": self._detail(limit)})
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})
