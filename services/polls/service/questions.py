"""Checking a poll's questions before it is created: 422s naming the question and field."""

from __future__ import annotations

from typing import Any

from services.common.errors import ApiError
from services.polls.answers import CONSENSUS_METHODS, FALLBACK_OPTIONS, METHODS, RESPONSES

MAX_OPTIONS = 200
MAX_QUESTIONS = 100
SETTING_KEYS = (
    "seats",
    "threshold",
    "quorum",
    "max_stand_asides",
    "max_rounds",
    "fallback",
    "fallback_quorum",
    "seed",
    # Set by the service only (the API schema does not take them): a consensus round's history.
    "process",
    "previous_poll_id",
)


def _invalid(where: str, field: str, message: str) -> ApiError:
    return ApiError(
        422, f"{where}: {message}", "validation_failed", {f"{where}.{field}": [message]}
    )


def check_questions(questions: list[dict]) -> list[dict]:
    """The questions as stored: {text, method, options, settings}."""
    if not questions:
        raise ApiError(
            422,
            "A poll needs at least one question.",
            "validation_failed",
            {"questions": ["At least one question."]},
        )
    if len(questions) > MAX_QUESTIONS:
        raise ApiError(
            422,
            f"At most {MAX_QUESTIONS} questions.",
            "validation_failed",
            {"questions": [f"At most {MAX_QUESTIONS} questions."]},
        )
    return [
        check_question(f"questions[{index}]", question) for index, question in enumerate(questions)
    ]


def check_question(where: str, question: dict) -> dict:
    method = question["method"]
    if method not in METHODS:
        raise ApiError(
            422,
            f"{where}: unknown method {method!r}.",
            "validation_failed",
            {f"{where}.method": [f"One of {', '.join(sorted(METHODS))}."]},
        )
    options = list(question.get("options") or [])
    if method == "consensus":
        options = list(RESPONSES)
    elif method == "consensus_vote":
        options = list(FALLBACK_OPTIONS)
    problem = _options_problem(options)
    if problem:
        raise _invalid(where, "options", problem)
    settings = {k: question[k] for k in SETTING_KEYS if question.get(k) is not None}
    if method == "stv":
        settings.setdefault("seats", 1)
    seats = settings.get("seats")
    if seats is not None and not 1 <= seats <= len(options):
        raise ApiError(
            422,
            f"{where}: seats must be between 1 and the number of options.",
            "validation_failed",
            {f"{where}.seats": ["Out of range."]},
        )
    if method in CONSENSUS_METHODS:
        _check_rules(where, settings)
    else:
        _dry_count(where, method, options, settings)
    return {"text": question["text"], "method": method, "options": options, "settings": settings}


def _options_problem(options: list[Any]) -> str | None:
    if len(options) < 2:
        return "Give at least two options."
    if len(options) > MAX_OPTIONS:
        return f"At most {MAX_OPTIONS} options."
    if any(not isinstance(o, str) or not o.strip() for o in options):
        return "Options are non-empty names."
    if len(set(options)) != len(options):
        return "An option appears twice."
    return None


def _check_rules(where: str, settings: dict) -> None:
    from services.polls.voting import ConsensusRules
    from services.polls.voting.errors import InvalidElection

    try:
        ConsensusRules.from_dict(settings)
    except InvalidElection as exc:
        raise _invalid(where, getattr(exc, "field", "question"), str(exc)) from None


def _dry_count(where: str, method: str, options: list, settings: dict) -> None:
    """Let the voting core refuse settings it cannot count (a bad threshold, quorum...)."""
    from services.polls.voting import count
    from services.polls.voting.errors import InvalidElection

    election = {"method": method, "options": options, "ballots": [], "electorate": 1}
    election.update(
        {k: v for k, v in settings.items() if k in ("seats", "threshold", "quorum", "seed")}
    )
    try:
        count(election)
    except InvalidElection as exc:
        raise _invalid(where, getattr(exc, "field", "question"), str(exc)) from None
