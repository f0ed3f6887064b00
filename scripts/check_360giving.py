"""Import a real 360Giving publication (JSON, CSV or XLSX, as downloaded from a publisher or
GrantNav) into a scratch database, twice, and print what it made: grants, funders,
recipients, the dates it read, problems with their row and column, and the co-funders of
shared grantees. Nothing is written anywhere else.

Usage::

    .venv/bin/python scripts/check_360giving.py path/to/grants.xlsx [more files of one publisher]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from constellation.analysis.funding import funding_opportunities
from constellation.errors import InvalidRecords
from constellation.graph import load_graph
from constellation.io import import_files
from constellation.store import Store


def main(paths: list[str]) -> int:
    files = [(Path(p).name, Path(p).read_bytes()) for p in paths]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/grants.db")
        started = time.perf_counter()
        try:
            with store.repository(actor="check") as repo:
                report = import_files(repo, "grants", files, format="360giving")
        except InvalidRecords as exc:
            print(f"refused, nothing written: {len(exc.problems)} problem(s)")
            for p in exc.problems[:50]:
                print("  -", p)
            store.close()
            return 1
        took = time.perf_counter() - started
        with store.repository(actor="check") as repo:
            again = import_files(repo, "grants", files, format="360giving")
            grants = repo.query_edges("grants", kind="funds")
            funders = {e.source for e in grants}
            recipients = {e.target for e in grants}
            days = sorted(e.attributes.get("awardDate") or "" for e in grants)
            co = funding_opportunities(load_graph(repo, "grants", None)).co_funders
        store.close()
    print(f"first import ({took:.1f}s):", report.counts())
    print("second import:", again.counts())
    print(f"{len(grants)} grants from {len(funders)} funder(s) to {len(recipients)} recipient(s)")
    if days:
        print(f"award dates from {days[0] or '?'} to {days[-1] or '?'}")
    for note in report.notes[:20]:
        print("note:", note)
    for f in co[:10]:
        print("co-funders:", f.message)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
