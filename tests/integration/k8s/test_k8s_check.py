"""`make k8s-check` (k8s/check.py): what it accepts, what it rejects.

The check installs its own tools into .venv/k8s-tools on first use (about a minute once), then
each run takes seconds. A broken copy of k8s/ must make it fail with the problem named.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHECK = ROOT / "k8s" / "check.py"
ALL_BUT = {
    "render": "schema,project,commands,image,wheel,policy",
}


def run_check(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHECK), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def only(*steps: str) -> str:
    every = ("schema", "project", "commands", "image", "wheel", "policy")
    return "--skip=" + ",".join(s for s in every if s not in steps)


@pytest.fixture()
def k8s_copy(tmp_path) -> Path:
    target = tmp_path / "k8s"
    shutil.copytree(ROOT / "k8s", target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))


def test_every_overlay_renders_and_every_object_validates():
    proc = run_check(only("schema"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    overlays = sorted(p.name for p in (ROOT / "k8s" / "overlays").iterdir() if p.is_dir())
    assert overlays == ["dev", "prod"]
    for name in ["base", *overlays]:
        assert f"ok   [render] {name}:" in proc.stdout
        assert f"ok   [schema] {name}:" in proc.stdout
    assert "ok   [schema] examples/secrets.example.yaml" in proc.stdout


def test_project_rules_commands_and_policy_linter_pass():
    proc = run_check(only("project", "commands", "policy"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok   [commands]" in proc.stdout
    assert "ok   [policy] checkov" in proc.stdout


def test_containerfile_is_sound_statically():
    proc = run_check(only("image"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok   [image] Containerfile" in proc.stdout


def test_pip_install_ships_the_data_files_the_processes_read():
    proc = run_check(only("wheel"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        pytest.param(
            "base/gateway.yaml",
            "          imagePullPolicy: Always\n",
            "          imagePullPolicy: Always\n          imagePullPolicyy: Always\n",
            "imagePullPolicyy",
            id="unknown-field",
        ),
        pytest.param(
            "base/members.yaml",
            "  replicas: 2\n",
            "  replicas: two\n",
            "'two' is not of type 'integer'",
            id="wrong-type",
        ),
        pytest.param(
            "base/polls.yaml",
            "              port: http\n",
            "              port: [http]\n",
            "Deployment/polls",
            id="wrong-type-nested",
        ),
        pytest.param(
            "overlays/prod/postgres-cluster.yaml",
            "  instances: 3\n",
            "",
            "required field spec.instances is missing",
            id="custom-resource-required",
        ),
        pytest.param(
            "overlays/prod/rabbitmq-cluster.yaml",
            "  replicas: 3\n",
            "  replicas: 3\n  replica: 3\n",
            "unknown field spec.replica",
            id="custom-resource-unknown-field",
        ),
        pytest.param(
            "overlays/prod/rabbitmq-cluster.yaml",
            "  replicas: 3\n",
            '  replicas: "3"\n',
            "spec.replicas must be integer",
            id="custom-resource-wrong-type",
        ),
    ],
)
def test_a_broken_manifest_fails_the_schema_check(k8s_copy, file, old, new, expected):
    edit(k8s_copy / file, old, new)
    proc = run_check(f"--k8s-dir={k8s_copy}", only("schema"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAIL [schema]" in proc.stdout
    assert expected in proc.stdout


def test_an_unknown_kind_without_rule_fails(k8s_copy):
    edit(k8s_copy / "overlays/prod/podmonitors.yaml", "kind: PodMonitor", "kind: PodMonitorr")
    proc = run_check(f"--k8s-dir={k8s_copy}", only("schema"))
    assert proc.returncode == 1
    assert "no hand-written rule" in proc.stdout


def test_a_command_naming_no_real_module_fails(k8s_copy):
    edit(k8s_copy / "base/workers.yaml", "services.polls.worker", "services.polls.workers")
    edit(
        k8s_copy / "base/members.yaml",
        "services.members.app:create_app()",
        "services.members.app:make_app()",
    )
    proc = run_check(f"--k8s-dir={k8s_copy}", only("commands"))
    assert proc.returncode == 1
    assert "module services.polls.workers does not exist" in proc.stdout
    assert "services.members.app defines no top-level make_app()" in proc.stdout


def test_an_unexplained_policy_finding_fails(k8s_copy):
    edit(
        k8s_copy / "base/gateway.yaml",
        "            readOnlyRootFilesystem: true\n",
        "            readOnlyRootFilesystem: false\n",
    )
    proc = run_check(f"--k8s-dir={k8s_copy}", only("project", "policy"))
    assert proc.returncode == 1
    assert "checkov CKV_K8S_22 on prod:Deployment.councils.gateway" in proc.stdout
    assert "Deployment/gateway container app: needs readOnlyRootFilesystem" in proc.stdout


def test_a_stale_explanation_fails(k8s_copy):
    with (k8s_copy / "checkov-skips.yaml").open("a") as f:
        f.write("- id: CKV_K8S_16\n  resources: ['prod:*']\n  reason: nothing needs it\n")
    proc = run_check(f"--k8s-dir={k8s_copy}", only("policy"))
    assert proc.returncode == 1
    assert "CKV_K8S_16" in proc.stdout and "explains no finding" in proc.stdout


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("USER 10001:10001", "USER root", "must be a numeric non-root uid", id="root"),
        pytest.param(
            "COPY --from=build /opt/councils /opt/councils",
            "COPY --from=build /opt/councils /opt/councils\n"
            "RUN apt-get update && apt-get install -y gcc",
            "build tools or package installs in the final stage",
            id="build-tools",
        ),
        pytest.param(
            '"gateway.wsgi:create_app()"',
            '"gateway.application:create_app()"',
            "gateway.application does not exist",
            id="cmd-module",
        ),
        pytest.param(
            "FROM docker.io/library/python:3.11-slim-bookworm AS runtime",
            "FROM docker.io/library/python:3.11 AS runtime",
            "not a python:3.11-slim image",
            id="not-slim",
        ),
    ],
)
def test_a_broken_containerfile_fails(tmp_path, old, new, expected):
    containerfile = tmp_path / "Containerfile"
    containerfile.write_text((ROOT / "Containerfile").read_text())
    edit(containerfile, old, new)
    proc = run_check(f"--containerfile={containerfile}", only("image"))
    assert proc.returncode == 1, proc.stdout
    assert expected in proc.stdout
