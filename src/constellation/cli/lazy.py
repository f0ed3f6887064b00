"""A short start-up: each command is built only when it runs, and modules load when first read.

Typer builds every command of an app before it runs one: it reads each parameter's type and
help text, and what those name (the store, the format registry, the vocabulary's models,
networkx) took `constellation --help` over a second and a half to import. A `LazyTyper`
lists its commands from their docstrings alone and builds one (its parameters, and so the
imports they need) only when it runs or shows its own help. `lazy_module` names a module
that a type hint or a help text can use without importing it when the CLI starts: it is
imported on first attribute access, when Typer builds the command that reads it.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_command_name
from typer.models import CommandInfo

__all__ = ["LazyTyper", "lazy_module"]

Function = TypeVar("Function", bound=Callable[..., Any])


class _Module:
    """A module imported on first attribute access."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    """The module `name`, imported when one of its attributes is first read.

    For names the parameters of a command read (types, help texts): Typer reads them only
    when it builds that command. Use it as ``if TYPE_CHECKING: import x`` / ``else: x =
    lazy_module("x")`` so that type checkers see the module itself.
    """
    return _Module(name)


def _first_paragraph(function: Callable[..., Any]) -> str | None:
    """The docstring's first paragraph on one line: the listing's short help (the docstring's
    own line breaks would show in it)."""
    doc = inspect.getdoc(function)
    return " ".join(doc.split("\n\n")[0].split()) if doc else None


def _unbuilt() -> None:  # pragma: no cover - a listed command runs only once built
    raise RuntimeError("this command is listed, not built")


class _Listed(TyperCommand):
    """A command's stand-in: its name and help, no parameters."""


class _LazyGroup(TyperGroup):
    """The app's group: its commands are stand-ins, each replaced by the real command the
    first time it is looked up for anything but the listing."""

    app: LazyTyper
    _listing = False

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if isinstance(command, _Listed) and not self._listing:
            command = self.commands[cmd_name] = self.app.build(cmd_name)
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run; when stderr is no terminal, a usage error is a plain line a script can read
        (Typer's boxes are for people)."""
        if not sys.stderr.isatty():
            self.rich_markup_mode = None
        return super().main(*args, **kwargs)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The help lists each command by its name and the first paragraph of its docstring,
        which the stand-ins hold: building them for that would import everything."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


class LazyTyper(typer.Typer):
    """A Typer app whose commands are built one at a time, when used (see the module)."""

    def __init__(self, **kwargs: Any) -> None:
        group = type("LazyGroup", (_LazyGroup,), {"app": self})
        super().__init__(cls=group, **kwargs)
        self.unbuilt: dict[str, CommandInfo] = {}

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[Function], Function]:
        """Like `typer.Typer.command`; Typer sees a stand-in with the same name and help."""
        register = super().command(name, **kwargs)

        def decorator(function: Function) -> Function:
            register(function)
            info = self.registered_commands.pop()
            listed = info.name or get_command_name(function.__name__)
            self.unbuilt[listed] = info
            self.registered_commands.append(
                CommandInfo(
                    name=listed,
                    cls=_Listed,
                    callback=_unbuilt,
                    help=inspect.getdoc(function) if info.help is None else info.help,
                    short_help=info.short_help or _first_paragraph(function),
                    hidden=info.hidden,
                    deprecated=info.deprecated,
                    rich_help_panel=info.rich_help_panel,
                )
            )
            return function

        return decorator

    def build(self, name: str) -> Any:
        """The real command `name`, its parameters read (and what they name imported)."""
        return get_command_from_info(
            self.unbuilt[name],
            pretty_exceptions_short=self.pretty_exceptions_short,
            rich_markup_mode=self.rich_markup_mode,
        )
