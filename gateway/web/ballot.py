"""Ballot forms: what each method asks of a member, and the form's fields turned into answers.

Pure functions (no I/O) so that every method's form can be tested without a browser. Field names:
`q-<question id>` for a choice, approvals (several values) or a consensus response,
`reason-<question id>` for a consensus reason, `rank-<question id>-<option index>` for the rank
of each option (empty: unranked).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from gateway.web.i18n import Translator

RESPONSES = ("agree", "stand_aside", "concern", "block")


def with_forms(questions: list[Mapping], methods: Mapping[str, Mapping]) -> list[dict]:
    """The questions, each with the answer `form` its method takes (`methods`: polls' table,
    GET /api/v1/polls/methods through gateway/client.py)."""
    return [
        {**q, "form": q.get("form") or (methods.get(q["method"]) or {}).get("form", "ranking")}
        for q in questions
    ]


def shown(
    _: Translator,
    questions: list[Mapping],
    methods: Mapping[str, Mapping],
    electorate: int | None,
    drafts: Mapping | None = None,
) -> list[dict]:
    """The questions as the ballot shows them: each with its form, its rules in words and what
    the member filled in so far; questions not yet stored get an id for the page's fields."""
    return [
        {
            **q,
            "id": q.get("id") or f"preview-{i}",
            "rules": rules(_, q, electorate),
            "draft": (drafts or {}).get(str(q.get("id"))),
        }
        for i, q in enumerate(with_forms(questions, methods))
    ]


def response_label(_: Translator, response: str) -> str:
    return {
        "agree": _("Agree"),
        "stand_aside": _("Stand aside"),
        "concern": _("Agree with a concern"),
        "block": _("Block"),
    }.get(response, response)


def share_of(value) -> Fraction | None:
    """A threshold or quorum given as 0.6, "0.6", "3/5" or 60 %: the fraction, or None."""
    try:
        share = Fraction(str(value).strip().rstrip("%")) if value is not None else None
    except (ValueError, ZeroDivisionError):
        return None
    if share is not None and str(value).strip().endswith("%"):
        share /= 100
    return share if share is not None and 0 < share <= 1 else None


def threshold_rule(_: Translator, question: Mapping) -> str:
    """What one choice question needs to be won, in plain words (the count's own rule)."""
    method = question.get("method")
    default = "simple" if method == "majority" else "plurality"
    threshold = question.get("threshold") or default
    if threshold == "plurality":
        return _("The option with the most votes wins.")
    if threshold == "simple":
        return _(
            "An option needs more than half of the votes to win (blank answers are not "
            "counted as votes)."
        )
    if threshold == "two_thirds":
        return _(
            "An option needs at least two thirds of the votes to win (blank answers are "
            "not counted as votes)."
        )
    if threshold == "absolute":
        return _(
            "An option needs the votes of more than half of all the members who may vote, "
            "not only of those who vote."
        )
    share = share_of(threshold)
    if share is None:
        return _("The option with the most votes wins.")
    return _(
        "An option needs at least {share} of the votes to win (blank answers are not "
        "counted as votes).",
        share=_.format_percent(float(share), 1 if share * 100 % 1 else 0),
    )


def quorum_rule(_: Translator, question: Mapping, electorate=None) -> str:
    share = share_of(question.get("quorum"))
    if share is None:
        return ""
    pct = _.format_percent(float(share), 1 if share * 100 % 1 else 0)
    if electorate:
        needed = math.ceil(share * int(electorate))
        return _(
            "The result counts only if at least {share} of the members who may vote take "
            "part: {needed} of {electorate}.",
            share=pct,
            needed=needed,
            electorate=electorate,
        )
    return _(
        "The result counts only if at least {share} of the members who may vote take part.",
        share=pct,
    )


def rules(_: Translator, question: Mapping, electorate=None) -> str:
    """The rules of one question, stated up front in plain words: how to answer, what wins
    (threshold, seats) and the quorum."""
    text = _method_rule(_, question)
    quorum = quorum_rule(_, question, electorate)
    return f"{text} {quorum}" if quorum else text


def _method_rule(_: Translator, question: Mapping) -> str:
    method = question.get("method")
    n = len(question.get("options") or [])
    seats = question.get("seats") or 1
    if method in ("plurality", "majority"):
        if seats > 1:
            return _("Choose one option. The {seats} options with the most votes win.", seats=seats)
        return _("Choose one option.") + " " + threshold_rule(_, question)
    if method == "consensus_vote":
        return _("Choose yes, no or abstain.") + " " + threshold_rule(_, question)
    if method == "approval":
        if seats > 1:
            return _(
                "Choose every option you approve of: any number from 0 to {n}. The "
                "{seats} most approved options win.",
                n=n,
                seats=seats,
            )
        return _(
            "Choose every option you approve of: any number from 0 to {n}. "
            "The most approved option wins.",
            n=n,
        )
    if method == "consensus":
        return _(
            "Say whether you agree. A concern or a block needs a reason: "
            "a block stops the proposal."
        )
    base = _(
        "Rank the options in order of preference: 1 is your first choice. You may rank "
        "as few as you like; unranked options come after every ranked one."
    )
    if method == "irv":
        return (
            base
            + " "
            + _(
                "If no option has more than half of the first choices, the "
                "last one is eliminated and its votes go to the next choices."
            )
        )
    if method == "stv":
        return (
            base
            + " "
            + _.ngettext(
                "{n} seat is filled; votes beyond what a winner needs pass on to next choices.",
                "{n} seats are filled; votes beyond what a winner needs pass on to next choices.",
                seats,
            )
        )
    if method == "schulze":
        return (
            base
            + " "
            + _(
                "Every pair of options is compared; the option that beats "
                "the others head to head wins."
            )
        )
    if method == "borda":
        return (
            base
            + " "
            + _(
                "Each rank earns points ({top} for a first choice); the most points win.",
                top=max(n - 1, 0),
            )
        )
    return ""


