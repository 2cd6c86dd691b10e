"""Browser fixtures: Debian's Chromium driven by Playwright for Python (no browser download),
axe-core from the npm registry for accessibility scans, screenshots kept as artefacts.

Without chromium, playwright or npm on the machine the browser tests fail, saying what is
missing; they never skip: `make test` installs Chromium and npm first (`make browser`), and a
gateway that stops serving the pages fails them too (`web_url`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
import requests

ARTIFACTS = Path(
    os.environ.get("COUNCILS_E2E_ARTIFACTS", Path(__file__).resolve().parent / "artifacts")
)
AXE_CACHE = Path(
    os.environ.get("COUNCILS_AXE_CACHE", Path.home() / ".cache" / "councils" / "axe-core")
)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ADMIN = ("e2e-admin@example.org", "E2e-admin-password-1!")


def _unavailable(reason: str):
    pytest.fail(f"{reason}: the browser tests must run (`make browser` installs what they need)")


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def web_url(stack):
    """Where the pages are: the gateway itself (gateway/wsgi.py mounts them). A gateway that
    stops serving them fails the browser tests rather than being worked around."""
    page = requests.get(stack.url + "/", timeout=10)
    assert page.status_code == 200 and 'class="brand"' in page.text, (
        f"the gateway at {stack.url} does not serve the pages: {page.status_code}"
    )
    return stack.url


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    executable = chromium_path()
    if executable is None:
        _unavailable("chromium is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright for Python is not installed (pip install playwright)")
    home = tmp_path_factory.mktemp("chromium-home")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=CHROMIUM_FLAGS,
            headless=True,
            env={**os.environ, "HOME": str(home)},
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_source(tmp_path_factory) -> str:
    """axe.min.js from the npm registry package axe-core (`npm pack`), cached between runs."""
    script = AXE_CACHE / "package" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm is not installed: axe-core cannot be fetched")
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "pack", "axe-core@4", "--silent"],
            cwd=AXE_CACHE,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            _unavailable(f"npm pack axe-core failed: {done.stderr.strip()[:300]}")
        tarball = AXE_CACHE / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            archive.extractall(AXE_CACHE, filter="data")
    return script.read_text()


@pytest.fixture()
def page(browser, artifacts):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    yield page
    context.close()
