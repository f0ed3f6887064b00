"""Security headers on every response, as plain ASGI middleware: nothing is parsed or
buffered, the headers are built once and added as each response starts.

The policy allows scripts from this service's own files only (`script-src 'self'`, never
'unsafe-inline'); a page with inline scripts of its own (the map) names each by its hash in
a policy it sets itself, which the middleware leaves alone.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SELF = "'self'"
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S
)
"""An inline script the browser runs: no src, not a JSON data block."""


def policy(
    *,
    scripts: Iterable[str] = (),
    styles: Iterable[str] = (),
    images: Iterable[str] = (),
    frame_ancestors: Iterable[str] = (),
) -> str:
    """A Content-Security-Policy: this service's own resources, plus what is named."""
    parts = {
        "default-src": [SELF],
        "script-src": [SELF, *scripts],
        # vis-network and the pages set element styles from script: inline styles stay
        "style-src": [SELF, "'unsafe-inline'", *styles],
        "img-src": [SELF, "data:", "blob:", *images],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": [SELF],
        "frame-ancestors": [SELF, *frame_ancestors],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in parts.items())


def script_hashes(html: str) -> list[str]:
    """The CSP sources ('sha256-…') of every inline script in `html`, so that exactly those
    run and nothing injected beside them does."""
    found = []
    for body in INLINE_SCRIPT.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        found.append(f"'sha256-{digest}'")
    return list(dict.fromkeys(found))


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers a response does not set itself."""

    def __init__(
        self, app: ASGIApp, *, embed_origins: Iterable[str] = (), hsts_seconds: int = 0
    ) -> None:
        self.app = app
        embed = list(embed_origins)
        self.headers: list[tuple[bytes, bytes]] = [
            (b"content-security-policy", policy(frame_ancestors=embed).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if not embed:  # older browsers: the same rule as frame-ancestors 'self'
            self.headers.append((b"x-frame-options", b"SAMEORIGIN"))
        if hsts_seconds:
            self.headers.append(
                (
                    b"strict-transport-security",
                    f"max-age={hsts_seconds}; includeSubDomains".encode(),
                )
            )
        self.embed = embed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