@dataclass
class ParsedBallot:
    answers: list[dict] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    draft: dict[str, object] = field(default_factory=dict)


def parse(_: Translator, questions: list[Mapping], form) -> ParsedBallot:
    """The answers a submitted form gives; errors by question id for what must be fixed."""
    out = ParsedBallot()
    for question in questions:
        qid = str(question["id"])
        options = list(question.get("options") or [])
        read = _READERS.get(question["form"], _read_ranking)
        read(_, out, qid, options, form)
    return out


def _read_choice(_: Translator, out: ParsedBallot, qid: str, options: list, form) -> None:
    value = form.get(f"q-{qid}") or ""
    if value:
        if value not in options:
            out.errors[qid] = _("Choose one of the options.")
            return
        out.answers.append({"question_id": qid, "choice": value})
        out.draft[qid] = value


def _read_approval(_: Translator, out: ParsedBallot, qid: str, options: list, form) -> None:
    values = [v for v in _getlist(form, f"q-{qid}") if v]
    if any(v not in options for v in values):
        out.errors[qid] = _("Choose among the options.")
        return
    chosen = [o for o in options if o in values]
    out.draft[qid] = chosen
    out.answers.append({"question_id": qid, "approve": chosen})


def _read_response(_: Translator, out: ParsedBallot, qid: str, options: list, form) -> None:
    value = form.get(f"q-{qid}") or ""
    reason = (form.get(f"reason-{qid}") or "").strip()
    if not value:
        if reason:
            out.draft[qid] = {"response": "", "reason": reason}
        return
    out.draft[qid] = {"response": value, "reason": reason}
    if value not in RESPONSES:
        out.errors[qid] = _("Choose one of the responses.")
        return
    if value in ("concern", "block") and not reason:
        out.errors[qid] = _(
            "Please give a reason for your {response}.", response=response_label(_, value).lower()
        )
        return
    answer = {"question_id": qid, "response": value}
    if reason:
        answer["reason"] = reason[:4000]
    out.answers.append(answer)


def _read_ranking(_: Translator, out: ParsedBallot, qid: str, options: list, form) -> None:
    ranks: dict[str, int] = {}
    bad = False
    for index, option in enumerate(options):
        raw = (form.get(f"rank-{qid}-{index}") or "").strip()
        if not raw:
            continue
        try:
            rank = int(raw)
        except ValueError:
            bad = True
            continue
        if not 1 <= rank <= len(options):
            bad = True
            continue
        ranks[option] = rank
    ranking = sorted(ranks, key=lambda o: (ranks[o], options.index(o)))
    out.draft[qid] = ranking
    if bad:
        out.errors[qid] = _("A rank must be a number from 1 to {n}.", n=len(options))
        return
    used = list(ranks.values())
    twice = sorted({r for r in used if used.count(r) > 1})
    if twice:
        names = [o for o in options if ranks.get(o) in twice]
        out.errors[qid] = _(
            "Rank {rank} is given to more than one option ({names}): "
            "give each option its own rank.",
            rank=twice[0],
            names=", ".join(names),
        )
        return
    if ranking:
        out.answers.append({"question_id": qid, "ranking": ranking})


# The answer form of a question → what reads it from the submitted form (ranking otherwise).
_READERS = {"choice": _read_choice, "approve": _read_approval, "response": _read_response}


def _getlist(form, name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    if getlist is not None:
        return list(getlist(name))
    value = form.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def review(_: Translator, questions: list[Mapping], answers: list[dict]) -> list[dict]:
    """For the review step: per question, what the ballot says, in plain words."""
    by_id = {a["question_id"]: a for a in answers}
    rows = []
    for position, question in enumerate(questions, start=1):
        qid = str(question["id"])
        options = list(question.get("options") or [])
        answer = by_id.get(qid)
        row = {
            "position": position,
            "id": qid,
            "text": question.get("text", ""),
            "lines": [],
            "warning": None,
        }
        kind = question["form"]
        if answer is None:
            row["warning"] = _("Not answered: this question will be counted as skipped.")
        elif kind == "choice":
            row["lines"] = [_("Your choice: {choice}", choice=answer["choice"])]
        elif kind == "approve":
            chosen = answer["approve"]
            row["lines"] = [_("{count} of {n} selected", count=len(chosen), n=len(options))]
            row["lines"] += chosen
            if not chosen:
                row["warning"] = _("You approved of no option.")
        elif kind == "response":
            row["lines"] = [response_label(_, answer["response"])]
            if answer.get("reason"):
                row["lines"].append(_("Reason: {reason}", reason=answer["reason"]))
        else:
            ranking = answer["ranking"]
            row["ranked"] = ranking
            unranked = len(options) - len(ranking)
            if unranked:
                row["warning"] = _(
                    "{count} of {n} options unranked: they come after your ranked choices.",
                    count=unranked,
                    n=len(options),
                )
        rows.append(row)
    return rows
