"""How a chapter looks in answers, with its working status when known."""

from __future__ import annotations


def chapter_view(chapter: dict, status: dict | None = None) -> dict:
    view = {
        k: chapter[k]
        for k in (
            "id",
            "parent_id",
            "name",
            "level",
            "country",
            "place",
            "continent",
            "description",
            "founded_on",
            "created_at",
        )
    }
    if status is not None:
        view["member_count"] = status["members"]
        view["working"] = status["working"]
    return view
