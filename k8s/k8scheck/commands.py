"""Step 5, commands: every command of the manifests and the Containerfile is a real module of
the project (the file exists, defines the factory gunicorn calls or runs as __main__)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from k8scheck.objects import WORKLOADS, all_containers, ident, is_ours
from k8scheck.report import Report


def module_file(root: Path, module: str) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__main__.py"):
        if candidate.is_file():
            return candidate
    return None


def _top_level_functions(tree: ast.Module) -> set[str]:
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def _runs_as_main(path: Path, tree: ast.Module) -> bool:
    if path.name == "__main__.py":
        return True
    for node in tree.body:
        if (
            isinstance(node, ast.If)
            and "__main__" in ast.unparse(node.test)
            and "__name__" in ast.unparse(node.test)
        ):
            return True
    return False


def _migration_targets(root: Path) -> set[str]:
    path = root / "services" / "common" / "migrate.py"
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "SERVICES" for t in node.targets
        ):
            return {"bus", *ast.literal_eval(node.value)}
    return {"bus"}


def check_command(root: Path, argv: list[str]) -> list[str]:
    """What is wrong with one container command of ours (empty when it is a real command)."""
    if not argv:
        return ["no command (the image's CMD would run: name the process explicitly)"]
    exe = argv[0].rsplit("/", 1)[-1]
    if exe == "gunicorn":
        targets = [a for a in argv[1:] if not a.startswith("-")]
        if len(targets) != 1:
            return [
                f"gunicorn needs exactly one app target and options as --option=value, "
                f"got {targets}"
            ]
        match = re.fullmatch(r"([\w.]+):(\w+)\(\)", targets[0])
        if not match:
            return [f"gunicorn target {targets[0]!r} is not 'package.module:factory()'"]
        module, factory = match.groups()
        path = module_file(root, module)
        if path is None:
            return [f"gunicorn target module {module} does not exist in the project"]
        if factory not in _top_level_functions(ast.parse(path.read_text())):
            return [f"{module} defines no top-level {factory}()"]
        problems = []
        if "--no-control-socket" not in argv:
            problems.append("gunicorn without --no-control-socket (it would write under $HOME)")
        if not any(a.startswith("--bind=0.0.0.0:") for a in argv):
            problems.append("gunicorn must bind 0.0.0.0 inside a pod")
        return problems
    if exe.startswith("python") and len(argv) >= 3 and argv[1] == "-m":
        module, rest = argv[2], argv[3:]
        path = module_file(root, module)
        if path is None:
            return [f"module {module} does not exist in the project"]
        if not _runs_as_main(path, ast.parse(path.read_text())):
            return [f"module {module} does not run as __main__"]
        if module == "services.common.migrate":
            unknown = [a for a in rest if a not in _migration_targets(root)]
            if unknown:
                return [f"unknown migration targets {unknown}"]
        return []
    return [f"{argv[0]!r} is neither gunicorn nor `python -m <module>`"]


def check_commands(report: Report, source: str, docs: list[dict], root: Path) -> int:
    count = 0
    for obj in docs:
        if obj.get("kind") not in WORKLOADS:
            continue
        for c in all_containers(obj):
            if not is_ours(c):
                continue
            count += 1
            argv = [*(c.get("command") or []), *(c.get("args") or [])]
            for problem in check_command(root, argv):
                report.fail(
                    "commands", f"{source}: {ident(obj)} container {c.get('name')}: {problem}"
                )
    return count
