"""The one headless Chromium the map and web-page tests share.

Debian's Chromium at /usr/bin/chromium (or wherever ``CONSTELLATION_CHROMIUM`` says),
driven by Playwright: Playwright's own browser download does not work on these machines.
Screenshots go to ``build/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
import pathlib
import shutil

CHROMIUM = os.environ.get("CONSTELLATION_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[1] / "build" / "screenshots"


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None
