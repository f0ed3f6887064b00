"""The command line: one command per job, each a thin layer over the library."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from constellation import vocabulary as vocab
from constellation.config import get_settings
from constellation.demo import DEMOS, load_demo
from constellation.errors import ConstellationError, InvalidRecords
from constellation.store import Repository, Store
from constellation.store.engine import current_revision, downgrade, head_revision, upgrade
from constellation.viz.measures import SIZE_MEASURES


def _io_export_formats() -> list[str]:
    from constellation.io import EXPORT_FORMATS

    return list(EXPORT_FORMATS)


app = typer.Typer(
    name="constellation",
    help="Map, store and audit collective-impact partnerships: who signs, who convenes what, "
    "which constellations advance which goals.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $CONSTELLATION_DATABASE_URL or "
                 "sqlite:///constellation.db).", show_default=False),
]
WorkspaceOption = Annotated[
    str | None,
    typer.Option("--workspace", "-w", help="Workspace id; optional when the database holds one.",
                 show_default=False),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]
AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Only what was valid on this date "
                 "(YYYY-MM-DD).", show_default=False),
]
PropOption = Annotated[list[str] | None, typer.Option(
    help="key=value property filter; repeat for several.", show_default=False)]
LimitOption = Annotated[int | None, typer.Option(min=1, show_default=False)]


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {message}", highlight=False)
    return typer.Exit(code)


@contextmanager
def _repository(db: str | None, actor: str | None = "cli") -> Iterator[Repository]:
    """Open the store and a transaction; turn library errors into clear messages."""
    try:
        store = Store(db or get_settings().database_url)
    except Exception as exc:  # a bad URL or an unreachable server
        raise _fail(f"cannot open the database {db or get_settings().database_url!r}: "
                    f"{exc}") from None
    try:
        with store.repository(actor=actor) as repo:
            yield repo
    except InvalidRecords as exc:
        raise _fail(str(exc)) from None
    except ConstellationError as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()


def resolve_workspace(repo: Repository, workspace: str | None) -> str:
    """The workspace named, or the only one there is."""
    if workspace:
        repo.get_workspace(workspace)
        return workspace
    slugs = [w.slug for w in repo.list_workspaces()]
    if len(slugs) == 1:
        return slugs[0]
    if not slugs:
        raise _fail("the database has no workspace yet; run `constellation demo` or import one")
    raise _fail("the database holds several workspaces; pick one with --workspace: "
                + ", ".join(slugs))


def _parse_props(pairs: list[str] | None) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise _fail(f"--prop takes key=value, not {pair!r}")
        try:
            props[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            props[key.strip()] = value
    return props


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _short(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(title: str, *columns: str) -> Table:
    """A titled listing whose long cells wrap instead of being cut off."""
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    return table


# ---------------------------------------------------------------------------- demo


@app.command()
def demo(
    db: DbOption = None,
    reset: Annotated[bool, typer.Option(help="Delete the demo workspaces first.")] = False,
) -> None:
    """Create or refresh the demo networks and show what they hold.

    Loads the L.A. Compact (seed 001) and Achieve Escambia (seed 002) through the same bulk
    path imports use. Running it again brings them up to date without duplicating anything.
    """
    url = db or get_settings().database_url
    with _repository(url, actor="demo") as repo:
        existing = {w.slug for w in repo.list_workspaces()}
        reports = {}
        for name in DEMOS:
            if reset and name in existing:
                repo.delete_workspace(name)
            reports[name] = load_demo(repo, name)
        table = Table(title=f"Demo networks in {url}", title_justify="left")
        table.add_column("workspace", style="bold")
        table.add_column("nodes", justify="right")
        table.add_column("edges", justify="right")
        table.add_column("by kind")
        table.add_column("this run")
        for name in DEMOS:
            ws = repo.get_workspace(name)
            counts = repo.kind_counts(name)
            kinds = ", ".join(f"{n} {k}" for k, n in sorted(counts["nodes"].items()))
            c = reports[name].counts()
            run = (f"{c['nodes']['created'] + c['edges']['created']} created, "
                   f"{c['nodes']['updated'] + c['edges']['updated']} updated, "
                   f"{c['nodes']['unchanged'] + c['edges']['unchanged']} unchanged")
            table.add_row(f"{name}\n[dim]{ws.name}[/]", str(ws.nodes), str(ws.edges), kinds, run)
        out.print(table)
    db_flag = f" --db {db}" if db else ""
    out.print("\nLook at it:")
    for line in (f"constellation audit --workspace achieve-escambia{db_flag}",
                 f"constellation nodes --workspace la-compact --kind constellation{db_flag}",
                 f"constellation edges --workspace la-compact --kind convenes{db_flag}",
                 f"constellation map --workspace la-compact --out map.html{db_flag}",
                 f"constellation serve --demo{db_flag}   (then open http://localhost:8000/)"):
        out.print(f"  [cyan]{line}[/]", highlight=False)


# ---------------------------------------------------------------------------- db


@db_app.command("upgrade")
def db_upgrade(
    db: DbOption = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Bring the schema up to date (runs the Alembic migrations)."""
    store = Store(db or get_settings().database_url, auto_upgrade=False)
    before = current_revision(store.engine)
    upgrade(store.engine, revision)
    after = current_revision(store.engine)
    store.close()
    out.print(f"schema at {after}" + ("" if before == after else f" (was {before or 'empty'})"))


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision ('base' removes all).")],
    db: DbOption = None,
) -> None:
    """Step the schema back to an earlier revision."""
    store = Store(db or get_settings().database_url, auto_upgrade=False)
    downgrade(store.engine, revision)
    out.print(f"schema at {current_revision(store.engine) or 'base (empty)'}")
    store.close()


