"""Step 7, policy: checkov on the rendered overlays and the Containerfile; every finding must
be explained in k8s/checkov-skips.yaml, and every explanation must still match."""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import tempfile
from pathlib import Path

from k8scheck.report import Report
from k8scheck.tools import tool


def run_checkov(
    report: Report, rendered: dict[str, list[dict]], containerfile: Path, k8s_dir: Path
) -> None:
    import yaml

    skips = yaml.safe_load((k8s_dir / "checkov-skips.yaml").read_text()) or []
    for entry in skips:
        if not str(entry.get("reason", "")).strip():
            report.fail("policy", f"checkov-skips.yaml: {entry.get('id')} has no reason")
    proc = _checkov(rendered, containerfile)
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
            failures += _judge(report, finding, skips, used)
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


def _checkov(rendered: dict[str, list[dict]], containerfile: Path) -> subprocess.CompletedProcess:
    """checkov's JSON verdict on the overlays and the Containerfile, written out for it."""
    import yaml

    with tempfile.TemporaryDirectory(prefix="councils-checkov-") as tmp:
        for name, docs in rendered.items():
            (Path(tmp) / f"{name}.yaml").write_text(yaml.safe_dump_all(docs, sort_keys=False))
        (Path(tmp) / "Dockerfile").write_text(containerfile.read_text())
        return subprocess.run(
            [
                tool("checkov"),
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


def _judge(report: Report, finding: dict, skips: list[dict], used: list[int]) -> int:
    """1 when no entry of checkov-skips.yaml explains the finding (reported), else 0 (the
    entry counted in `used`)."""
    source = Path(finding.get("file_path", "")).stem
    source = "Containerfile" if source == "Dockerfile" else source
    resource = f"{source}:{finding.get('resource')}"
    if source == "Containerfile":
        resource = "Containerfile:" + str(finding.get("resource", "")).rsplit("/", 1)[-1]
    for i, entry in enumerate(skips):
        if entry.get("id") == finding["check_id"] and any(
            fnmatch.fnmatchcase(resource, pat) for pat in entry.get("resources", [])
        ):
            used[i] += 1
            return 0
    report.fail(
        "policy",
        f"checkov {finding['check_id']} on {resource}: "
        f"{finding.get('check_name')} (fix it, or explain it in "
        "k8s/checkov-skips.yaml)",
    )
    return 1
