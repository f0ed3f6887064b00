"""Commands that read the network: the audit, its checks, diff, what-if, recommend, funding."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from constellation.cli.common import (
    AsOfOption,
    DbOption,
    Format,
    FormatOption,
    WorkspaceOption,
    _date,
    _fail,
    _parse_props,
    _print_json,
    _repository,
    _table,
    app,
    day,
    out,
    resolve_workspace,
)
from constellation.errors import InvalidRecords
from constellation.services.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterable

    from constellation.analysis.findings import AuditReport, Finding
    from constellation.analysis.params import AuditParams
    from constellation.analysis.timeline import EdgeRef

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


class AuditFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


CheckOption = Annotated[
    list[str] | None,
    typer.Option("--check", help="Run only this check (repeat for several).", show_default=False),
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        help="Override a threshold, name=value (repeat); see `constellation checks`.",
        show_default=False,
    ),
]


def _audit_params(pairs: list[str] | None) -> AuditParams:
    from constellation.services.audit import audit_params

    try:
        return audit_params(_parse_props(pairs, "--param"))
    except InvalidRecords as exc:
        raise _fail(
            "bad --param: "
            + "; ".join(
                f"{(p.field or '').removeprefix('params.')}: {p.message}" for p in exc.problems
            )
        ) from None


def _findings_table(findings: Iterable[Finding], title: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("severity")
    table.add_column("check")
    table.add_column("finding", overflow="fold", ratio=3)
    table.add_column("next step", overflow="fold", ratio=2)
    for f in findings:
        sev = f.severity.value
        table.add_row(f"[{SEVERITY_STYLE[sev]}]{sev}[/]", f.check, f.message, f.suggestion)
    return table


def _health_table(report: AuditReport) -> Table:
    """The health score term by term: what fixing each check's findings would gain."""
    from constellation.analysis.audit import health_breakdown

    table = Table(
        title=f"Health {report.summary['health']['score']}/100 by check, most points lost first",
        title_justify="left",
    )
    table.add_column("check", overflow="fold")
    table.add_column("findings", justify="right")
    table.add_column("population", overflow="fold")
    table.add_column("weight", justify="right")
    table.add_column("points lost", justify="right")
    for r in health_breakdown(report):
        table.add_row(
            r["title"],
            str(r["findings"]),
            f"{r['population']} {r['of']}",
            str(r["weight"]),
            f"{r['points_lost']:g}",
        )
    return table


@app.command()
def audit(
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    check: CheckOption = None,
    param: ParamOption = None,
    db: DbOption = None,
    format: Annotated[
        AuditFormat, typer.Option("--format", "-f", help="table, json or markdown.")
    ] = AuditFormat.table,
) -> None:
    """Audit a workspace's structural health: gaps, overlaps, overload and risks.

    JSON output is exactly what the HTTP service's audit endpoint returns:
    {"workspace", "as_of", "summary", "findings"}.
    """
    from constellation.analysis.markdown import audit_markdown
    from constellation.services import audit as audits

    params = _audit_params(param)
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = audits.audit(Network(repo, ws), _date(as_of), params, check)
    if format == AuditFormat.json:
        _print_json(report.model_dump(mode="json"))
        return
    if format == AuditFormat.markdown:
        sys.stdout.write(audit_markdown(report) + "\n")
        return
    s = report.summary
    counts = ", ".join(
        f"[{SEVERITY_STYLE[k]}]{n} {k}[/]" for k, n in s["counts"]["by_severity"].items() if n
    )
    out.print(
        f"[bold]{ws}[/] as of {report.as_of}: health [bold]{s['health']['score']}[/]/100, "
        f"{s['counts']['total']} finding(s)" + (f" ({counts})" if counts else "")
    )
    if report.findings:
        out.print(_findings_table(report.findings, "Findings, most severe first"))
    out.print(_health_table(report))
    net = s.get("network", {})
    if net:
        brokers = ", ".join(b["label"] for b in net["brokers"]) or "none"
        approx = " (approximate)" if net["measures"].get("approximate") else ""
        out.print(
            f"Network: {net['nodes']} nodes, {net['edges']} edges, density "
            f"{net['density']}, {net['components']} component(s), "
            f"{net['communities']['count']} communities; brokers{approx}: {brokers}.",
            highlight=False,
        )


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
    date_from: Annotated[
        dt.datetime,
        typer.Argument(parser=day, metavar="DATE1", help="The earlier date (YYYY-MM-DD)."),
    ],
    date_to: Annotated[
        dt.datetime,
        typer.Argument(parser=day, metavar="DATE2", help="The later date (YYYY-MM-DD)."),
    ],
    workspace: WorkspaceOption = None,
    check: CheckOption = None,
    param: ParamOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """What changed between two dates: records added and ended, findings appeared and resolved."""
    from constellation.services import audit as audits

    params = _audit_params(param)
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        result = audits.diff(Network(repo, ws), date_from.date(), date_to.date(), params, check)
    if format == Format.json:
        _print_json(result.model_dump(mode="json"))
        return
    h = result.health
    out.print(
        f"[bold]{ws}[/] from {result.from_} to {result.to}: health {h.from_} → {h.to}",
        highlight=False,
    )
    changes: list[tuple[str, str, list[str]]] = [
        ("nodes", "added", [n.label for n in result.nodes.added]),
        ("nodes", "ended", [n.label for n in result.nodes.ended]),
        ("ties", "added", [_tie(e) for e in result.edges.added]),
        ("ties", "ended", [_tie(e) for e in result.edges.ended]),
    ]
    for what, change, names in changes:
        if names:
            more = f" and {len(names) - 12} more" if len(names) > 12 else ""
            out.print(
                f"  {len(names)} {what} {change}: {', '.join(names[:12])}{more}", highlight=False
            )
    f = result.findings
    if f.appeared:
        out.print(_findings_table(f.appeared, f"{len(f.appeared)} finding(s) appeared"))
    if f.resolved:
        out.print(_findings_table(f.resolved, f"{len(f.resolved)} finding(s) resolved"))
    out.print(f"  {f.persisting} finding(s) unchanged.")


