"""Commands that set up and run Constellation: the demo, the schema, API tokens, the service."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from constellation.cli.common import (
    DbOption,
    Format,
    FormatOption,
    _fail,
    _print_json,
    _repository,
    app,
    day,
    out,
    typed_command,
)

db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.command()
def demo(
    db: DbOption = None,
    reset: Annotated[bool, typer.Option(help="Delete the demo workspaces first.")] = False,
) -> None:
    """Create or refresh the demo networks and show what they hold.

    Loads the L.A. Compact (seed 001) and Achieve Escambia (seed 002) through the same bulk
    path imports use. Running it again brings them up to date without duplicating anything.
    """
    from constellation.config import get_settings
    from constellation.demo import DEMOS, load_demo

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
            run = (
                f"{c['nodes']['created'] + c['edges']['created']} created, "
                f"{c['nodes']['updated'] + c['edges']['updated']} updated, "
                f"{c['nodes']['unchanged'] + c['edges']['unchanged']} unchanged"
            )
            table.add_row(f"{name}\n[dim]{ws.name}[/]", str(ws.nodes), str(ws.edges), kinds, run)
        out.print(table)
    db_flag = f" --db {db}" if db else ""
    me = typed_command()
    out.print("\nLook at it:")
    for line in (
        f"{me} audit --workspace achieve-escambia{db_flag}",
        f"{me} nodes --workspace la-compact --kind constellation{db_flag}",
        f"{me} edges --workspace la-compact --kind convenes{db_flag}",
        f"{me} map --workspace la-compact --out map.html{db_flag}",
        f"{me} serve --demo{db_flag}   (then open http://localhost:8000/)",
    ):
        out.print(f"  [cyan]{escape(line)}[/]", highlight=False, soft_wrap=True)


# ---------------------------------------------------------------------------- db


@db_app.command("upgrade")
def db_upgrade(
    db: DbOption = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Bring the schema up to date (runs the Alembic migrations)."""
    from constellation.config import get_settings
    from constellation.store import Store
    from constellation.store.engine import current_revision, upgrade

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
    from constellation.config import get_settings
    from constellation.store import Store
    from constellation.store.engine import current_revision, downgrade

    store = Store(db or get_settings().database_url, auto_upgrade=False)
    downgrade(store.engine, revision)
    out.print(f"schema at {current_revision(store.engine) or 'base (empty)'}")
    store.close()


@db_app.command("current")
def db_current(db: DbOption = None) -> None:
    """Show the schema revision of the database and the newest one this version knows."""
    from constellation.config import get_settings
    from constellation.store import Store
    from constellation.store.engine import current_revision, head_revision

    store = Store(db or get_settings().database_url, auto_upgrade=False)
    out.print(f"database: {current_revision(store.engine) or 'empty'}; newest: {head_revision()}")
    store.close()


# ---------------------------------------------------------------------------- listing


token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")


class RoleChoice(StrEnum):
    viewer = "viewer"
    editor = "editor"
    admin = "admin"
    partner = "partner"


