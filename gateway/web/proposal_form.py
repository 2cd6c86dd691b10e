"""The proposal form: one question with its options, or a consensus text (pure functions)."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.web.forms import check_scope, launchable, option_lines, scope_of
from gateway.web.i18n import Translator

LIMITS = {"title": 300, "text": 20000, "question": 4000, "option": 500}
KINDS = ("question", "consensus")


def blank() -> dict:
    return {
        "title": "",
        "text": "",
        "kind": "question",
        "question": "",
        "method": "plurality",
        "options": "",
        "scope_type": "organisation",
        "chapter_id": "",
        "current_id": "",
    }


def read(form: Mapping) -> dict:
    draft = {k: (form.get(k) or "").strip() for k in blank()}
    draft["kind"] = draft["kind"] if draft["kind"] in KINDS else "question"
    draft["scope_type"] = draft["scope_type"] or "organisation"
    return draft


def from_proposal(proposal: dict) -> dict:
    """The form's fields for an existing proposal (its first question)."""
    question = (proposal.get("questions") or [{}])[0]
    consensus = question.get("method") == "consensus"
    scope = proposal.get("scope") or {}
    return {
        **blank(),
        "title": proposal.get("title", ""),
        "text": proposal.get("text", ""),
        "kind": "consensus" if consensus else "question",
        "question": question.get("text", ""),
        "method": question.get("method", "plurality"),
        "options": "\n".join(question.get("options") or []),
        "scope_type": scope.get("type", "organisation"),
        "chapter_id": scope.get("id", "") if scope.get("type") == "chapter" else "",
        "current_id": scope.get("id", "") if scope.get("type") == "current" else "",
    }


def methods_of_questions(methods: Mapping[str, Mapping]) -> list[str]:
    """The methods a proposal's question may take: launchable, with options of its own (a
    consensus proposal is the other kind)."""
    return [m for m in launchable(methods) if not (methods[m].get("options"))]


def check(
    _: Translator, draft: dict, methods: Mapping[str, Mapping], *, with_scope: bool = True
) -> dict[str, str]:
    errors: dict[str, str] = check_scope(_, draft) if with_scope else {}
    if not draft["title"]:
        errors["title"] = _("Give the proposal a title.")
    if not draft["question"]:
        errors["question"] = _("Write the question.")
    if draft["kind"] == "consensus":
        if not draft["text"]:
            errors["text"] = _("Write the text the members are asked to agree to.")
        return errors
    if draft["method"] not in methods_of_questions(methods):
        errors["method"] = _("Choose a method.")
    options = option_lines(draft["options"])
    if len(options) < 2:
        errors["options"] = _("Give at least two options, one per line.")
    elif len(set(options)) != len(options):
        errors["options"] = _("Each option must be different.")
    return errors


def question_of(draft: dict) -> dict:
    if draft["kind"] == "consensus":
        return {"text": draft["question"], "method": "consensus"}
    return {
        "text": draft["question"],
        "method": draft["method"],
        "options": option_lines(draft["options"]),
    }


def body(draft: dict, rest: list | None = None) -> dict:
    """The API's body; `rest` are the proposal's further questions, kept unchanged."""
    return {
        "title": draft["title"],
        "text": draft["text"],
        "scope": scope_of(draft),
        "questions": [question_of(draft), *(rest or [])],
    }


def api_errors(problem_fields: dict) -> dict[str, str]:
    """The API's field errors on the form's fields."""
    names = {"title": "title", "text": "text", "scope": "scope_type"}
    errors: dict[str, str] = {}
    for key, messages in (problem_fields or {}).items():
        flat = " ".join(_flatten(messages))
        field = names.get(key)
        if key == "questions":
            field = "options" if "options" in flat.lower() else "question"
        errors[field or "title"] = flat
    return errors


def _flatten(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for v in messages.values() for m in _flatten(v)]
    if isinstance(messages, list):
        return [m for v in messages for m in _flatten(v)]
    return [str(messages)]


def status_label(_: Translator, status: str) -> str:
    return {"draft": _("Draft"), "opened": _("Opened as a poll"), "withdrawn": _("Withdrawn")}.get(
        status, status
    )