@db_app.command("current")
def db_current(db: DbOption = None) -> None:
    """Show the schema revision of the database and the newest one this version knows."""
    store = Store(db or get_settings().database_url, auto_upgrade=False)
    out.print(f"database: {current_revision(store.engine) or 'empty'}; newest: {head_revision()}")
    store.close()


# ---------------------------------------------------------------------------- listing


@app.command()
def workspaces(db: DbOption = None, format: FormatOption = Format.table) -> None:
    """List the workspaces (independent networks) in the database."""
    with _repository(db) as repo:
        rows = repo.list_workspaces()
    if format == Format.json:
        _print_json([w.model_dump(mode="json") for w in rows])
        return
    table = Table()
    for col in ("workspace", "name", "nodes", "edges", "public read", "revision"):
        table.add_column(col, justify="right" if col in ("nodes", "edges", "revision") else "left")
    for w in rows:
        table.add_row(w.slug, w.name, str(w.nodes), str(w.edges), "yes" if w.public_read else "no",
                      str(w.revision))
    out.print(table)


@app.command()
def nodes(
    workspace: WorkspaceOption = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: " + ", ".join(vocab.NODE_KINDS),
                                             show_default=False)] = None,
    as_of: AsOfOption = None,
    tag: Annotated[str | None, typer.Option(help="Only nodes with this tag.",
                                            show_default=False)] = None,
    search: Annotated[str | None, typer.Option(help="Text in the label (any case).",
                                               show_default=False)] = None,
    prop: PropOption = None,
    archived: Annotated[bool, typer.Option(help="Include archived nodes.")] = False,
    limit: LimitOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """List nodes, filtered by kind, date, tag, label text or property."""
    if kind and vocab.node_kind(kind) is None:
        raise _fail(f"unknown node kind {kind!r}; the kinds are: {', '.join(vocab.NODE_KINDS)}")
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        rows = repo.query_nodes(ws, kind=kind, tag=tag, text=search,
                                properties=_parse_props(prop),
                                as_of=as_of.date() if as_of else None, include_archived=archived,
                                limit=limit)
    if format == Format.json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    table = _table(f"{len(rows)} node(s) in {ws}", "id", "kind", "label", "properties", "tags")
    for r in rows:
        table.add_row(r.id, r.kind, r.label, _short(r.properties), ", ".join(r.tags))
    out.print(table)


