"""Import Kumu's own example workbook (kumu/docs, content/paypal-mafia.xlsx) into a scratch
database and print what it made. The file has no licence, so it is not shipped with the tests;
the tests import a replica with the same sheets, columns and kinds of row.

Usage::

    .venv/bin/python scripts/check_kumu_example.py path/to/paypal-mafia.xlsx
"""

from __future__ import annotations

import sys
import tempfile

from constellation.io import import_files
from constellation.store import Store

MAPPING = (
    "kumu-mapping.yaml",
    b"node_kinds: {Company: organization}\ndefault_edge_kind: related_to\n",
)


def main(path: str) -> None:
    content = open(path, "rb").read()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/kumu.db")
        with store.repository(actor="check") as repo:
            report = import_files(repo, "paypal", [("paypal-mafia.xlsx", content)], mapping=MAPPING)
        with store.repository(actor="check") as repo:
            again = import_files(repo, "paypal", [("paypal-mafia.xlsx", content)], mapping=MAPPING)
        store.close()
    print("first import:", report.counts())
    print("second import:", again.counts())
    for note in report.notes:
        print("note:", note)


if __name__ == "__main__":
    main(sys.argv[1])
