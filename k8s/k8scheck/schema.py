"""Step 3, schema: every object against the Kubernetes JSON schemas of kubernetes-validate,
strictly (unknown fields fail), for the oldest and newest Kubernetes we support; the operators'
custom resources against the hand-written rules of k8s/custom-resources.yaml."""

from __future__ import annotations

from pathlib import Path

from k8scheck.objects import ident
from k8scheck.report import Report

# The oldest Kubernetes we support (native preStop sleep, matchLabelKeys) and the newest known.
KUBE_VERSIONS = ("1.30.0", "1.37.0")


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
