"""Checking a ballot's answers against the poll's questions: 422s that name the question.

An answer is `{question_id, <form>}` where the form is the voting core's ballot shape for the
question's method: `choice` (plurality, majority; null abstains), `approve` (approval; a list),
`ranking` (irv, stv, schulze, borda; a list, best first, truncation allowed), `response`
(`agree`, `stand_aside`, `concern`, `block`, with `reason` for a concern or a block) for a
consensus round, or `choice` (`yes`, `no`, `abstain`) for a consensus process's fallback vote
(`consensus_vote`). `"abstain": true` answers any question with an abstention (it counts towards
turnout, for no option). A ballot may skip questions (even all of them: a blank ballot, which
counts as a voter); it may not answer one twice.
"""

from __future__ import annotations

import re

from services.common.errors import ApiError

FALLBACK_OPTIONS = ["yes", "no", "abstain"]
RESPONSES = ("agree", "stand_aside", "concern", "block")
FORMS = ("choice", "approve", "ranking", "response")
_COUNTED = ("quorum", "seed")
_CONSENSUS_RULES = ("max_stand_asides", "max_rounds", "fallback", "fallback_quorum")

# The one table of voting methods (the web front end and the CLI read it from
# GET /api/v1/polls/methods): the answer form each takes, the settings a question of it takes,
# whether a poll may be launched with it (a fallback vote only follows a consensus round, with
# the round's rules), and the options it always has.
METHOD_TABLE: dict[str, dict] = {
    "plurality": {"form": "choice", "settings": ("threshold", *_COUNTED), "launchable": True},
    "majority": {"form": "choice", "settings": ("threshold", *_COUNTED), "launchable": True},
    "approval": {"form": "approve", "settings": ("seats", *_COUNTED), "launchable": True},
    "irv": {"form": "ranking", "settings": _COUNTED, "launchable": True},
    "stv": {"form": "ranking", "settings": ("seats", *_COUNTED), "launchable": True},
    "schulze": {"form": "ranking", "settings": _COUNTED, "launchable": True},
    "borda": {"form": "ranking", "settings": _COUNTED, "launchable": True},
    "consensus": {
        "form": "response",
        "settings": _CONSENSUS_RULES,
        "launchable": True,
        "options": RESPONSES,
    },
    "consensus_vote": {
        "form": "choice",
        "settings": _CONSENSUS_RULES,
        "launchable": False,
        "options": tuple(FALLBACK_OPTIONS),
    },
}
METHODS = set(METHOD_TABLE)
CHOICE_METHODS = {"plurality", "majority"}
RANKED_METHODS = {m for m, entry in METHOD_TABLE.items() if entry["form"] == "ranking"}
CONSENSUS_METHODS = {"consensus", "consensus_vote"}
# In a reason (multi-line text): line feeds are kept, every other C0/C1 control character and
# any lone surrogate refused (they would also widen the bound of services/polls/padding.py).
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def form_for(method: str) -> str:
    entry = METHOD_TABLE.get(method)
    return entry["form"] if entry else "ranking"


def methods_document() -> dict:
    """GET /api/v1/polls/methods: every method with its answer form and settings."""
    return {
        "methods": [
            {
                "method": name,
                "form": entry["form"],
                "settings": list(entry["settings"]),
                "launchable": entry["launchable"],
                "options": list(entry.get("options") or []),
            }
            for name, entry in METHOD_TABLE.items()
        ]
    }


class _Problems:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.first: str | None = None

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)
        if self.first is None:
            self.first = message


def _check_names(problems, where, names, options, qlabel) -> None:
    seen = set()
    for name in names:
        if not isinstance(name, str):
            problems.add(where, f"{qlabel}: options are named by strings, got {name!r}")
            return
        if name not in options:
            problems.add(where, f"{qlabel}: {name!r} is not one of the options")
            return
        if name in seen:
            problems.add(where, f"{qlabel}: option {name!r} appears more than once")
            return
        seen.add(name)


def _clean_reason(reason: str | None):
    """Line breaks normalised to \\n; False when another control character or a lone
    surrogate is in it."""
    if reason is None:
        return None
    reason = reason.replace("\r\n", "\n").replace("\r", "\n")
    return False if _FORBIDDEN.search(reason) else reason


def check_answers(questions: list[dict], answers: list) -> list[dict]:
    """The answers in canonical form (question ids as strings, one form each), or a 422."""
    by_id = {str(q["id"]): q for q in questions}
    problems = _Problems()
    clean: list[dict] = []
    seen: set[str] = set()
    if not isinstance(answers, list):
        raise ApiError(
            422, "answers must be a list.", "validation_failed", {"answers": ["Not a list."]}
        )
    for position, answer in enumerate(answers):
        item = _check_answer(problems, f"answers[{position}]", answer, by_id, seen)
        if item is not None:
            clean.append(item)
    if problems.fields:
        raise ApiError(
            422, problems.first or "The ballot is not valid.", "invalid_ballot", problems.fields
        )
    return clean


def _check_answer(
    problems: _Problems, base: str, answer: object, by_id: dict[str, dict], seen: set[str]
) -> dict | None:
    """One answer in canonical form, or None with its problem noted."""
    if not isinstance(answer, dict):
        problems.add(base, "An answer must be an object.")
        return None
    qid = str(answer.get("question_id", ""))
    question = by_id.get(qid)
    if question is None:
        problems.add(f"{base}.question_id", f"No question {qid!r} in this poll.")
        return None
    qlabel = f"question {question['position'] + 1} ({qid})"
    if qid in seen:
        problems.add(f"{base}.question_id", f"{qlabel} is answered twice.")
        return None
    seen.add(qid)
    method = question["method"]
    form = form_for(method)
    given = [name for name in FORMS if name in answer]
    if answer.get("abstain") is True and not given:
        return {"question_id": qid, "abstain": True}
    if given != [form]:
        wrong = ", ".join(given) or "nothing"
        problems.add(
            f"{base}.{form}", f"{qlabel} ({method}) is answered with '{form}', got {wrong}."
        )
        return None
    value = answer[form]
    where = f"{base}.{form}"
    if form == "response":
        return _check_response(problems, base, qid, qlabel, value, answer.get("reason"))
    if form == "choice":
        if value is None:
            return {"question_id": qid, "choice": None}
        _check_names(problems, where, [value], question["options"], qlabel)
    else:
        if not isinstance(value, list):
            problems.add(where, f"{qlabel}: expected a list of options.")
            return None
        _check_names(problems, where, value, question["options"], qlabel)
    return {"question_id": qid, form: value}


def _check_response(
    problems: _Problems, base: str, qid: str, qlabel: str, value: object, reason: object
) -> dict | None:
    """A consensus response with its reason (needed for a concern or a block)."""
    if value not in RESPONSES:
        problems.add(
            f"{base}.response", f"{qlabel}: response must be one of {', '.join(RESPONSES)}."
        )
        return None
    if reason is not None and not isinstance(reason, str):
        problems.add(f"{base}.reason", f"{qlabel}: reason must be text.")
        return None
    cleaned = _clean_reason(reason)
    if cleaned is False:
        problems.add(
            f"{base}.reason",
            f"{qlabel}: reason holds a control character or a lone surrogate.",
        )
        return None
    if value in ("concern", "block") and not (cleaned or "").strip():
        problems.add(f"{base}.reason", f"{qlabel}: a {value} needs a reason.")
        return None
    item = {"question_id": qid, "response": value}
    if cleaned:
        item["reason"] = cleaned.strip()[:4000]
    return item
