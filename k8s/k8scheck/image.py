"""Step 6, image: the Containerfile, statically (no container engine here): it parses;
multi-stage on python:3.11-slim; final stage non-root, without build tools; `pip install .`;
COPY sources that exist and are not ignored; CMD in exec form naming a real command."""

from __future__ import annotations

import fnmatch
import io
import json
import re
from pathlib import Path

from k8scheck.commands import check_command
from k8scheck.report import Report

BUILD_TOOLS = re.compile(
    r"\b(build-essential|gcc|g\+\+|clang|make|libpq-dev|python3-dev|"
    r"apt-get\s+install|apk\s+add)\b"
)
SLIM_PYTHON = re.compile(
    r"^(docker\.io/)?(library/)?python:3\.11(\.\d+)?-slim(-\w+)?(@sha256:[0-9a-f]{64})?$"
)


KNOWN_INSTRUCTIONS = {
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
    "COMMENT",
}


def _stages(instructions: list[dict], problems: list[str]) -> list[dict]:
    """The build's stages: image, alias and instructions each."""
    stages: list[dict] = []
    for ins in instructions:
        name = ins["instruction"]
        if name not in KNOWN_INSTRUCTIONS:
            problems.append(f"line {ins['startline'] + 1}: unknown instruction {name}")
            continue
        if name == "FROM":
            parts = ins["value"].split()
            alias = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            stages.append({"image": parts[0], "alias": alias, "ins": []})
        elif not stages and name not in ("ARG", "COMMENT"):
            problems.append(f"line {ins['startline'] + 1}: {name} before FROM")
        elif stages:
            stages[-1]["ins"].append(ins)
    return stages


def _final_stage_problems(final: dict, aliases: set) -> list[str]:
    """A numeric non-root USER, no build tools, COPY --from an existing stage."""
    problems = []
    users = [i["value"].strip() for i in final["ins"] if i["instruction"] == "USER"]
    if not users:
        problems.append("the final stage sets no USER (it would run as root)")
    else:
        user = users[-1].split(":")[0]
        if not user.isdigit() or int(user) == 0:
            problems.append(
                f"final USER {users[-1]!r} must be a numeric non-root uid "
                "(so that runAsNonRoot can verify it)"
            )
    for ins in final["ins"]:
        if ins["instruction"] == "RUN" and BUILD_TOOLS.search(ins["value"]):
            problems.append(
                f"line {ins['startline'] + 1}: build tools or package installs in the final stage"
            )
        if ins["instruction"] in ("COPY", "ADD"):
            src = re.search(r"--from=(\S+)", ins["value"])
            if src and src.group(1) not in aliases:
                problems.append(
                    f"line {ins['startline'] + 1}: COPY --from={src.group(1)}: no such stage"
                )
    return problems


def _copy_source_problems(stages: list[dict], root: Path) -> list[str]:
    problems = []
    ignored = _ignore_patterns(root)
    for s in stages:
        for ins in s["ins"]:
            if ins["instruction"] not in ("COPY", "ADD") or "--from=" in ins["value"]:
                continue
            sources = [p for p in ins["value"].split()[:-1] if not p.startswith("--")]
            for src in sources:
                if not (root / src).exists():
                    problems.append(
                        f"line {ins['startline'] + 1}: COPY source {src} does not exist"
                    )
                elif any(fnmatch.fnmatch(src.rstrip("/"), pat) for pat in ignored):
                    problems.append(
                        f"line {ins['startline'] + 1}: COPY source {src} is "
                        "excluded by .containerignore"
                    )
    return problems


def _command_problems(final: dict, root: Path) -> list[str]:
    problems = []
    cmds = [i for i in final["ins"] if i["instruction"] in ("CMD", "ENTRYPOINT")]
    if any(i["instruction"] == "ENTRYPOINT" for i in cmds):
        problems.append("ENTRYPOINT set: manifests' `command:` must replace the whole command")
    for ins in cmds:
        try:
            argv = json.loads(ins["value"])
        except json.JSONDecodeError:
            problems.append(
                f"line {ins['startline'] + 1}: {ins['instruction']} must be in exec "
                "(JSON) form so that signals reach the process"
            )
            continue
        problems += [f"CMD: {p}" for p in check_command(root, argv)]
    return problems


def check_containerfile(report: Report, path: Path, root: Path) -> None:
    from dockerfile_parse import DockerfileParser

    problems: list[str] = []
    text = path.read_text()
    parser = DockerfileParser(fileobj=io.BytesIO(text.encode()))
    instructions = parser.structure
    if not instructions:
        report.fail("image", f"{path.name}: no instructions")
        return
    stages = _stages(instructions, problems)
    if len(stages) < 2:
        problems.append(f"{len(stages)} stage(s): a multi-stage build is required")
    aliases = {s["alias"] for s in stages if s["alias"]}
    for stage in stages:
        if not SLIM_PYTHON.match(stage["image"]) and stage["image"] not in aliases:
            problems.append(f"FROM {stage['image']}: not a python:3.11-slim image")
    final = stages[-1] if stages else {"ins": []}
    problems += _final_stage_problems(final, aliases)
    if not any(
        ins["instruction"] == "RUN" and re.search(r"pip install (\S+ )*\.(\s|$)", ins["value"])
        for s in stages
        for ins in s["ins"]
    ):
        problems.append("no `pip install .` of the project")
    problems += _copy_source_problems(stages, root)
    problems += _command_problems(final, root)
    for problem in problems:
        report.fail("image", f"{path.name}: {problem}")
    if not problems:
        report.ok(
            "image",
            f"{path.name}: {len(stages)} stages on python:3.11-slim, non-root, "
            "no build tools in the final stage, real CMD",
        )


def _ignore_patterns(root: Path) -> list[str]:
    path = root / ".containerignore"
    if not path.exists():
        return []
    return [
        line.strip().rstrip("/")
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#") and not line.startswith("!")
    ]