@app.command()
def edges(
    workspace: WorkspaceOption = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: " + ", ".join(vocab.EDGE_KINDS),
                                             show_default=False)] = None,
    node: Annotated[str | None, typer.Option(help="Only edges touching this node id.",
                                             show_default=False)] = None,
    as_of: AsOfOption = None,
    tag: Annotated[str | None, typer.Option(show_default=False)] = None,
    prop: PropOption = None,
    archived: Annotated[bool, typer.Option(help="Include archived edges.")] = False,
    limit: LimitOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """List edges (roles and ties), filtered by kind, node, date, tag or property."""
    if kind and vocab.edge_kind(kind) is None:
        raise _fail(f"unknown edge kind {kind!r}; the kinds are: {', '.join(vocab.EDGE_KINDS)}")
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        rows = repo.query_edges(ws, kind=kind, node=node, tag=tag,
                                properties=_parse_props(prop),
                                as_of=as_of.date() if as_of else None, include_archived=archived,
                                limit=limit)
    if format == Format.json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    table = _table(f"{len(rows)} edge(s) in {ws}",
                   "source", "kind", "target", "properties", "valid")
    for r in rows:
        valid = f"{r.valid_from or '…'} – {r.valid_to or '…'}"
        table.add_row(r.source, r.kind, r.target, _short(r.properties),
                      "" if valid == "… – …" else valid)
    out.print(table)


@app.command()
def schema(format: FormatOption = Format.table) -> None:
    """Show the vocabulary: node kinds, edge kinds, their properties and endpoints."""
    from constellation.schema import vocabulary_document

    doc = vocabulary_document()
    if format == Format.json:
        _print_json(doc)
        return
    table = _table("Node kinds", "kind", "what it is", "properties")
    for k in doc["node_kinds"]:
        table.add_row(k["name"], k["description"], ", ".join(k["properties"]))
    out.print(table)
    table = _table("Edge kinds", "kind", "from → to", "properties")
    for k in doc["edge_kinds"]:
        table.add_row(k["name"], f"{' | '.join(k['sources'])} → {' | '.join(k['targets'])}",
                      ", ".join(k["properties"]))
    out.print(table)


# ---------------------------------------------------------------------------- audit

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


class AuditFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


CheckOption = Annotated[
    list[str] | None,
    typer.Option("--check", help="Run only this check (repeat for several).",
                 show_default=False),
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", help="Override a threshold, name=value (repeat); see "
                 "`constellation checks`.", show_default=False),
]


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _audit_params(pairs: list[str] | None):
    from constellation.analysis.params import resolve

    try:
        return resolve(_parse_props(pairs))
    except InvalidRecords as exc:
        raise _fail("bad --param: " + "; ".join(
            f"{p.field.removeprefix('params.')}: {p.message}" for p in exc.problems)) from None


def _check_ids(checks: list[str] | None) -> list[str] | None:
    from constellation.analysis.audit import CHECKS

    unknown = [c for c in checks or [] if c not in CHECKS]
    if unknown:
        raise _fail(f"unknown check {', '.join(unknown)}; the checks are: {', '.join(CHECKS)}")
    return checks or None


