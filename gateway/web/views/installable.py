"""What makes the site installable and readable offline: the web app manifest, the service
worker (served from the root so that it may look after every page) and the offline page."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache

from flask import Blueprint, Response, current_app, url_for

from gateway.web.context import render, translator

bp = Blueprint("installable", __name__)

STATIC_KEPT = ("councils.css", "councils.js", "favicon.svg", "icon-192.png", "icon-512.png")


@cache
def _worker_source(static_folder: str, urls: tuple[str, ...]) -> str:
    """sw.js with the files it keeps and a version that changes whenever one of them does (so
    browsers fetch the new worker, which drops the old copies)."""
    digest = hashlib.sha256()
    for name in (*STATIC_KEPT, "sw.js"):
        with open(os.path.join(static_folder, name), "rb") as handle:
            digest.update(handle.read())
    with open(os.path.join(static_folder, "sw.js"), encoding="utf-8") as handle:
        source = handle.read()
    return source.replace("__VERSION__", digest.hexdigest()[:16]).replace(
        "__ASSETS__", json.dumps(list(urls))
    )


@bp.get("/sw.js")
def service_worker():
    urls = tuple(url_for("static", filename=name) for name in STATIC_KEPT)
    body = _worker_source(current_app.static_folder, urls)
    return Response(
        body,
        mimetype="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@bp.get("/manifest.webmanifest")
def manifest():
    _ = translator()
    body = {
        "name": "Councils",
        "short_name": "Councils",
        "lang": _.language,
        "description": _("Councils: deliberation and voting for grassroots organisations."),
        "start_url": url_for("site.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f3a5f",
        "icons": [
            {
                "src": url_for("static", filename="favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            },
            {
                "src": url_for("static", filename="icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": url_for("static", filename="icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
        ],
    }
    return Response(
        json.dumps(body, ensure_ascii=False),
        mimetype="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


@bp.get("/offline")
def offline():
    """The page shown instead of any other when there is no connection (kept by the worker)."""
    return render("offline.html", offline=True)
