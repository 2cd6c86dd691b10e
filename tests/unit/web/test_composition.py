"""One composition root (gateway/wsgi.py): the API edge and the pages know nothing of each
other, share one client module and one set of security headers."""

from __future__ import annotations

import ast
from pathlib import Path

from gateway.config import GatewaySettings
from gateway.headers import HSTS, SECURITY_HEADERS
from gateway.web import WebSettings
from gateway.wsgi import create_app

GATEWAY = Path(__file__).resolve().parents[3] / "gateway"
NOWHERE = {
    "members": "http://127.0.0.1:9",
    "polls": "http://127.0.0.1:9",
    "notify": "http://127.0.0.1:9",
}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_neither_the_edge_nor_the_pages_import_the_other():
    edge = set().union(*(imports(p) for p in GATEWAY.glob("*.py") if p.name != "wsgi.py"))
    assert not any(m.startswith("gateway.web") for m in edge), edge
    web = set().union(*(imports(p) for p in (GATEWAY / "web").rglob("*.py")))
    assert not {"gateway.app", "gateway.wsgi", "gateway.proxy", "gateway.cli"} & web
    # The pages and the edge reach services over HTTP only (the shared runtime is allowed).
    assert all(m.startswith("services.common") for m in web | edge if m.startswith("services"))


def test_the_api_and_the_pages_carry_the_same_security_headers():
    for https in (False, True):
        app = create_app(
            GatewaySettings(service_urls=NOWHERE, jwt_public_key=None, behind_tls=https),
            WebSettings(secret_key="t", secure_cookies=https),
        )
        client = app.test_client()
        api, page = client.get("/livez"), client.get("/login")
        assert api.status_code == page.status_code == 200
        for name, value in SECURITY_HEADERS.items():
            assert api.headers[name] == page.headers[name] == value
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        hsts = {
            api.headers.get("Strict-Transport-Security"),
            page.headers.get("Strict-Transport-Security"),
        }
        assert hsts == ({HSTS} if https else {None})
