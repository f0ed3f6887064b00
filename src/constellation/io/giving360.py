"""360Giving grants: the standard's JSON package and its flat form (CSV or XLSX), in; the
JSON, out.

Funding organisations and recipient organisations become ``organization`` nodes (their
360Giving identifiers, such as ``GB-CHC-1234567``, are their ids, so every file that
names the same organisation finds the same node); each grant becomes a ``funds`` edge
from funder to recipient, with its identifier as id, ``amount`` (Amount Awarded),
``currency``, ``title``, ``purpose`` (Description), ``period_start``/``period_end``
(Planned Dates) and ``funding_type: grant``; the edge is valid over the planned dates
(from the award date when there are none). An organization named several ways under one
identifier is one node, labelled as first named, the other spellings its aliases. Dates
may be ISO or day first as British publishers write them (``05/06/2014`` is 5 June; see
`constellation.io.dates`); award and planned dates are stored as ISO. Other grant and
organisation fields are kept in attributes under their 360Giving names (beneficiary
locations among them). Grants to individuals have no organisation to fund and are left
out, with a note.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from constellation.errors import Problem
from constellation.io.batching import Batch
from constellation.io.cells import cell_text, dumps, jsonable
from constellation.io.csv_files import csv_rows, is_blank
from constellation.io.dates import DayReader
from constellation.io.errors import refuse
from constellation.io.formats import Export, Format, Match, Reading, Sample

if TYPE_CHECKING:
    from constellation.records import NodeOut
    from constellation.store.repository import Repository

__all__ = [
    "FORMAT",
    "read_json",
    "read_csv",
    "read_xlsx",
    "looks_360_json",
    "looks_360_csv",
    "export_document",
]

ORG_TITLES = {
    "Identifier": "id",
    "Name": "name",
    "Department": "department",
    "Contact Name": "contactName",
    "Charity Number": "charityNumber",
    "Company Number": "companyNumber",
    "Street Address": "streetAddress",
    "City": "addressLocality",
    "County": "addressRegion",
    "Country": "addressCountry",
    "Postal Code": "postalCode",
    "Phone Number": "telephone",
    "Alternate Name": "alternateName",
    "Email": "email",
    "Description": "description",
    "Organisation Type": "organisationType",
    "Web Address": "url",
    "Last Modified": "dateModified",
}
EVENT_TITLES = {
    "Title": "title",
    "Start Date": "startDate",
    "End Date": "endDate",
    "Duration (months)": "duration",
    "Description": "description",
    "Last Modified": "dateModified",
}
GRANT_TITLES = {
    "Identifier": "id",
    "Title": "title",
    "Description": "description",
    "Currency": "currency",
    "Amount Applied For": "amountAppliedFor",
    "Amount Awarded": "amountAwarded",
    "Amount Disbursed": "amountDisbursed",
    "Award Date": "awardDate",
    "URL": "url",
    "From An Open Call?": "fromOpenCall",
    "Related Activity": "relatedActivity",
    "Last Modified": "dateModified",
    "Data Source": "dataSource",
    "For Regrant Type": "regrantType",
    "Location Scope": "locationScope",
}
NESTED = {
    "Recipient Org": ("recipientOrganization", ORG_TITLES),
    "Funding Org": ("fundingOrganization", ORG_TITLES),
    "Planned Dates": ("plannedDates", EVENT_TITLES),
    "Actual Dates": ("actualDates", EVENT_TITLES),
    "Grant Programme": (
        "grantProgramme",
        {"Code": "code", "Title": "title", "URL": "url", "Description": "description"},
    ),
    "Beneficiary Location": (
        "beneficiaryLocation",
        {"Name": "name", "Country Code": "countryCode"},
    ),
}

NAMES = "\x00names"
"""Where the reader gathers the spellings of one organization's name (not an attribute)."""

DATE_COLUMNS = {
    "json": {
        "awardDate": "awardDate",
        "startDate": "plannedDates[0].startDate",
        "endDate": "plannedDates[0].endDate",
    },
    "csv": {
        "awardDate": "Award Date",
        "startDate": "Planned Dates:Start Date",
        "endDate": "Planned Dates:End Date",
    },
}
"""Where each date the reader parses comes from, to name it in a problem."""

