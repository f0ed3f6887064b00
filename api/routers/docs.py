"""The interactive API documentation (Swagger UI) at /docs, under the security policy: its
start-up script is a file of ours rather than the inline script FastAPI writes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from api.security import policy

router = APIRouter(include_in_schema=False)

SWAGGER = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"
"""Where Swagger UI's files come from (as in FastAPI's own /docs)."""
CDN = "https://cdn.jsdelivr.net"

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Constellation – API</title>
<link rel="stylesheet" href="{SWAGGER}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{SWAGGER}/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""

START = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""


@router.get("/docs")
def docs() -> HTMLResponse:
    return HTMLResponse(
        PAGE, headers={"Content-Security-Policy": policy(scripts=[CDN], styles=[CDN])}
    )


@router.get("/docs/start.js")
def start() -> Response:
    return Response(START, media_type="text/javascript")
