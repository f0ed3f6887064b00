"""Kumu: the blueprint JSON, the project export, and the spreadsheet layout (XLSX or CSV).

Kumu's spreadsheet layout: an elements sheet whose first row names its columns with
``Label`` (and optionally ``ID``, ``Type``, ``Description``, ``Tags``, any custom
field), and a connections sheet with ``From`` and ``To`` (and ``ID``, ``Type``,
``Direction`` …). ``|`` separates several values in one cell (several tags; several
targets in ``To``, one connection each). Sheets whose name contains ``(ignore)`` are
skipped; two blank rows start a new section with its own header row.

Re-import finds what an earlier import made: by ``ID`` where the sheet has one, else
by label and type, as Kumu itself does.

Export writes the same layouts with ``ID`` as the first column (Kumu's documented way
to keep identity across imports), so a network can go to Kumu and come back.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from constellation import vocabulary as vocab
from constellation.errors import Problem
from constellation.io.batching import Batch, NodeIndex
from constellation.io.cells import (
    cell_text,
    dumps,
    escape_cell,
    jsonable,
    split_multi,
    unescape_cell,
    validity,
)
from constellation.io.csv_files import csv_rows, is_blank, write_csv, zip_files
from constellation.io.errors import refuse
from constellation.io.formats import Export, Format, Match, Reading, Sample
from constellation.io.mapping import Resolver, canon, flatten, relation_of, split_fields
from constellation.io.parsing import check_zip

if TYPE_CHECKING:
    from collections.abc import Iterator

    from constellation.io.errors import UnreadableFile
    from constellation.records import EdgeOut, NodeOut
    from constellation.store.repository import Repository

__all__ = [
    "FORMAT",
    "Table",
    "read_xlsx",
    "read_csv",
    "read_json",
    "from_tables",
    "export_blueprint",
    "export_xlsx",
    "export_csv_zip",
    "looks_kumu_json",
]


@dataclass
class Table:
    """One sheet, one section of a sheet, or one CSV file."""

    where: str
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    unit: str = "row"

    def records(self) -> list[tuple[int, dict[str, Any]]]:
        out = []
        for at, cells in self.rows:
            record = {
                h: (cells[i] if i < len(cells) else None) for i, h in enumerate(self.header) if h
            }
            out.append((at, record))
        return out


def table_kind(header: list[str]) -> str | None:
    names = {canon(h) for h in header if h}
    if "from" in names and "to" in names:
        return "connections"
    if "label" in names:
        return "elements"
    return None


def _sections(where: str, rows: list[tuple[int, list[Any]]]) -> list[Table]:
    """Split rows into tables: a header row, its data, and a new section after two blank rows."""
    tables: list[Table] = []
    current: Table | None = None
    blanks = 0
    for at, cells in rows:
        if is_blank(cells):
            blanks += 1
            if blanks >= 2:
                current = None
            continue
        blanks = 0
        if current is None:
            header = [cell_text(c) for c in cells]
            while header and not header[-1]:
                header.pop()
            current = Table(where if not tables else f"{where} (section at row {at})", header)
            tables.append(current)
        else:
            current.rows.append((at, list(cells)))
    return tables


def read_xlsx(name: str, content: bytes, notes: list[Problem]) -> list[Table]:
    """The tables of a workbook; sheets named with ``(ignore)`` are skipped."""
    check_zip(name, content, what="XLSX workbook")
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise _unreadable(name, exc) from None
    tables: list[Table] = []
    try:
        for sheet in book.worksheets:
            where = f"{name} sheet {sheet.title}"
            if "(ignore)" in sheet.title.lower():
                notes.append(Problem("skipped: its name contains (ignore)", position=where))
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rows = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), 1)]
            tables += _sections(where, rows)
    except Exception as exc:  # raised while a sheet's XML is read
        raise _unreadable(name, exc) from None
    finally:
        book.close()
    return tables


def _unreadable(name: str, exc: BaseException) -> UnreadableFile:
    """Why a workbook cannot be read: XML entities (refused on purpose), or damage."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return refuse(
                "refused: the workbook's XML declares entities or refers to outside "
                'files, which can exhaust memory ("billion laughs") or read files '
                "it should not; a real spreadsheet does not. Save it again from your "
                "spreadsheet program",
                position=name,
            )
        cause = cause.__cause__ or cause.__context__
    return refuse(
        f"this XLSX workbook cannot be read ({exc.__class__.__name__}: "
        f"{str(exc).splitlines()[0] if str(exc) else ''}); open it in your "
        "spreadsheet program, save it as .xlsx and retry",
        position=name,
    )