JSON_COLUMNS = {
    "id": "id",
    "properties.amount": "amountAwarded",
    "properties.currency": "currency",
    "properties.title": "title",
    "properties.purpose": "description",
    "properties.period_start": "plannedDates.startDate",
    "properties.period_end": "plannedDates.endDate",
    "valid_from": "plannedDates.startDate",
    "valid_to": "plannedDates.endDate",
    "source": "fundingOrganization.id",
    "target": "recipientOrganization.id",
}
CSV_COLUMNS = {
    "id": "Identifier",
    "properties.amount": "Amount Awarded",
    "properties.currency": "Currency",
    "properties.title": "Title",
    "properties.purpose": "Description",
    "properties.period_start": "Planned Dates:Start Date",
    "properties.period_end": "Planned Dates:End Date",
    "valid_from": "Planned Dates:Start Date",
    "valid_to": "Planned Dates:End Date",
    "source": "Funding Org:Identifier",
    "target": "Recipient Org:Identifier",
}


def looks_360_json(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("grants"), list)


def looks_360_csv(header: list[str]) -> bool:
    names = set(header)
    return "Identifier" in names and bool(
        names & {"Amount Awarded", "Funding Org:Identifier", "Recipient Org:Identifier"}
    )


def read_json(name: str, data: dict[str, Any]) -> Batch:
    grants = data["grants"]
    batch = Batch()
    orgs: dict[str, tuple[dict[str, Any], str]] = {}
    days = DayReader()
    for i, grant in enumerate(grants):
        position = f"{name} grants[{i}]"
        if not isinstance(grant, dict):
            batch.problems.append(Problem("a grant must be a JSON object", position=position))
            continue
        _grant(batch, orgs, grant, position, JSON_COLUMNS, days, "json")
    batch.problems += days.problems
    _add_orgs(batch, orgs)
    return batch


def read_csv(name: str, content: bytes) -> Batch:
    rows = [(at, cells) for at, cells in csv_rows(name, content) if not is_blank(cells)]
    if not rows:
        raise refuse("the file is empty", position=name)
    header = [cell_text(h) for h in rows[0][1]]
    return _read_rows(name, header, rows[1:])


def read_xlsx(name: str, content: bytes) -> Batch:
    """The sheets of a workbook whose header is 360Giving's flat form (other sheets, such as
    a publisher's notes, are skipped with a note)."""
    from constellation.io.kumu import read_xlsx as workbook_tables

    batch = Batch()
    found = False
    for table in workbook_tables(name, content, batch.notes):
        if looks_360_csv(table.header):
            found = True
            batch.extend(_read_rows(table.where, table.header, table.rows))
        else:
            batch.notes.append(
                Problem("skipped: its header is not 360Giving's flat form", position=table.where)
            )
    if not found:
        raise refuse(
            "no sheet of this workbook has 360Giving's columns (Identifier, Amount Awarded, "
            "Funding Org:Identifier, Recipient Org:Identifier …)",
            position=name,
        )
    return batch


def _text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _read_rows(where: str, header: list[str], rows: list[tuple[int, list[Any]]]) -> Batch:
    batch = Batch()
    orgs: dict[str, tuple[dict[str, Any], str]] = {}
    days = DayReader()
    for at, cells in rows:
        if is_blank(cells):
            continue
        grant: dict[str, Any] = {}
        for title, value in zip(header, cells, strict=False):
            if not title or value is None or not str(value).strip():
                continue
            prefix, sep, rest = title.partition(":")
            if sep and prefix in NESTED:
                key, titles = NESTED[prefix]
                item = grant.setdefault(key, [{}])[0]
                item[titles.get(rest, rest)] = _text(value)
            else:
                grant[GRANT_TITLES.get(title, title)] = _text(value)
        _grant(batch, orgs, grant, f"{where} row {at}", CSV_COLUMNS, days, "csv")
    batch.problems += days.problems
    _add_orgs(batch, orgs)
    return batch


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return value if isinstance(value, dict) else {}