@token_app.command("create")
def token_create(
    role: Annotated[
        RoleChoice,
        typer.Option(
            help="viewer reads, editor also writes, admin also manages workspaces and tokens; "
            "partner: a link for one organization (--workspace, --organization) that keeps "
            "its own record and ties."
        ),
    ],
    workspace: Annotated[
        str | None,
        typer.Option(
            "--workspace", "-w", help="Limit the token to this workspace.", show_default=False
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Who or what it is for.", show_default=False)
    ] = None,
    organization: Annotated[
        str | None,
        typer.Option(help="A partner link's organization: its id or label.", show_default=False),
    ] = None,
    expires: Annotated[
        dt.datetime | None,
        typer.Option(
            parser=day,
            metavar="YYYY-MM-DD",
            help="A partner link's last day (YYYY-MM-DD); 90 days from today if left out.",
            show_default=False,
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            help="Where people reach the service, for the partner link "
            "(default: CONSTELLATION_PUBLIC_URL, http://localhost:8000).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Create a token. Its secret is printed once, alone on the last line, and never again.

    A partner token prints, on that line, its link: the partner page with the secret in it."""
    from constellation.services import partner_links

    with _repository(db) as repo:
        if role is RoleChoice.partner:
            if workspace is None or organization is None:
                raise _fail(
                    "A partner link needs --workspace and --organization (its id or label).", 2
                )
            info, secret = repo.create_partner_link(
                workspace, organization, partner_links.expiry(expires and expires.date()), name
            )
        else:
            if organization is not None or expires is not None:
                raise _fail(
                    "--organization and --expires are for partner links (--role partner).", 2
                )
            info, secret = repo.create_token(role.value, workspace, name)
    scope = f"workspace {info.workspace}" if info.workspace else "every workspace"
    if info.organization:
        scope += f", organization {info.organization}"
    out.print(
        f"Created {info.role.value} token {info.prefix!r} ({info.name}) for {scope}.",
        highlight=False,
    )
    if info.expires_at:
        out.print(f"It works until {info.expires_at:%Y-%m-%d %H:%M} UTC.", highlight=False)
    out.print("Keep the secret below: it is not stored and cannot be shown again.")
    if info.role.value == "partner" and info.workspace:
        from constellation.config import get_settings

        base = url or get_settings().public_url
        sys.stdout.write(partner_links.link_url(base, info.workspace, secret) + "\n")
    else:
        sys.stdout.write(secret + "\n")


@token_app.command("list")
def token_list(db: DbOption = None, format: FormatOption = Format.table) -> None:
    """List tokens (never their secrets)."""
    with _repository(db) as repo:
        rows = repo.list_tokens()
    if format == Format.json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    table = Table()
    columns = ("prefix", "name", "role", "workspace", "organization", "created", "last used")
    for col in (*columns, "expires", "revoked"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.prefix,
            r.name,
            r.role.value,
            r.workspace or "all",
            r.organization or "",
            f"{r.created_at:%Y-%m-%d}",
            f"{r.last_used_at:%Y-%m-%d %H:%M}" if r.last_used_at else "",
            f"{r.expires_at:%Y-%m-%d}" if r.expires_at else "",
            f"{r.revoked_at:%Y-%m-%d}" if r.revoked_at else "",
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    prefix: Annotated[str, typer.Argument(help="The token's prefix (see list).")],
    db: DbOption = None,
) -> None:
    """Revoke a token: it stops working at once."""
    with _repository(db) as repo:
        info = repo.revoke_token(prefix)
    out.print(f"Token {info.prefix!r} ({info.name}) is revoked.")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    demo_data: Annotated[
        bool,
        typer.Option(
            "--demo", help="First build the demo networks into the database if they are missing."
        ),
    ] = False,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            help="Trust X-Forwarded-Proto and -For from the addresses in --forwarded-allow-ips "
            "(behind a reverse proxy: the session cookie is Secure when the proxy says https)."
        ),
    ] = True,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated proxy addresses to trust, or '*' (default: "
            "$FORWARDED_ALLOW_IPS or 127.0.0.1).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the web service: the API, the web pages and the map."""
    import os
    import socket

    import uvicorn

    from constellation.config import get_settings
    from constellation.demo import DEMOS, load_demo

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
            raise _fail(
                f"cannot listen on {host}:{port} ({exc.strerror}); is another server "
                f"running there? Try --port {port + 1}."
            ) from None
    os.environ["CONSTELLATION_DATABASE_URL"] = url
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    out.print(
        f"Constellation is serving {url}\n  open  [bold]http://{shown}:{port}/[/]\n"
        f"  API   http://{shown}:{port}/docs",
        highlight=False,
    )
    if demo_data:
        out.print(
            "The demo workspaces are open to read without signing in. To edit, create "
            "a token:\n  [cyan]"
            + escape(f"{typed_command()} token create --role editor")
            + (escape(f" --db {db}") if db else "")
            + "[/]",
            highlight=False,
            soft_wrap=True,
        )
    uvicorn.run(
        "api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        log_level="warning",
    )


# ---------------------------------------------------------------------------- import / export
