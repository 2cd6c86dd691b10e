"""What the steps share about rendered objects: their name in messages, the workloads, their
pod spec and containers, and which containers run the project's image."""

from __future__ import annotations

WORKLOADS = ("Deployment", "StatefulSet", "Job", "DaemonSet")


def ident(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return f"{obj.get('kind')}/{meta.get('name')}"


def is_ours(container: dict) -> bool:
    image = container.get("image", "")
    name = image.rsplit("/", 1)[-1].split("@")[0].split(":")[0]
    return name == "councils"


def pod_spec(obj: dict) -> dict:
    return ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}


def all_containers(obj: dict) -> list[dict]:
    spec = pod_spec(obj)
    return list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