def _grant(
    batch: Batch,
    orgs: dict[str, tuple[dict[str, Any], str]],
    grant: dict[str, Any],
    position: str,
    columns: dict[str, str],
    days: DayReader,
    shape: str,
) -> None:
    grant = {k: jsonable(v) for k, v in grant.items()}
    funder = _first(grant.pop("fundingOrganization", None))
    recipient = _first(grant.pop("recipientOrganization", None))
    individual = grant.pop("recipientIndividual", None)
    grant_id = cell_text(grant.pop("id", None))
    if not grant_id:
        batch.problems.append(
            Problem(
                "the grant has no identifier",
                field="id",
                position=f"{position}, column {columns['id']}",
            )
        )
        return
    if not recipient and individual:
        batch.notes.append(
            Problem(
                "a grant to an individual was left out: only "
                "organisations and constellations can be funded here",
                record=grant_id,
                position=position,
            )
        )
        return
    ok = True
    for role, org, column in (
        ("funding", funder, columns["source"]),
        ("recipient", recipient, columns["target"]),
    ):
        if not cell_text(org.get("id")):
            batch.problems.append(
                Problem(
                    f"the grant names no {role} organisation identifier",
                    field=column,
                    record=grant_id,
                    position=f"{position}, column {column}",
                )
            )
            ok = False
    if not ok:
        return
    for org in (funder, recipient):
        org_id = cell_text(org["id"])
        known = orgs.get(org_id, ({}, position))[0]
        names = list(known.get(NAMES, []))
        name = cell_text(org.get("name"))
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)  # one identifier, several spellings: one node, the rest aliases
        orgs[org_id] = (
            known | {k: v for k, v in org.items() if v not in (None, "")} | {NAMES: names},
            orgs.get(org_id, (None, position))[1],
        )
    planned = _first(grant.pop("plannedDates", None))

    def day(value: Any, key: str) -> str | None:
        column = DATE_COLUMNS[shape][key]
        sep = "." if shape == "json" else ", column "
        return days.read(value, position=f"{position}{sep}{column}", field=column, record=grant_id)

    award = day(grant.get("awardDate"), "awardDate")
    if award:
        grant["awardDate"] = award
    start, end = day(planned.get("startDate"), "startDate"), day(planned.get("endDate"), "endDate")
    props = {
        "amount": grant.pop("amountAwarded", None),
        "currency": grant.pop("currency", None),
        "title": grant.pop("title", None),
        "purpose": grant.pop("description", None),
        "period_start": start,
        "period_end": end,
        "funding_type": "grant",
    }
    attrs = {k: v for k, v in grant.items() if v not in (None, "", [], {})}
    if planned.get("duration") not in (None, ""):
        attrs["plannedDuration"] = planned["duration"]
    edge: dict[str, Any] = {
        "id": grant_id,
        "kind": "funds",
        "source": cell_text(funder["id"]),
        "target": cell_text(recipient["id"]),
        "properties": {k: v for k, v in props.items() if v not in (None, "")},
        "attributes": attrs,
        "tags": ["360giving"],
    }
    since = start or award
    if since:
        edge["valid_from"] = since
    if end and since and end >= since:
        edge["valid_to"] = end
    batch.add_edge(
        edge, position, {k: v for k, v in columns.items() if k not in ("source", "target")}
    )


def _add_orgs(batch: Batch, orgs: dict[str, tuple[dict[str, Any], str]]) -> None:
    for org_id, (org, position) in orgs.items():
        props = {}
        if org.get("description"):
            props["description"] = org["description"]
        if org.get("url"):
            props["website"] = org["url"]
        names = org.get(NAMES, [])
        attrs = {
            k: v for k, v in org.items() if k not in ("id", "name", "description", "url", NAMES)
        }
        if len(names) > 1:
            attrs["aliases"] = names[1:]
        batch.add_node(
            {
                "id": org_id,
                "kind": "organization",
                "label": names[0] if names else org_id,
                "properties": props,
                "attributes": attrs,
            },
            position,
        )


