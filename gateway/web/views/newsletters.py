"""The newsletter archive: what the organisation sent to all its members, readable by anyone."""

from __future__ import annotations

from flask import Blueprint

from gateway.web.context import api, render, translator
from gateway.web.listpage import list_page

bp = Blueprint("newsletters", __name__)

PAGE = 10


@bp.get("/newsletters")
def archive():
    language = translator().language
    paging = list_page(PAGE)
    rows = api().get("/api/v1/newsletters/archive", limit=paging.ask, offset=paging.offset)
    shown, more = paging.rows(rows)
    for item in shown:  # the reader's language when the admin wrote it, else the original
        translated = (item.get("translations") or {}).get(language) or {}
        item["subject"] = translated.get("subject") or item["subject"]
        item["body"] = translated.get("body") or item["body"]
    return render("newsletters.html", newsletters=shown, more=more, paging=paging)
