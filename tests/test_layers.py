"""The layers hold: SQL and transactions live in the store, and nowhere else.

Every module under src/ and api/ is parsed (not imported) and read for two leaks: an import
of SQLAlchemy, and a call through a ``.session`` attribute (``repo.session.commit()``, or a
session handed on as ``create_token(repo.session, …)``). Only the store may do either.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "src" / "constellation" / "store"
MODULES = sorted(
    p for top in ("src", "api") for p in (ROOT / top).rglob("*.py") if "__pycache__" not in p.parts
)
OUTSIDE_STORE = [p for p in MODULES if STORE not in p.parents]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def sqlalchemy_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Where a module imports sqlalchemy (plain, from, or a submodule of it)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _is_sqlalchemy(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_sqlalchemy(node.module):
            found.append((node.lineno, node.module))
    return found


def _is_sqlalchemy(module: str | None) -> bool:
    return module is not None and (module == "sqlalchemy" or module.startswith("sqlalchemy."))


def session_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """Where a module reads a ``.session`` attribute: ``x.session.commit()``,
    ``x.session.begin_nested()``, or ``x.session`` passed along."""
    return [
        (node.lineno, ast.unparse(node))
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "session"
    ]


def test_the_modules_are_found():
    names = {_name(p) for p in MODULES}
    assert "src/constellation/graph.py" in names and "api/deps.py" in names
    assert len(OUTSIDE_STORE) < len(MODULES)


@pytest.mark.parametrize("path", OUTSIDE_STORE, ids=_name)
def test_no_module_outside_the_store_imports_sqlalchemy(path):
    assert sqlalchemy_imports(ast.parse(path.read_text(), str(path))) == []


@pytest.mark.parametrize("path", OUTSIDE_STORE, ids=_name)
def test_no_module_outside_the_store_touches_a_session(path):
    assert session_uses(ast.parse(path.read_text(), str(path))) == []


def test_the_readers_see_what_they_look_for():
    """The two readers find each leak they are for, so an empty answer above means none."""
    leaky = ast.parse(
        "import sqlalchemy\n"
        "from sqlalchemy.exc import IntegrityError\n"
        "import sqlalchemy.orm as orm\n"
        "from . import sqlalchemy_like\n"
        "repo.session.commit()\n"
        "create_token(repo.session, 'viewer')\n"
    )
    assert sqlalchemy_imports(leaky) == [
        (1, "sqlalchemy"),
        (2, "sqlalchemy.exc"),
        (3, "sqlalchemy.orm"),
    ]
    assert sorted(line for line, _ in session_uses(leaky)) == [5, 6]


# The layers, lowest first: a module may import its own layer and those below it, never one
# above. The interfaces (the CLI, the HTTP service) sit side by side on top and never import
# each other; the CLI starts the service by its import string, not by importing it.
LAYERS = {
    "library": 0,  # vocabulary, records, errors, store, graph, analysis, io, viz, demo
    "services": 1,
    "cli": 2,
    "api": 2,
}


def layer_of(module: str) -> str | None:
    """The layer of a dotted module name, or None for one outside the project."""
    if module == "api" or module.startswith("api."):
        return "api"
    if module.startswith("constellation.services"):
        return "services"
    if module.startswith("constellation.cli"):
        return "cli"
    if module == "constellation" or module.startswith("constellation."):
        return "library"
    return None


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT / "src" if path.is_relative_to(ROOT / "src") else ROOT)
    return ".".join(parts.with_suffix("").parts).removesuffix(".__init__")


def project_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Every absolute import of one of the project's modules."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if layer_of(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and layer_of(node.module or ""):
            found.append((node.lineno, node.module))
    return found


def upward_imports(module: str, source: str) -> list[tuple[int, str]]:
    """The imports of `module` (its source given) that reach a layer above or beside it."""
    own = layer_of(module)
    assert own is not None, module
    return [
        (line, imported)
        for line, imported in project_imports(ast.parse(source))
        if (other := layer_of(imported)) is not None
        and other != own
        and LAYERS[other] >= LAYERS[own]
    ]


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_import_runs_up_or_across_the_layers(path):
    assert upward_imports(_module_of(path), path.read_text()) == []


def test_the_layer_reader_sees_an_upward_import():
    assert layer_of("constellation.analysis.audit") == "library"
    assert layer_of("constellation.services.audit") == "services"
    assert layer_of("api.routers.analysis") == "api"
    assert layer_of("networkx") is None
    assert (
        _module_of(ROOT / "src/constellation/services/audit.py") == "constellation.services.audit"
    )
    assert _module_of(ROOT / "api/routers/analysis.py") == "api.routers.analysis"
    source = (
        "from constellation.services.audit import audit\n"
        "import api.app\n"
        "from constellation.analysis.audit import run_audit\n"
    )
    assert upward_imports("constellation.analysis.whatif", source) == [
        (1, "constellation.services.audit"),
        (2, "api.app"),
    ]
    assert upward_imports("constellation.cli.analysis", source) == [(2, "api.app")]
    assert upward_imports("api.routers.analysis", source) == []