def _findings_table(findings, title: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("severity")
    table.add_column("check")
    table.add_column("finding", overflow="fold", ratio=3)
    table.add_column("next step", overflow="fold", ratio=2)
    for f in findings:
        sev = f.severity.value
        table.add_row(f"[{SEVERITY_STYLE[sev]}]{sev}[/]", f.check, f.message, f.suggestion)
    return table


@app.command()
def audit(
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    check: CheckOption = None,
    param: ParamOption = None,
    db: DbOption = None,
    format: Annotated[AuditFormat, typer.Option("--format", "-f",
                                                help="table, json or markdown.")] = AuditFormat.table,
) -> None:
    """Audit a workspace's structural health: gaps, overlaps, overload and risks.

    JSON output is exactly what the HTTP service's audit endpoint returns:
    {"workspace", "as_of", "summary", "findings"}.
    """
    from constellation.analysis.audit import audit_workspace
    from constellation.analysis.markdown import audit_markdown

    params, checks = _audit_params(param), _check_ids(check)
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = audit_workspace(repo, ws, _date(as_of), params, checks)
    if format == AuditFormat.json:
        _print_json(report.model_dump(mode="json"))
        return
    if format == AuditFormat.markdown:
        sys.stdout.write(audit_markdown(report) + "\n")
        return
    s = report.summary
    counts = ", ".join(f"[{SEVERITY_STYLE[k]}]{n} {k}[/]"
                       for k, n in s["counts"]["by_severity"].items() if n)
    out.print(f"[bold]{ws}[/] as of {report.as_of}: health [bold]{s['health']['score']}[/]/100, "
              f"{s['counts']['total']} finding(s)" + (f" ({counts})" if counts else ""))
    if report.findings:
        out.print(_findings_table(report.findings, "Findings, most severe first"))
    net = s.get("network", {})
    if net:
        brokers = ", ".join(b["label"] for b in net["brokers"]) or "none"
        approx = " (approximate)" if net["measures"].get("approximate") else ""
        out.print(f"Network: {net['nodes']} nodes, {net['edges']} edges, density "
                  f"{net['density']}, {net['components']} component(s), "
                  f"{net['communities']['count']} communities; brokers{approx}: {brokers}.",
                  highlight=False)


@app.command()
def checks() -> None:
    """List the checks and every threshold with its default."""
    from constellation.analysis.audit import CHECKS
    from constellation.analysis.params import AuditParams

    table = _table("Checks", "id", "title", "family", "what it is")
    for c in CHECKS.values():
        doc = (c.function.__doc__ or "").strip().split("\n")[0]
        table.add_row(c.id, c.title, c.family, doc)
    out.print(table)
    table = _table("Thresholds (--param name=value)", "name", "default", "meaning")
    for name, field in AuditParams.model_fields.items():
        table.add_row(name, str(field.default), field.description or "")
    out.print(table)


@app.command()
def diff(
    date_from: Annotated[dt.datetime, typer.Argument(formats=["%Y-%m-%d"], metavar="DATE1",
                                                     help="The earlier date (YYYY-MM-DD).")],
    date_to: Annotated[dt.datetime, typer.Argument(formats=["%Y-%m-%d"], metavar="DATE2",
                                                   help="The later date (YYYY-MM-DD).")],
    workspace: WorkspaceOption = None,
    check: CheckOption = None,
    param: ParamOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """What changed between two dates: records added and ended, findings appeared and resolved."""
    from constellation.analysis.timeline import diff_workspace

    params, checks_ = _audit_params(param), _check_ids(check)
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        result = diff_workspace(repo, ws, date_from.date(), date_to.date(), params, checks_)
    if format == Format.json:
        _print_json(_jsonable(result))
        return
    h = result["health"]
    out.print(f"[bold]{ws}[/] from {result['from']} to {result['to']}: health {h['from']} → "
              f"{h['to']}", highlight=False)
    for what in ("nodes", "edges"):
        for change in ("added", "ended"):
            rows = result[what][change]
            if rows:
                names = ", ".join(r.get("label") or f"{r['source']} {r['kind']} {r['target']}"
                                  for r in rows[:12])
                more = f" and {len(rows) - 12} more" if len(rows) > 12 else ""
                out.print(f"  {len(rows)} {what} {change}: {names}{more}", highlight=False)
    f = result["findings"]
    if f["appeared"]:
        out.print(_findings_table(f["appeared"], f"{len(f['appeared'])} finding(s) appeared"))
    if f["resolved"]:
        out.print(_findings_table(f["resolved"], f"{len(f['resolved'])} finding(s) resolved"))
    out.print(f"  {f['persisting']} finding(s) unchanged.")


def _jsonable(data: Any) -> Any:
    """Findings (pydantic) and dates inside plain dicts, as JSON-ready values."""
    from pydantic import BaseModel

    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, dict):
        return {k: _jsonable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_jsonable(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


@app.command()
def whatif(
    without: Annotated[list[str] | None, typer.Option(
        "--without", help="An organization or person that leaves (id or exact label; repeat).",
        show_default=False)] = None,
    stop_convening: Annotated[list[str] | None, typer.Option(
        "--stop-convening", help="An organization that stops convening but stays a partner.",
        show_default=False)] = None,
    disband: Annotated[list[str] | None, typer.Option(
        "--disband", help="A constellation that disbands.", show_default=False)] = None,
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    check: CheckOption = None,
    param: ParamOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """If these organizations leave, stop convening, or these groups disband: what breaks?

    Nothing is written: the change is tried on a copy of the network.
    """
    from constellation.analysis.whatif import Scenario, what_if
    from constellation.graph import load_graph

    if not (without or stop_convening or disband):
        raise _fail("say what changes: --without NAME, --stop-convening NAME or --disband NAME")
    params, checks_ = _audit_params(param), _check_ids(check)
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        scenario = Scenario(without=repo.find_node_ids(ws, without),
                            stop_convening=repo.find_node_ids(ws, stop_convening),
                            disband=repo.find_node_ids(ws, disband))
        try:
            result = what_if(load_graph(repo, ws, _date(as_of)), scenario, params, checks_)
        except ConstellationError as exc:
            raise _fail(str(exc)) from None
    if format == Format.json:
        _print_json(_jsonable(result))
        return
    out.print(f"[bold]{ws}[/]: health {result['before']['health']} → "
              f"{result['after']['health']}", highlight=False)
    if result["appeared"]:
        out.print(_findings_table(result["appeared"], "What breaks"))
    else:
        out.print("Nothing new breaks.")
    if result["resolved"]:
        out.print(_findings_table(result["resolved"], "What is no longer a finding"))


# ---------------------------------------------------------------------------- partners, funders


@app.command()
def recommend(
    name: Annotated[str | None, typer.Argument(
        help="The organization (id or exact label). Leave out to describe one with the "
        "options below.", show_default=False)] = None,
    sector: Annotated[str | None, typer.Option(help="Your sector (for a profile).",
                                               show_default=False)] = None,
    goal: Annotated[list[str] | None, typer.Option(
        help="A goal you care about (id or label; repeat).", show_default=False)] = None,
    issue_area: Annotated[list[str] | None, typer.Option(
        "--issue-area", help="An issue area you work in (repeat).", show_default=False)] = None,
    partner: Annotated[list[str] | None, typer.Option(
        help="An organization you already work with (repeat).", show_default=False)] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many to show.")] = 10,
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Which constellations an organization could join, ranked, and why."""
    from constellation.analysis.recommend import recommend as rank
    from constellation.graph import load_graph

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        org = repo.find_node(ws, name).id if name else None
        profile = None
        if sector or goal or issue_area or partner:
            profile = {"sector": sector, "goals": repo.find_node_ids(ws, goal),
                       "issue_areas": repo.find_node_ids(ws, issue_area),
                       "partners": repo.find_node_ids(ws, partner)}
        if org is None and profile is None:
            raise _fail("name an organization, or describe one with --sector, --goal, "
                        "--issue-area or --partner")
        try:
            found = rank(load_graph(repo, ws, _date(as_of)), org=org, profile=profile,
                         limit=limit)
        except ConstellationError as exc:
            raise _fail(str(exc).replace("; nothing was written", "")) from None
    if format == Format.json:
        _print_json([r.model_dump(mode="json") for r in found])
        return
    who = name or "this profile"
    if not found:
        out.print(f"No constellation to recommend for {who}.")
        return
    table = Table(title=f"Constellations {who} could join", title_justify="left")
    for col in ("#", "score", "constellation", "why"):
        table.add_column(col, overflow="fold", justify="right" if col in "#score" else "left")
    for i, r in enumerate(found, 1):
        table.add_row(str(i), f"{r.score:g}", r.constellation.label, r.reason)
    out.print(table)


@app.command()
def funding(
    name: Annotated[str | None, typer.Argument(
        help="A funder (id or exact label); leave out for the whole workspace.",
        show_default=False)] = None,
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Joint-funding opportunities, unfunded constellations and co-funders.

    JSON output: {"joint_opportunities", "unfunded", "co_funders"}, each a list of entries
    shaped like findings (subjects, message, evidence), plus "notes".
    """
    from constellation.analysis.funding import funding_opportunities
    from constellation.graph import load_graph

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        funder = repo.find_node(ws, name).id if name else None
        try:
            report = funding_opportunities(load_graph(repo, ws, _date(as_of)), funder)
        except ConstellationError as exc:
            raise _fail(str(exc).replace("; nothing was written", "")) from None
    if format == Format.json:
        _print_json(report.model_dump(mode="json"))
        return
    for title, entries in (("Joint-funding opportunities", report.joint_opportunities),
                           ("Active constellations with no funding", report.unfunded),
                           ("Funders whose portfolios overlap", report.co_funders)):
        if not entries:
            out.print(f"[bold]{title}:[/] none.")
            continue
        table = Table(title=f"{title} ({len(entries)})", title_justify="left")
        table.add_column("opportunity", overflow="fold", ratio=3)
        table.add_column("next step", overflow="fold", ratio=2)
        for f in entries:
            table.add_row(f.message, f.suggestion)
        out.print(table)
    for note in report.notes:
        out.print(f"[dim]Note: {note}[/]")


# ---------------------------------------------------------------------------- service

token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")


class RoleChoice(StrEnum):
    viewer = "viewer"
    editor = "editor"
    admin = "admin"


@token_app.command("create")
def token_create(
    role: Annotated[RoleChoice, typer.Option(help="viewer reads, editor also writes, admin "
                                             "also manages workspaces and tokens.")],
    workspace: Annotated[str | None, typer.Option(
        "--workspace", "-w", help="Limit the token to this workspace.", show_default=False)] = None,
    name: Annotated[str | None, typer.Option(help="Who or what it is for.",
                                             show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Create a token. Its secret is printed once, alone on the last line, and never again."""
    from constellation.store.tokens import create_token

    with _repository(db) as repo:
        info, secret = create_token(repo.session, role.value, workspace, name)
    scope = f"workspace {info.workspace}" if info.workspace else "every workspace"
    out.print(f"Created {info.role.value} token {info.prefix!r} ({info.name}) for {scope}.",
              highlight=False)
    out.print("Keep the secret below: it is not stored and cannot be shown again.")
    sys.stdout.write(secret + "\n")


@token_app.command("list")
def token_list(db: DbOption = None, format: FormatOption = Format.table) -> None:
    """List tokens (never their secrets)."""
    from constellation.store.tokens import list_tokens

    with _repository(db) as repo:
        rows = list_tokens(repo.session)
    if format == Format.json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    table = Table()
    for col in ("prefix", "name", "role", "workspace", "created", "last used", "revoked"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.prefix, r.name, r.role.value, r.workspace or "all",
                      f"{r.created_at:%Y-%m-%d}",
                      f"{r.last_used_at:%Y-%m-%d %H:%M}" if r.last_used_at else "",
                      f"{r.revoked_at:%Y-%m-%d}" if r.revoked_at else "")
    out.print(table)


@token_app.command("revoke")
def token_revoke(prefix: Annotated[str, typer.Argument(help="The token's prefix (see list).")],
                 db: DbOption = None) -> None:
    """Revoke a token: it stops working at once."""
    from constellation.store.tokens import revoke_token

    with _repository(db) as repo:
        info = revoke_token(repo.session, prefix)
    out.print(f"Token {info.prefix!r} ({info.name}) is revoked.")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    demo_data: Annotated[bool, typer.Option("--demo", help="First build the demo networks "
                                            "into the database if they are missing.")] = False,
) -> None:
    """Start the web service: the API, the web pages and the map."""
    import os
    import socket

    import uvicorn

    url = db or get_settings().database_url
    with _repository(url, actor="demo") as repo:
        present = {w.slug for w in repo.list_workspaces()}
        if demo_data:
            for name in DEMOS:
                if name not in present:
                    load_demo(repo, name)
                    out.print(f"Built the demo network {name!r}.")
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise _fail(f"cannot listen on {host}:{port} ({exc.strerror}); is another server "
                        f"running there? Try --port {port + 1}.") from None
    os.environ["CONSTELLATION_DATABASE_URL"] = url
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    out.print(f"Constellation is serving {url}\n  open  [bold]http://{shown}:{port}/[/]\n"
              f"  API   http://{shown}:{port}/docs", highlight=False)
    if demo_data:
        out.print("The demo workspaces are open to read without signing in. To edit, create "
                  "a token:\n  [cyan]constellation token create --role editor"
                  + (f" --db {db}" if db else "") + "[/]", highlight=False)
    uvicorn.run("api.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


# ---------------------------------------------------------------------------- import / export

PROGRESS_ROWS = 2000
"""Files of more rows than this get a progress bar."""


class ImportFormat(StrEnum):
    auto = "auto"
    native = "native"
    kumu = "kumu"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    giving360 = "360giving"


ExportFormat = StrEnum("ExportFormat", {name: name for name in _io_export_formats()})


def _problem_lines(exc: InvalidRecords) -> str:
    """Every problem, one a line (the library's own message stops at 50)."""
    head = f"{len(exc.problems)} problem(s); nothing was written:"
    return head + "\n" + "\n".join(f"  - {p}" for p in exc.problems)


def _ids(ids: list[str], most: int = 8) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" … (+{len(ids) - most} more)" if len(ids) > most else "")


@contextmanager
def _progress_bar() -> Iterator[Any]:
    """A Rich progress bar on stderr for the import's stages, shown once the file turns out
    to hold more than PROGRESS_ROWS rows (small files print nothing)."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    labels = {"reading": "Reading the file", "checking": "Checking every row and writing",
              "done": "Done"}
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                   TextColumn("{task.completed:,} of {task.total:,} rows"), TimeElapsedColumn(), console=err,
                   transient=True)
    task = None

    def update(stage: str, done: int, total: int | None) -> None:
        nonlocal task
        if task is None:
            if not total or total <= PROGRESS_ROWS:
                return
            task = bar.add_task(labels.get(stage, stage), total=total)
            bar.start()
        bar.update(task, description=labels.get(stage, stage), total=total or None,
                   completed=done)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(
        help="The file to import; for CSV tables the node table, then the edge table.",
        exists=True, dir_okay=False, readable=True, show_default=False)],
    workspace: Annotated[str | None, typer.Option(
        "--workspace", "-w", help="Workspace to import into; created if missing (default: the "
        "one in a native file, the only one in the database, or one named after the file).",
        show_default=False)] = None,
    format: Annotated[ImportFormat, typer.Option(
        "--format", "-f", help="What the file is; auto tells it from the content.")
    ] = ImportFormat.auto,
    mapping: Annotated[Path | None, typer.Option(
        help="YAML or JSON file mapping foreign types to kinds (see README, Import and "
        "export).", exists=True, dir_okay=False, readable=True, show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check everything and show what would change; write nothing.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Import a network: Kumu, a spreadsheet, GraphML, GEXF, CSV tables, 360Giving, native.

    All or nothing: if any row is wrong, nothing is written and every problem is listed
    with its file, sheet, row and column. Importing the same file twice changes nothing the
    second time.
    """
    from constellation.io import import_files, load_mapping
    from constellation.io.native import looks_native
    from constellation.store.repository import slugify

    if len(files) > 2:
        raise _fail("import takes one file, or two (a node table and an edge table)")
    payload = [(f.name, f.read_bytes()) for f in files]
    the_mapping = None
    if mapping is not None:
        try:
            the_mapping = load_mapping(mapping.name, mapping.read_bytes())
        except InvalidRecords as exc:
            raise _fail(_problem_lines(exc)) from None
    with _repository(db, actor="import") as repo:
        ws = workspace
        if ws is None:
            try:
                doc = json.loads(payload[0][1]) if payload[0][1][:1] in (b"{",) else None
            except ValueError:
                doc = None
            if looks_native(doc) and isinstance(doc.get("workspace"), dict):
                ws = doc["workspace"].get("slug")
            else:
                slugs = [w.slug for w in repo.list_workspaces()]
                ws = slugs[0] if len(slugs) == 1 else slugify(Path(files[0].stem).stem,
                                                              "imported")
        try:
            with _progress_bar() as progress:
                report = import_files(repo, ws, payload, format=format.value,
                                      mapping=the_mapping, dry_run=dry_run, progress=progress)
        except InvalidRecords as exc:
            raise _fail(_problem_lines(exc)) from None
    counts = report.counts()
    verb = "would be" if dry_run else "were"
    title = (f"Dry run: nothing was written to {ws}" if dry_run else
             f"Imported {', '.join(report.files)} ({report.format}) into {ws}")
    out.print(title, highlight=False)
    table = Table()
    for col in ("", "created", "updated", "unchanged"):
        table.add_column(col, justify="left" if not col else "right")
    for what in ("nodes", "edges"):
        c = counts[what]
        table.add_row(what, str(c["created"]), str(c["updated"]), str(c["unchanged"]))
    out.print(table)
    if report.workspace_created:
        out.print(f"Workspace {ws} {'would be' if dry_run else 'was'} created.",
                  highlight=False)
    if dry_run:
        for what in ("nodes", "edges"):
            for change in ("created", "updated"):
                ids = getattr(report, f"{what}_{change}")
                if ids:
                    out.print(f"{what} that {verb} {change}: {_ids(ids)}", highlight=False)
    for note in report.notes:
        err.print(f"[yellow]Note:[/] {note}", highlight=False)


@app.command("export")
def export(
    format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="native (everything, for backups and moves), kumu (blueprint "
        "JSON), kumu-xlsx, kumu-csv (zip), graphml, gexf, cytoscape, csv (zip of nodes.csv "
        "and edges.csv) or 360giving.")],
    workspace: WorkspaceOption = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Where to write; '-' for standard output (default: a file named "
        "after the workspace).", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Export a workspace for Kumu, Gephi, yEd, Cytoscape, a spreadsheet or a backup."""
    from constellation.io import export_workspace

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        content, media_type, filename = export_workspace(repo, ws, format.value)
    if out_file is not None and str(out_file) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    target = out_file or Path(filename)
    try:
        target.write_bytes(content)
    except OSError as exc:
        raise _fail(f"cannot write {target}: {exc.strerror}") from None
    err.print(f"Wrote {ws} as {format.value} to {target} ({len(content):,} bytes, {media_type})",
              highlight=False)


# ---------------------------------------------------------------------------- map

SizeBy = StrEnum("SizeBy", {m: m for m in SIZE_MEASURES})


@app.command("map")
def map_(
    workspace: WorkspaceOption = None,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.",
                                           dir_okay=False)] = Path("map.html"),
    as_of: Annotated[dt.datetime | None, typer.Option(
        "--as-of", formats=["%Y-%m-%d"], help="The date the map opens at, audits and sizes "
        "by (YYYY-MM-DD; default today). Its date filter shows the others.",
        show_default=False)] = None,
    size_by: Annotated[SizeBy, typer.Option(
        "--size-by", help="What a node's size shows: " + ", ".join(SIZE_MEASURES) + ".")
    ] = SizeBy[SIZE_MEASURES[0]],
    title: Annotated[str | None, typer.Option(help="The page's heading (default: the "
                                              "workspace's name).", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Draw the workspace as an interactive map: one self-contained HTML file, offline.

    The page the HTTP service serves at /api/workspaces/W/map: kinds in colour, findings
    marked on their nodes, filters, search and details, every record whatever its dates.
    """
    import time

    from constellation.viz import map_workspace

    started = time.perf_counter()
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        html = map_workspace(repo, ws, _date(as_of), size_by=size_by.value, title=title)
    try:
        out_file.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {out_file}: {exc.strerror or exc}") from None
    size = out_file.stat().st_size
    shown = f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"
    out.print(f"Wrote the map of [bold]{ws}[/] to {out_file.resolve()} ({shown}, "
              f"{time.perf_counter() - started:.1f} s). Open it in a browser; it needs no "
              "network.", highlight=False)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