def _tie(e: EdgeRef) -> str:
    """A tie in words, by its ends' labels: "First 5 LA convenes Kindergarten Readiness"."""
    return f"{e.source_label or e.source} {e.kind.replace('_', ' ')} {e.target_label or e.target}"


@app.command()
def whatif(
    without: Annotated[
        list[str] | None,
        typer.Option(
            "--without",
            help="An organization or person that leaves (id or exact label; repeat).",
            show_default=False,
        ),
    ] = None,
    stop_convening: Annotated[
        list[str] | None,
        typer.Option(
            "--stop-convening",
            help="An organization that stops convening but stays a partner.",
            show_default=False,
        ),
    ] = None,
    disband: Annotated[
        list[str] | None,
        typer.Option("--disband", help="A constellation that disbands.", show_default=False),
    ] = None,
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
    from constellation.services import audit as audits

    if not (without or stop_convening or disband):
        raise _fail("say what changes: --without NAME, --stop-convening NAME or --disband NAME")
    params = _audit_params(param)
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        result = audits.whatif(
            Network(repo, ws),
            without=without,
            stop_convening=stop_convening,
            disband=disband,
            as_of=_date(as_of),
            params=params,
            checks=check,
        )
        if format == Format.json:
            _print_json(result.model_dump(mode="json"))
            return
        s = result.scenario
        named = [*s.without, *s.stop_convening, *s.disband]
        labels = {n.id: n.label for n in repo.query_nodes(ws, ids=named, include_archived=True)}

    def names(ids: list[str]) -> str:
        return ", ".join(labels.get(i, i) for i in ids)

    said = [
        f"{names(s.without)} {'leave' if len(s.without) > 1 else 'leaves'}" if s.without else "",
        f"{names(s.stop_convening)} {'stop' if len(s.stop_convening) > 1 else 'stops'} convening"
        if s.stop_convening
        else "",
        f"{names(s.disband)} {'disband' if len(s.disband) > 1 else 'disbands'}"
        if s.disband
        else "",
    ]
    out.print(
        f"[bold]{escape(ws)}[/]: if {escape('; '.join(p for p in said if p))} — health "
        f"{result.before.health} → {result.after.health}",
        highlight=False,
    )
    if result.appeared:
        out.print(_findings_table(result.appeared, "What breaks"))
    else:
        out.print("Nothing new breaks.")
    if result.resolved:
        out.print(_findings_table(result.resolved, "What is no longer a finding"))


# ---------------------------------------------------------------------------- partners, funders


@app.command()
def recommend(
    name: Annotated[
        str | None,
        typer.Argument(
            help="The organization (id or exact label). Leave out to describe one with the "
            "options below.",
            show_default=False,
        ),
    ] = None,
    sector: Annotated[
        str | None, typer.Option(help="Your sector (for a profile).", show_default=False)
    ] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(help="A goal you care about (id or label; repeat).", show_default=False),
    ] = None,
    issue_area: Annotated[
        list[str] | None,
        typer.Option(
            "--issue-area", help="An issue area you work in (repeat).", show_default=False
        ),
    ] = None,
    partner: Annotated[
        list[str] | None,
        typer.Option(help="An organization you already work with (repeat).", show_default=False),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many to show.")] = 10,
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Which constellations an organization could join, ranked, and why."""
    from constellation.services import partners

    profile = None
    if sector or goal or issue_area or partner:
        profile = {"sector": sector, "goals": goal, "issue_areas": issue_area, "partners": partner}
    if name is None and profile is None:
        raise _fail(
            "name an organization, or describe one with --sector, --goal, --issue-area or --partner"
        )
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        found = partners.recommend(
            Network(repo, ws), name, profile, limit=limit, as_of=_date(as_of)
        )
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
    name: Annotated[
        str | None,
        typer.Argument(
            help="A funder (id or exact label); leave out for the whole workspace.",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Joint-funding opportunities, unfunded constellations and co-funders.

    JSON output: {"joint_opportunities", "unfunded", "co_funders"}, each a list of entries
    shaped like findings (subjects, message, evidence), plus "notes" and, for one funder,
    "grantees" (each recipient it funds and who else funds it). Co-funders are funders of
    the same grantees (or of work on the same goals), most shared grantees first.
    """
    from constellation.services import partners

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = partners.funding(Network(repo, ws), name, _date(as_of))
    if format == Format.json:
        _print_json(report.model_dump(mode="json"))
        return
    for title, entries in (
        ("Joint-funding opportunities", report.joint_opportunities),
        ("Active constellations with no funding", report.unfunded),
        ("Funders whose portfolios overlap", report.co_funders),
    ):
        if not entries:
            out.print(f"[bold]{title}:[/] none.")
            continue
        table = Table(title=f"{title} ({len(entries)})", title_justify="left")
        table.add_column("opportunity", overflow="fold", ratio=3)
        table.add_column("next step", overflow="fold", ratio=2)
        for f in entries:
            table.add_row(f.message, f.suggestion)
        out.print(table)
    if report.grantees:
        table = Table(
            title=f"Its grantees and who else funds them ({len(report.grantees)})",
            title_justify="left",
        )
        table.add_column("grantee", overflow="fold")
        table.add_column("its grants", overflow="fold")
        table.add_column("other funders", overflow="fold", ratio=2)
        for g in report.grantees:
            table.add_row(
                g.label,
                _amounts(g.totals, g.grants),
                "; ".join(f"{o.label} ({_amounts(o.totals, o.grants)})" for o in g.other_funders)
                or "none",
            )
        out.print(table)
    if report.by_year:
        table = Table(title="Grants by the year they start", title_justify="left")
        table.add_column("year")
        table.add_column("grants", justify="right")
        table.add_column("amount", overflow="fold")
        for y in report.by_year:
            money = " + ".join(f"{cur} {n:,.0f}" for cur, n in y.totals.items()) or "—"
            if y.amount_unknown:
                money += f" ({y.amount_unknown} of unknown amount)"
            table.add_row(str(y.year) if y.year else "undated", str(y.grants), money)
        out.print(table)
    for note in report.notes:
        out.print(f"[dim]Note: {note}[/]")


def _amounts(totals: dict[str, float], grants: int) -> str:
    money = " + ".join(f"{cur} {amount:,.0f}" for cur, amount in totals.items())
    return f"{grants} grant(s)" + (f", {money}" if money else "")


# ---------------------------------------------------------------------------- stages, overlap


@app.command()
def stages(
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    param: ParamOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Where each network stands in its process (seed 002's seven steps, or the
    partnership's own), the date it reached that step, and whether it has stalled.

    JSON output is what GET …/stages returns: {"workspace", "as_of", "process", "source",
    "networks"}; `--param stalled_after_months=N` moves the stalled line.
    """
    from constellation.services import audit as audits

    params = _audit_params(param)
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = audits.stages(Network(repo, ws), _date(as_of), params)
    if format == Format.json:
        _print_json(report.model_dump(mode="json"))
        return
    steps = len(report.process)
    table = Table(
        title=f"Where each network stands on {report.as_of} ({report.source}, {steps} steps)",
        title_justify="left",
    )
    for col in ("constellation", "status", "stage", "reached", "months", ""):
        table.add_column(col, overflow="fold", justify="right" if col == "months" else "left")
    for n in report.networks:
        s = n.stage
        table.add_row(
            n.constellation.label,
            n.status,
            (f"{s.number}/{steps} " if s and s.number else "") + (s.title if s else "—"),
            s.reached.isoformat() + (" (illustrative)" if s.note == "illustrative" else "")
            if s
            else "",
            str(n.months_on_stage) if n.months_on_stage is not None else "",
            "[yellow]stalled[/]" if n.stalled else "",
        )
    out.print(table)


@app.command()
def overlap(
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Who shares whom: the partners every pair of active constellations shares, most
    shared first, and the groups each organization spreads its people across.

    JSON output is what GET …/overlap returns: {"workspace", "as_of", "measure",
    "constellations", "pairs", "pairs_sharing_nobody", "organizations"}.
    """
    from constellation.services import audit as audits

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = audits.overlap(Network(repo, ws), _date(as_of))
    if format == Format.json:
        _print_json(report.model_dump(mode="json"))
        return
    if not report.pairs:
        out.print(f"No two of the {report.constellations} active constellations share a partner.")
    else:
        table = Table(
            title=f"Active constellations that share partners ({len(report.pairs)} pairs; "
            f"{report.pairs_sharing_nobody} share none)",
            title_justify="left",
        )
        for col in ("#", "shared", "constellations", "share of each", "shared organizations"):
            table.add_column(col, overflow="fold", justify="right" if col in "#shared" else "left")
        for i, p in enumerate(report.pairs, 1):
            table.add_row(
                str(i),
                str(p.shared),
                f"{p.a.label} + {p.b.label}",
                f"{p.share_of_a:.0%} of {p.members_a}; {p.share_of_b:.0%} of {p.members_b}",
                ", ".join(o.label for o in p.organizations),
            )
        out.print(table)
    spread = [s for s in report.organizations if s.count > 1]
    if spread:
        table = Table(title="Organizations in more than one group", title_justify="left")
        for col in ("organization", "groups", "constellations"):
            table.add_column(col, overflow="fold", justify="right" if col == "groups" else "left")
        for s in spread:
            table.add_row(
                s.organization.label,
                str(s.count),
                "; ".join(
                    c.label + (" (convener)" if c.role == "convener" else "")
                    for c in s.constellations
                ),
            )
        out.print(table)
    out.print(f"[dim]Ranked by {report.measure}.[/]", highlight=False)


# ---------------------------------------------------------------------------- commitments


class CommitmentGrouping(StrEnum):
    signer = "signer"
    goal = "goal"


@app.command()
def commitments(
    workspace: WorkspaceOption = None,
    by: Annotated[
        CommitmentGrouping, typer.Option("--by", help="Group by signer or by goal.")
    ] = CommitmentGrouping.signer,
    as_of: AsOfOption = None,
    param: ParamOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """The signers' institutional commitments, by signer or by the goal they serve: each
    with its status, last progress note and whether it is stale.

    JSON output is what GET …/commitments returns: {"workspace", "as_of", "by",
    "stale_commitment_months", "total", "by_status", "stale", "groups", "lapsed_signers"};
    `--param stale_commitment_months=N` moves the stale line.
    """
    from constellation.services import audit as audits

    params = _audit_params(param)
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = audits.commitments(Network(repo, ws), _date(as_of), by.value, params)
    if format == Format.json:
        _print_json(report.model_dump(mode="json"))
        return
    if not report.total:
        out.print("No signer has commitments on record.")
        return
    other = "goal" if report.by == "signer" else "signer"
    table = Table(
        title=f"Commitments by {report.by} on {report.as_of} ({report.total}; "
        f"{report.stale} stale)",
        title_justify="left",
        expand=True,
    )
    table.add_column(report.by, ratio=2)
    table.add_column("commitment", ratio=4)
    table.add_column(other, ratio=2)
    for col in ("status", "last note", ""):
        table.add_column(col, no_wrap=True)
    for group in report.groups:
        name = group.subject.label if group.subject else "(no goal)"
        for i, c in enumerate(group.commitments):
            across = c.goal if report.by == "signer" else c.signer
            table.add_row(
                name if i == 0 else "",
                c.text,
                across.label if across else "",
                c.status.value.replace("_", " "),
                c.last_progress.isoformat() if c.last_progress else "none",
                _staleness(c.stale, c.months_since),
            )
        table.add_section()
    out.print(table)
    if report.lapsed_signers:
        out.print(
            "Every commitment withdrawn or stale: "
            + ", ".join(s.label for s in report.lapsed_signers),
            highlight=False,
        )
    out.print(
        f"[dim]Stale: neither fulfilled nor withdrawn, with no progress note in "
        f"{report.stale_commitment_months} months (with none, counted from the signing).[/]",
        highlight=False,
    )


def _staleness(stale: bool, months: int | None) -> str:
    if not stale:
        return ""
    return f"[yellow]stale {months} months[/]" if months is not None else "[yellow]stale[/]"


# ---------------------------------------------------------------------------- service