def read_csv(name: str, content: bytes) -> list[Table]:
    return _sections(name, csv_rows(name, content))


def looks_kumu_json(data: Any) -> bool:
    return isinstance(data, dict) and ("elements" in data or "connections" in data)


def read_json(name: str, data: dict[str, Any], notes: list[Problem]) -> list[Table]:
    """A blueprint (``elements``/``connections`` with label, type …) or a full project
    export (``_id`` and an ``attributes`` object per item) as tables."""
    out = []
    for what in ("elements", "connections"):
        items = data.get(what) or []
        if not isinstance(items, list):
            raise refuse(f'"{what}" must be a list', position=name, field=what)
        header: list[str] = []
        records: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise refuse("each item must be a JSON object", position=f"{name} {what}[{i}]")
            record = _flat_item(item, what)
            for key in record:
                if key not in header:
                    header.append(key)
            records.append(record)
        table = Table(f"{name} {what}", header, unit="item")
        table.rows = [(i, [r.get(h) for h in header]) for i, r in enumerate(records)]
        if table.rows:
            out.append(table)
    if data.get("loops"):
        notes.append(
            Problem(
                "Kumu loops are not imported (they have no counterpart here)",
                position=f"{name} loops",
            )
        )
    return out


def _flat_item(item: dict[str, Any], what: str) -> dict[str, Any]:
    if isinstance(item.get("attributes"), dict):  # a project export
        record = dict(item["attributes"])
        type_key = "element type" if what == "elements" else "connection type"
        if type_key in record:
            record["type"] = record.pop(type_key)
        if "_id" in item:
            record["id"] = item["_id"]
        for key in ("from", "to", "direction"):
            if key in item:
                record[key] = item[key]
        return record
    return {k: v for k, v in item.items() if k not in ("_id", "delayed", "reversed")}


# ------------------------------------------------------------------------ records


def _take(record: dict[str, Any], name: str) -> tuple[str | None, Any]:
    """Pop a column by its canonical name; return (column as written, value)."""
    for key in list(record):
        if canon(key) == name:
            return key, record.pop(key)
    return None, None


