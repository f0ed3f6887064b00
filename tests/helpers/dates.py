"""The date the tests call today (see the `pinned_today` fixture)."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 6, 1)
"""After the demo networks' last start (2025-01-01) and before their first end (2026-12-31),
so the demos look as they do in late 2026, whatever the real date."""