def export_document(repo: Repository, workspace: str) -> dict[str, Any]:
    """The workspace's ``funds`` edges as a 360Giving package (``grants``)."""
    nodes = {n.id: n for n in repo.query_nodes(workspace)}
    grants = []
    for e in repo.query_edges(workspace, kind="funds"):
        p, a = e.properties, e.attributes
        source, target = nodes.get(e.source), nodes.get(e.target)
        grant: dict[str, Any] = {
            "id": e.id,
            "title": p.get("title")
            or f"{source.label if source else e.source} funds "
            f"{target.label if target else e.target}",
            "description": p.get("purpose") or p.get("title") or "",
            "currency": p.get("currency"),
            "amountAwarded": p.get("amount"),
            "awardDate": a.get("awardDate")
            or (e.valid_from.isoformat() if e.valid_from else p.get("period_start")),
            "fundingOrganization": [_org(source, e.source)],
            "recipientOrganization": [_org(target, e.target)],
        }
        if p.get("period_start") or p.get("period_end"):
            grant["plannedDates"] = [
                {
                    k: v
                    for k, v in (
                        ("startDate", p.get("period_start")),
                        ("endDate", p.get("period_end")),
                    )
                    if v
                }
            ]
        grants.append({k: v for k, v in grant.items() if v is not None})
    return {"grants": grants}


def _org(node: NodeOut | None, fallback: str) -> dict[str, Any]:
    if node is None:
        return {"id": fallback, "name": fallback}
    org = {"id": node.id, "name": node.label}
    for key in ("charityNumber", "companyNumber", "postalCode", "addressCountry"):
        if key in node.attributes:
            org[key] = node.attributes[key]
    if node.properties.get("website"):
        org["url"] = node.properties["website"]
    return org


# ------------------------------------------------------------------------ the record


def _sniff(sample: Sample) -> Match:
    if sample.container == "json" and looks_360_json(sample.document):
        return Match.CONTENT
    if sample.container == "text" and looks_360_csv(sample.header):
        return Match.CONTENT
    if sample.container == "xlsx" and any(looks_360_csv(h) for h in _sheet_headers(sample)):
        return Match.CONTENT
    return Match.NO


def _sheet_headers(sample: Sample) -> list[list[str]]:
    """The first row of each sheet, read without loading the workbook; nothing for a
    workbook that cannot be read (the format that reads it says why)."""
    import warnings

    import openpyxl

    from constellation.io.parsing import check_zip

    try:
        check_zip(sample.name, sample.content, what="XLSX workbook")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(sample.content), read_only=True)
            try:
                return [
                    [cell_text(v) for v in row]
                    for sheet in book.worksheets
                    for row in sheet.iter_rows(max_row=1, values_only=True)
                ]
            finally:
                book.close()
    except Exception:  # damaged, hostile or not a workbook: not ours to explain
        return []


def _read_files(files: list[tuple[str, bytes]], reading: Reading) -> Batch:
    batch = Batch()
    for name, content in files:
        if content.startswith(b"PK"):
            batch.extend(read_xlsx(name, content))
        elif content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
            data = reading.docs.get(name, content)
            if not looks_360_json(data):
                raise refuse('360Giving JSON is an object with a "grants" list', position=name)
            batch.extend(read_json(name, data))
        else:
            batch.extend(read_csv(name, content))
    return batch


FORMAT = Format(
    name="360giving",
    title="360Giving",
    description="360Giving grants (the JSON package, or the flat form as CSV or XLSX) as "
    "funds ties",
    shapes={
        "json": "360Giving grants (grants)",
        "xlsx": "a 360Giving workbook (a sheet with Identifier, Amount Awarded …)",
        "text": "360Giving grants (Identifier, Amount Awarded …)",
    },
    suffixes=(".json", ".csv", ".xlsx"),
    sniff=_sniff,
    read=_read_files,
    exports=(
        Export(
            "360giving",
            "application/json",
            ".360giving.json",
            "the funds edges as 360Giving grants",
            lambda repo, workspace: dumps(export_document(repo, workspace)),
        ),
    ),
)
