"""Step 6, wheel: the wheel that `pip install .` builds ships every data file of the source
tree the processes read at run time (SQL, templates, catalogues...)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from k8scheck.report import Report


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
