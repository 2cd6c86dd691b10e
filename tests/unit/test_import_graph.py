"""The import graph of services/ and gateway/, read with `ast` (imports at module level and inside
functions alike): no cycle, and no import the architecture forbids.

Forbidden (docs/ARCHITECTURE.md: the pages and the CLI reach the system only over HTTP, the
services talk only over the bus):
- gateway/web and gateway/cli importing from services/, except the few shared pieces of
  services/common listed in WEB_AND_CLI_MAY_USE;
- a service (members, polls, notify) importing another service, or services/common importing a
  service;
- anything in services/ importing the gateway;
- the API edge and the web app importing each other (gateway/wsgi.py composes them).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("services", "gateway")
SERVICES = ("services.members", "services.polls", "services.notify")

# What the pages and the CLI may take from services/common, and why: pure helpers with no I/O,
# no settings and no service behind them, shared so that the two sides cannot drift apart.
WEB_AND_CLI_MAY_USE = {
    # Catalogues, date formats and moment parsing shared with notify's mail (gateway/web/i18n.py).
    "services.common.i18n",
    # Spreadsheet-formula neutralising for the CSV the CLI writes, as the services do for theirs.
    "services.common.csvcells",
    # The federation's levels parsed from FEDERATION_LEVELS alike on both sides (issue 18).
    "services.common.federation",
    # A newsletter's marks (**, _, [words](url)) as HTML, escaped first: the archive's pages show
    # a newsletter as notify's mail does.
    "services.common.newsletter_text",
}

# Cycles that exist today and are being removed (issue 14). Each entry is the set of modules of
# one cycle; the test fails on any other cycle, and on an entry here that no longer is one, so
# that this allowance only shrinks. Empty now: keep it so.
KNOWN_CYCLES: set[frozenset[str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that `name` loads (a.b.c's nearest existing ancestor), if any."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, modules: dict[str, Path]) -> set[str]:
    """The modules of ours `module` imports anywhere in its body."""
    path = modules[module]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, module, path.name == "__init__.py")
            # `from package import module` loads that module; `from module import name` the module.
            names = [f"{source}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            target = _known(name, modules)
            if target is not None and target != module:
                found.add(target)
    return found


@functools.cache
def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {module: imports_of(module, modules) for module in modules}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected component of more than one module, as one cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan; the graph is a few hundred modules deep at most
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(_cycle_through(sorted(component), graph))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _cycle_through(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A path from the component's first module back to itself, within the component."""
    start, inside = component[0], set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        node = frontier.pop(0)
        for target in sorted(graph[node] & inside):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                frontier.append(target)
    return component


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def forbidden(importer: str, imported: str) -> str | None:
    """Why `importer` must not import `imported`, or None when it may."""
    if _within(importer, "gateway.web") or _within(importer, "gateway.cli"):
        if _within(imported, "services") and imported not in WEB_AND_CLI_MAY_USE:
            return "the pages and the CLI reach the services over HTTP only"
        if _within(importer, "gateway.web") and imported == "gateway.app":
            return "gateway/wsgi.py composes the web app and the API edge"
    if _within(importer, "services"):
        if _within(imported, "gateway"):
            return "services never import the gateway"
        own = next((s for s in SERVICES if _within(importer, s)), None)
        other = next((s for s in SERVICES if _within(imported, s)), None)
        if other is not None and other != own:
            return "services talk over the bus, never by import"
    if importer == "gateway.app" and _within(imported, "gateway.web"):
        return "gateway/wsgi.py composes the web app and the API edge"
    return None


def test_no_import_cycles_beyond_the_known_ones():
    found = cycles(import_graph())
    new = [c for c in found if frozenset(c) not in KNOWN_CYCLES]
    assert not new, "import cycles:\n" + "\n".join(" -> ".join(c) for c in new)
    gone = KNOWN_CYCLES - {frozenset(c) for c in found}
    assert not gone, f"no longer cycles, remove them from KNOWN_CYCLES: {sorted(map(sorted, gone))}"


def test_no_import_the_architecture_forbids():
    graph = import_graph()
    wrong = [
        f"{importer} imports {imported}: {why}"
        for importer in sorted(graph)
        for imported in sorted(graph[importer])
        if (why := forbidden(importer, imported))
    ]
    assert not wrong, "\n".join(wrong)


def test_the_graph_sees_imports_inside_functions_and_relative_ones(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from . import b\n")
    (tmp_path / "pkg" / "a.py").write_text(
        "import os\nfrom .b import thing\n\ndef late():\n    from pkg import c\n"
    )
    for name in ("b", "c"):
        (tmp_path / "pkg" / f"{name}.py").write_text("")
    modules = {
        "pkg": tmp_path / "pkg" / "__init__.py",
        **{f"pkg.{n}": tmp_path / "pkg" / f"{n}.py" for n in "abc"},
    }
    assert imports_of("pkg.a", modules) == {"pkg.b", "pkg.c"}
    assert imports_of("pkg", modules) == {"pkg.b"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_rules_name_what_they_forbid():
    assert forbidden("services.polls.store", "services.members.store")
    assert forbidden("services.common.bus", "services.notify.events")
    assert forbidden("services.members.app", "gateway.client")
    assert forbidden("gateway.cli.main", "services.polls.voting")
    assert forbidden("gateway.web.views.polls", "services.common.db")
    assert not forbidden("gateway.web.i18n", "services.common.i18n")
    assert not forbidden("gateway.app", "services.common.auth")  # the edge checks tokens
    assert not forbidden("services.polls.voting.ranked", "services.polls.voting.profile")
