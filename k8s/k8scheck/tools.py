"""Step 1, tools: the pinned tools of k8s/tools-requirements.txt in their own venv
(.venv/k8s-tools, or $K8S_TOOLS_VENV), installed once and again only when that file changes.
Standard library only: this part runs under any Python 3.11, before the check re-runs itself
with that venv's Python."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS_VENV = Path(os.environ.get("K8S_TOOLS_VENV", ROOT / ".venv" / "k8s-tools"))
REQUIREMENTS = ROOT / "k8s" / "tools-requirements.txt"
STAMP = TOOLS_VENV / ".requirements.sha256"


def tools_python() -> Path:
    return TOOLS_VENV / "bin" / "python"


def tool(name: str) -> str:
    """The command of one of the tools: the venv's, else whatever PATH finds."""
    found = TOOLS_VENV / "bin" / name
    return str(found) if found.exists() else name


def ensure_tools(quiet: bool) -> None:
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if tools_python().exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    started = time.monotonic()
    print(f"k8s-check: installing tools into {TOOLS_VENV} (once)", flush=True)
    if not tools_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS_VENV)], check=True)
    pip = [str(tools_python()), "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        pip.append("--quiet")
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(wanted + "\n")
    print(f"k8s-check: tools installed in {time.monotonic() - started:.0f} s", flush=True)


def in_tools_venv() -> bool:
    return Path(sys.prefix).resolve() == TOOLS_VENV.resolve()
