"""The "affected chapters" rows of the poll form (docs/governance.md "Affected scopes"): which
chapters inside the poll's scope weigh more, how much and why (pure functions)."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.web.i18n import Translator
from gateway.web.numbers import whole_number

MAX_ROWS = 20  # the API's own limit
REASON_MAX = 500


def blank_affected() -> dict:
    return {"chapter_id": "", "weight": "", "reason": ""}


def read_affected(form) -> list[dict]:
    """The rows filled in (blank or removed rows dropped)."""
    count = min(whole_number(form.get("affected_count")) or 0, MAX_ROWS)
    rows = []
    for i in range(count):
        row = {k: (form.get(f"affected-{i}-{k}") or "").strip() for k in blank_affected()}
        if form.get(f"affected-{i}-remove") or not any(row.values()):
            continue
        rows.append(row)
    return rows


def chapters_inside(chapters: list[dict], scope_type: str, chapter_id: str) -> list[dict]:
    """The chapters a poll of this scope may weight: any for the organisation, those strictly
    below the chapter for a chapter's poll, none for a current's."""
    if scope_type == "organisation":
        return list(chapters)
    if scope_type != "chapter" or not chapter_id:
        return []
    children: dict[str, list[dict]] = {}
    for chapter in chapters:
        children.setdefault(str(chapter.get("parent_id") or ""), []).append(chapter)
    found, waiting = [], list(children.get(chapter_id, []))
    while waiting:
        chapter = waiting.pop(0)
        found.append(chapter)
        waiting.extend(children.get(str(chapter.get("id")), []))
    return sorted(found, key=lambda c: str(c.get("name") or ""))


def check_affected(
    _: Translator, rows: list[dict], inside: list[dict], max_weight: int
) -> dict[str, str]:
    """Errors keyed by field (affected-0-weight …), as the API would name them."""
    errors: dict[str, str] = {}
    allowed = {str(c.get("id")) for c in inside}
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row["chapter_id"] not in allowed:
            errors[f"affected-{i}-chapter_id"] = _("Choose a chapter inside who votes.")
        elif row["chapter_id"] in seen:
            errors[f"affected-{i}-chapter_id"] = _("Each chapter is listed once.")
        seen.add(row["chapter_id"])
        weight = row["weight"]
        if not 2 <= (whole_number(weight) or 0) <= max_weight:
            errors[f"affected-{i}-weight"] = _("Choose a weight from 2 to {most}.", most=max_weight)
        if not row["reason"]:
            errors[f"affected-{i}-reason"] = _("Say why this chapter is more affected.")
        elif len(row["reason"]) > REASON_MAX:
            errors[f"affected-{i}-reason"] = _("Keep the reason under 500 characters.")
    return errors


def affected_body(rows: list[dict]) -> list[dict]:
    """The API's `affected` list from rows already checked."""
    return [
        {"chapter_id": r["chapter_id"], "weight": int(r["weight"]), "reason": r["reason"]}
        for r in rows
    ]


def affected_shown(rows: list[Mapping], chapters: list[dict]) -> list[dict]:
    """Rows with their chapter's name, for the review."""
    names = {str(c.get("id")): c.get("name") for c in chapters}
    return [
        {**row, "chapter_name": names.get(str(row["chapter_id"])) or row["chapter_id"]}
        for row in rows
    ]