def from_tables(tables: list[Table], resolver: Resolver, index: NodeIndex) -> Batch:
    batch = Batch()
    elements: list[Table] = []
    connections: list[Table] = []
    for t in tables:
        kind = table_kind(t.header)
        if kind is None:
            batch.notes.append(
                Problem(
                    "skipped: its first row names neither Label (an elements sheet) nor From and "
                    "To (a connections sheet)",
                    position=t.where,
                )
            )
        else:
            (elements if kind == "elements" else connections).append(t)
    if not elements and not connections:
        batch.problems.append(
            Problem(
                "nothing to import: Kumu's layout needs an elements sheet whose first row has "
                "Label, or a connections sheet whose first row has From and To",
                position=", ".join(t.where for t in tables) or None,
            )
        )
        return batch

    # elements: one per ID, or per label and type, the later row filling in the earlier
    uses_ids = any(canon(h) == "id" for t in elements for h in t.header)
    merged: dict[Any, dict[str, Any]] = {}
    refused: set[str] = set()
    for t in elements:
        for at, record in t.records():
            _, foreign_id = _take(record, "id")
            label_col, label = _take(record, "label")
            type_col, foreign_type = _take(record, "type")
            foreign_id, label = cell_text(foreign_id), cell_text(label)
            foreign_type = cell_text(foreign_type)
            if not label and not foreign_id and is_blank(record.values()):
                continue
            position = f"{t.where} {t.unit} {at}"
            if not label:
                batch.problems.append(
                    Problem(
                        "the Label cell is empty",
                        field="label",
                        record=foreign_id or None,
                        position=f"{position}, column {label_col or 'Label'}",
                    )
                )
                continue
            kind = resolver.node_kind(foreign_type, t.where, at, t.unit, column=type_col)
            if kind is None:  # reported once per type by the resolver
                refused.update(x for x in (foreign_id, label.casefold()) if x)
                continue
            key = (
                foreign_id
                if (uses_ids and foreign_id)
                else (label.casefold(), foreign_type.casefold())
            )
            entry = merged.setdefault(key, {"fields": {}, "columns": {}})
            entry.update(
                id=foreign_id or None, label=label, kind=kind, position=position, type_col=type_col
            )
            entry["fields"].update(record)

    taken = {e["id"] for e in merged.values() if e["id"]}
    by_id: dict[str, str] = {}
    by_label: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for entry in merged.values():
        kind, label = entry["kind"], entry["label"]
        node_id = entry["id"] or index.match(kind, label) or index.new_id(label, taken)
        props, attrs, extra, columns = split_fields(kind, entry["fields"])
        if entry["type_col"]:
            columns["kind"] = entry["type_col"]
        batch.add_node(
            {
                "id": node_id,
                "kind": kind,
                "label": label,
                "properties": props,
                "attributes": attrs,
                **extra,
            },
            entry["position"],
            columns,
        )
        by_id[node_id] = node_id
        by_label.setdefault(label.casefold(), []).append(node_id)
        kinds[node_id] = kind

    # connections: From and To name elements by ID, else by label
    pending: list[tuple[Table, int, str, dict[str, Any], list[tuple[str, str]]]] = []
    for t in connections:
        for at, record in t.records():
            _, foreign_id = _take(record, "id")
            from_col, source = _take(record, "from")
            to_col, target = _take(record, "to")
            position = f"{t.where} {t.unit} {at}"
            sources = split_multi(unescape_cell(jsonable(source)))
            targets = split_multi(unescape_cell(jsonable(target)))
            if not sources and not targets and is_blank(record.values()):
                continue
            ends: list[tuple[str, str]] = []
            for col, refs, default in ((from_col, sources, "From"), (to_col, targets, "To")):
                if not refs:
                    batch.problems.append(
                        Problem(
                            f"the {default} cell is empty",
                            field=default.lower(),
                            position=f"{position}, column {col or default}",
                        )
                    )
            for s in sources:
                for tg in targets:
                    ends.append((s, tg))
            if ends:
                pending.append((t, at, cell_text(foreign_id), record, ends))

    def resolve(ref: str, position: str, column: str) -> str | None:
        if ref in by_id:
            return ref
        if (ref in refused or ref.casefold() in refused) and not by_label.get(ref.casefold()):
            return None  # its element was refused; that problem is reported already
        found = by_label.get(ref.casefold(), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            batch.problems.append(
                Problem(
                    f"{len(found)} elements are labelled {ref!r} ({', '.join(found)}); give the "
                    "elements an ID column and use the IDs in From and To",
                    field=column.lower(),
                    record=ref,
                    position=f"{position}, column {column}",
                )
            )
            return None
        if index.kinds([ref]):
            return ref
        stored = index.by_label(ref)
        if len(stored) == 1:
            return stored[0]
        default = resolver.mapping.default_node_kind
        if default:
            node_id = index.new_id(ref, taken)
            batch.add_node({"id": node_id, "kind": default, "label": ref}, position)
            batch.notes.append(
                Problem(
                    f"{ref!r} is in no elements sheet; it was added as a "
                    f"{default} (default_node_kind)",
                    record=ref,
                    position=f"{position}, column {column}",
                )
            )
            by_id[node_id] = node_id
            by_label.setdefault(ref.casefold(), []).append(node_id)
            kinds[node_id] = default
            return node_id
        batch.problems.append(
            Problem(
                f"no element {ref!r} in the elements sheet or in the workspace; add it to the "
                "elements sheet, or set default_node_kind in the mapping file to create it",
                field=column.lower(),
                record=ref,
                position=f"{position}, column {column}",
            )
        )
        return None

    stored_kinds: dict[str, str] = {}
    for t, at, foreign_id, record, ends in pending:
        position = f"{t.where} {t.unit} {at}"
        type_col, foreign_type = _take(record, "type")
        foreign_type = cell_text(foreign_type)
        _, direction = _take(record, "direction")
        direction = cell_text(direction)
        for n, (s, tg) in enumerate(ends, 1):
            source = resolve(s, position, "From")
            target = resolve(tg, position, "To")
            if source is None or target is None:  # still report a type that maps to nothing
                resolver.edge_kind(foreign_type, None, None, t.where, at, t.unit, type_col)
                continue
            for x in (source, target):
                if x not in kinds and x not in stored_kinds:
                    stored_kinds |= index.kinds([x])
            kind, relation = resolver.edge_kind(
                foreign_type,
                kinds.get(source) or stored_kinds.get(source),
                kinds.get(target) or stored_kinds.get(target),
                t.where,
                at,
                t.unit,
                column=type_col,
            )
            if kind is None:
                continue
            fields = dict(record)
            related = relation_of(foreign_type, relation, fields) if relation is not None else None
            props, attrs, extra, columns = split_fields(None if relation else kind, fields)
            props = related or props
            if direction and direction.lower() != "directed":
                attrs["direction"] = direction
            edge = {
                "kind": kind,
                "source": source,
                "target": target,
                "properties": props,
                "attributes": attrs,
                **extra,
            }
            if foreign_id:
                edge["id"] = foreign_id if len(ends) == 1 else f"{foreign_id}-{n}"
            if type_col:
                columns["kind"] = type_col
            batch.add_edge(edge, position, columns)
    return batch


# ------------------------------------------------------------------------ export


def _type_of_node(kind: str) -> str:
    return vocab.NODE_KINDS[kind].title


def _type_of_edge(kind: str) -> str:
    return kind.replace("_", " ")


def _element_rows(
    repo: Repository, workspace: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    elements = [
        {"ID": n.id, "Label": n.label, "Type": _type_of_node(n.kind)}
        | _fields(n, vocab.NODE_KINDS[n.kind])
        for n in repo.query_nodes(workspace)
    ]
    connections = []
    for e in repo.query_edges(workspace):
        row = {
            "ID": e.id,
            "From": e.source,
            "To": e.target,
            "Type": _type_of_edge(e.kind),
            "Direction": e.attributes.get("direction") or "directed",
        }
        connections.append(row | _fields(e, vocab.EDGE_KINDS[e.kind], skip="direction"))
    return elements, connections


def _fields(
    record: NodeOut | EdgeOut, spec: vocab.NodeKind | vocab.EdgeKind, skip: str | None = None
) -> dict[str, Any]:
    """Description, Tags, the other properties and attributes, and the validity period."""
    flat = flatten(record, set(spec.properties.model_fields))
    if skip:
        flat.pop(skip, None)
    row = {"Description": flat.pop("description")} if "description" in flat else {}
    row["Tags"] = list(record.tags)
    row |= flat
    return row | validity(record)


def export_blueprint(repo: Repository, workspace: str) -> dict[str, Any]:
    """A Kumu blueprint: ``elements`` and ``connections`` with id, label, type and fields."""
    elements, connections = _element_rows(repo, workspace)

    def lower(row: dict[str, Any]) -> dict[str, Any]:
        return {
            (k.lower() if k in ("ID", "Label", "Type", "Tags", "From", "To", "Direction") else k): v
            for k, v in row.items()
        }

    return {
        "elements": [lower(r) for r in elements],
        "connections": [lower(r) for r in connections],
    }


def _header(rows: list[dict[str, Any]], first: list[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for row in rows:
        for key in row:
            seen.setdefault(key)
    tail = [k for k in seen if k in ("valid_from", "valid_to")]
    return [k for k in seen if k not in tail] + tail


def _sheet_rows(rows: list[dict[str, Any]], header: list[str]) -> Iterator[list[Any]]:
    for row in rows:
        out = []
        for h in header:
            v = row.get(h)
            if isinstance(v, list):
                v = "|".join(v)
            out.append(escape_cell(v))
        yield out


ELEMENT_FIRST = ["ID", "Label", "Type", "Description", "Tags"]
CONNECTION_FIRST = ["ID", "From", "To", "Type", "Direction", "Description", "Tags"]


def export_xlsx(repo: Repository, workspace: str) -> bytes:
    """An XLSX workbook with an Elements and a Connections sheet; cells that a spreadsheet
    would run as formulas are escaped."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    elements, connections = _element_rows(repo, workspace)
    book = openpyxl.Workbook(write_only=True)
    for title, rows, first in (
        ("Elements", elements, ELEMENT_FIRST),
        ("Connections", connections, CONNECTION_FIRST),
    ):
        sheet = book.create_sheet(title)
        header = _header(rows, first)
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", escape_cell(h)) for h in header])
        for cells in _sheet_rows(rows, header):
            sheet.append(
                [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_csv_zip(repo: Repository, workspace: str) -> bytes:
    """Kumu's two CSV files, ``elements.csv`` and ``connections.csv``, in one zip."""
    elements, connections = _element_rows(repo, workspace)
    files = {}
    for name, rows, first in (
        ("elements.csv", elements, ELEMENT_FIRST),
        ("connections.csv", connections, CONNECTION_FIRST),
    ):
        header = _header(rows, first)
        files[name] = write_csv(header, _sheet_rows(rows, header))
    return zip_files(files)


# ------------------------------------------------------------------------ the record


def _sniff(sample: Sample) -> Match:
    if sample.container == "xlsx":
        return Match.CONTENT
    if sample.container == "json" and looks_kumu_json(sample.document):
        return Match.CONTENT
    if sample.container == "text" and table_kind(sample.header):
        return Match.CONTENT
    return Match.NO


def _read_files(files: list[tuple[str, bytes]], reading: Reading) -> Batch:
    batch = Batch()
    tables: list[Table] = []
    for name, content in files:
        if content.startswith(b"PK"):
            tables += read_xlsx(name, content, batch.notes)
        elif content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            tables += read_json(name, reading.docs.get(name, content), batch.notes)
        else:
            tables += read_csv(name, content)
    batch.extend(from_tables(tables, reading.resolver, reading.index))
    return batch


FORMAT = Format(
    name="kumu",
    title="Kumu",
    description="Kumu: a blueprint or project export (JSON), a workbook (XLSX), or its "
    "elements and connections CSV sheets",
    shapes={
        "json": "a Kumu blueprint (elements, connections)",
        "xlsx": "a Kumu workbook (Elements and Connections sheets)",
        "text": "a Kumu sheet (Label; or From and To)",
    },
    suffixes=(".json", ".xlsx", ".csv"),
    sniff=_sniff,
    read=_read_files,
    exports=(
        Export(
            "kumu",
            "application/json",
            ".kumu.json",
            "Kumu blueprint JSON (elements, connections)",
            lambda repo, workspace: dumps(export_blueprint(repo, workspace)),
        ),
        Export(
            "kumu-xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".kumu.xlsx",
            "Kumu spreadsheet: Elements and Connections sheets",
            export_xlsx,
        ),
        Export(
            "kumu-csv",
            "application/zip",
            ".kumu-csv.zip",
            "Kumu's two CSV files, elements.csv and connections.csv, in a zip",
            export_csv_zip,
        ),
    ),
)
