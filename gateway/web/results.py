"""Results in plain words: the winner first, then each round as a sentence, then the figures.

Works from the API's result document for one question (the tally's output) and returns what
the results template shows: a headline, rounds (sentence, sorted totals, chart), a table with a
column per round, and for Schulze the head-to-head comparisons as sentences.
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.web.ballot import RESPONSES, response_label, share_of
from gateway.web.charts import bar_chart, fmt, matrix_chart, stacked_rows
from gateway.web.i18n import Translator
from gateway.web.transfers import flow, number


def _names(_: Translator, items) -> str:
    """Names joined the reader's way: 'A, B and C', 'A, B et C'."""
    return _.format_list(items)


def _threshold(_: Translator, method: str, question: Mapping, round_: Mapping, totals: dict):
    """(value, label) of the line a winner must pass in this round, if the method has one —
    the question's own rule (two thirds, a share, half of the electorate), not always half."""
    if method in ("majority", "plurality", "consensus_vote"):
        rule = question.get("threshold") or ("simple" if method == "majority" else "plurality")
        valid = number(question.get("valid_votes")) or sum(totals.values())
        if rule == "plurality" or not valid:
            return None, ""
        if rule == "simple":
            return valid / 2, _("half: {v}", v=fmt(valid / 2))
        if rule == "two_thirds":
            return valid * 2 / 3, _("two thirds: {v}", v=fmt(valid * 2 / 3))
        if rule == "absolute":
            electorate = number(question.get("electorate"))
            return (
                (electorate / 2, _("half of the electorate: {v}", v=fmt(electorate / 2)))
                if electorate
                else (None, "")
            )
        share = share_of(rule)
        if share is not None:
            line = valid * float(share)
            return line, _("{share}: {v}", share=_.format_percent(float(share)), v=fmt(line))
        return None, ""
    if method == "irv":
        continuing = number(round_.get("continuing_ballots")) or sum(totals.values())
        if continuing:
            return continuing / 2, _("half: {v}", v=fmt(continuing / 2))
    if method == "stv" and question.get("quota") is not None:
        quota = number(question.get("quota"))
        return quota, _("quota: {v}", v=fmt(quota))
    return None, ""


def unit(_: Translator, method: str, value: float) -> str:
    """A figure with its unit: Borda counts points, approval approvals, the others votes."""
    if method == "borda":
        return _.ngettext("{n} point", "{n} points", value, n=fmt(value))
    if method == "approval":
        return _.ngettext("{n} approval", "{n} approvals", value, n=fmt(value))
    return _.ngettext("{n} vote", "{n} votes", value, n=fmt(value))


def percent(_: Translator, value: float, whole: float) -> str:
    return _.format_percent(value / whole, 1) if whole > 0 else ""


def _stv_step(_: Translator, round_: Mapping) -> str:
    """What an STV stage did, in the reader's language, from the stage's fields (the count
    writes its `action` in English)."""
    source = round_.get("transferred_from")
    if source and round_.get("surplus") is not None:
        return _("Step: transfer of the surplus of {name}.", name=source)
    if source:
        return _("Step: exclusion of {name}.", name=source)
    if round_.get("action") == "first preferences":
        return _("Step: first preferences.")
    return _("Step: {action}.", action=round_["action"]) if round_.get("action") else ""


def _round_sentence(
    _: Translator, method: str, round_: Mapping, ordered: list, threshold, whole: float = 0.0
):
    """What happened in one round, as a member would say it."""
    figures = "; ".join(
        _("{name}: {votes} ({share})", name=n, votes=unit(_, method, v), share=percent(_, v, whole))
        if whole > 0 and method != "borda"
        else _("{name}: {votes}", name=n, votes=unit(_, method, v))
        for n, v in ordered
    )
    parts = [figures + "."] if figures else []
    elected = list(round_.get("elected") or [])
    eliminated = list(round_.get("eliminated") or [])
    if method == "irv":
        if elected:
            reason = round_.get("reason")
            if reason == "last option remaining":
                parts.append(
                    _("{name} is the last option remaining and wins.", name=_names(_, elected))
                )
            else:
                parts.append(
                    _(
                        "{name} has more than half of the votes still in the count and wins.",
                        name=_names(_, elected),
                    )
                )
        elif eliminated:
            if threshold:
                parts.append(_("Nobody has more than half ({half}).", half=fmt(threshold)))
            parts.append(
                _(
                    "{name}, with the fewest votes, is eliminated; those ballots go to "
                    "their next choices.",
                    name=_names(_, eliminated),
                )
            )
        exhausted = number(round_.get("exhausted"))
        if exhausted:
            parts.append(
                _.ngettext(
                    "{n} ballot had no further choice.",
                    "{n} ballots had no further choice.",
                    exhausted,
                )
            )
    elif method == "stv":
        step = _stv_step(_, round_)
        if step:
            parts.append(step)
        if elected:
            parts.append(_("Elected: {names}.", names=_names(_, elected)))
        if eliminated:
            parts.append(
                _("Excluded: {names}; their votes go to next choices.", names=_names(_, eliminated))
            )
    return " ".join(parts)


def _pairwise_sentences(_: Translator, pairwise: Mapping) -> list[str]:
    sentences = []
    names = list(pairwise)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            ab = number((pairwise.get(a) or {}).get(b))
            ba = number((pairwise.get(b) or {}).get(a))
            if ab > ba:
                sentences.append(_("{a} beats {b} by {x} to {y}.", a=a, b=b, x=fmt(ab), y=fmt(ba)))
            elif ba > ab:
                sentences.append(_("{a} beats {b} by {x} to {y}.", a=b, b=a, x=fmt(ba), y=fmt(ab)))
            else:
                sentences.append(_("{a} and {b} tie at {x} each.", a=a, b=b, x=fmt(ab)))
    return sentences


def _uncontested(question: Mapping, options: list) -> bool:
    """An election with no more candidates than seats: every candidate is elected, no vote
    taken (the count says so; without this the page read "no winner" above "Elected")."""
    return question.get("method") == "stv" and len(options) <= (question.get("seats") or 1)


def explain(_: Translator, question: Mapping, voters=None) -> dict:
    """Everything the results section shows for one question (`voters`: how many took part
    in the poll, to say how many left this question blank)."""
    method = question.get("method", "")
    winners = list(question.get("winners") or [])
    options = list(question.get("options") or [])
    view: dict = {
        "id": question.get("question_id"),
        "text": question.get("text", ""),
        "method": method,
        "winners": winners,
        "rounds": [],
        "table": None,
        "pairwise": [],
        "notes": [],
        "answered": _answered(_, question, voters),
        "unopposed": False,
    }
    if method == "consensus":
        return _consensus(_, question, view)
    if question.get("answered") == 0 and winners and _uncontested(question, options):
        # Said plainly, and nothing else: no round, table or chart of zero votes.
        view["headline"] = _("Elected unopposed: {names}", names=_names(_, winners))
        view["notes"] = [_("No more candidates than seats, so no vote was held.")]
        view["answered"] = ""
        view["unopposed"] = True
        return view
    if question.get("answered") == 0:
        view["headline"] = _("Nobody answered this question: no winner.")
        winners = view["winners"] = []
    elif winners:
        view["headline"] = _.ngettext(
            "Winner: {names}", "Winners: {names}", len(winners), names=_names(_, winners)
        )
    else:
        view["headline"] = _("No winner.")
    view["notes"] += _rule_notes(_, question)
    if winners:
        view["notes"] += _tie_notes(_, question)
    _rounds(_, question, view, options)
    if method == "schulze" and question.get("pairwise"):
        view["pairwise"] = _pairwise_sentences(_, question["pairwise"])
        names = [n for n in options if n in question["pairwise"]] + [
            n for n in question["pairwise"] if n not in options
        ]
        view["matrix"] = {
            "names": names,
            "cells": question["pairwise"],
            "chart": matrix_chart(
                names,
                question["pairwise"],
                title=_("Head to head: who beats whom"),
                description=_("The same figures are in the sentences and the table above."),
                marks={"win": _("beats"), "lose": _("loses to"), "tie": _("ties with")},
            ),
        }
    if question.get("ranking") and method in ("schulze", "borda", "approval"):
        view["notes"].append(_("Order: {names}.", names=" > ".join(question["ranking"])))
    return view


def _answered(_: Translator, question: Mapping, voters) -> str:
    """'12 voted; 11 answered this question, 1 left it blank.'"""
    answered = question.get("answered")
    if voters is None or answered is None:
        return ""
    voters, answered = number(voters), number(answered)
    blank = max(0.0, voters - answered)
    return _.ngettext(
        "{voters} voted; {answered} answered this question, {n} left it blank.",
        "{voters} voted; {answered} answered this question, {n} left it blank.",
        blank,
        voters=fmt(voters),
        answered=fmt(answered),
        n=fmt(blank),
    )


def _rule_notes(_: Translator, question: Mapping) -> list[str]:
    notes = []
    rule = question.get("threshold_rule")
    if rule and question.get("threshold") not in (None, "plurality"):
        met = question.get("threshold_met")
        text = _threshold_words(_, question)
        notes.append(
            _("The rule was: {rule} It was met.", rule=text)
            if met
            else _("The rule was: {rule} It was not met.", rule=text)
        )
    if question.get("quorum") is not None:
        notes.append(
            _(
                "Quorum: {turnout} of {electorate} members took part; {needed} were needed.",
                turnout=fmt(number(question.get("turnout"))),
                electorate=fmt(number(question.get("electorate"))),
                needed=fmt(number(question.get("quorum")) * number(question.get("electorate"))),
            )
            + " "
            + (
                _("The quorum was met.")
                if question.get("quorum_met")
                else _("The quorum was not met: the result does not count.")
            )
        )
    return notes


def _threshold_words(_: Translator, question: Mapping) -> str:
    from gateway.web.ballot import threshold_rule

    return threshold_rule(
        _, {"method": question.get("method"), "threshold": question.get("threshold")}
    )


def _tie_notes(_: Translator, question: Mapping) -> list[str]:
    """Which tie was broken by lot, between whom, for what, and who was drawn."""
    notes = []
    purposes = {
        "ranking": _("the order of the winners"),
        "elimination": _("who is eliminated"),
        "exclusion": _("who is excluded"),
        "surplus order": _("whose surplus is passed on first"),
    }
    for record in question.get("tie_breaks") or []:
        if record.get("method") != "lot" or record.get("affects_winners") is False:
            continue
        notes.append(
            _(
                "In round {n}, {names} were tied for {purpose}; the tie was broken by "
                "lot and {chosen} was drawn.",
                n=record.get("round", 1),
                names=_names(_, record.get("between") or []),
                purpose=purposes.get(record.get("for"), record.get("for", "")),
                chosen=record.get("chosen", ""),
            )
        )
    if question.get("tie_broken"):
        notes.append(
            _(
                "The draw used the seed {seed}, published so anyone can repeat it.",
                seed=question.get("seed", ""),
            )
        )
    return notes


def _whole(method: str, question: Mapping, totals: dict) -> float:
    """What a round's percentages are shares of: the votes in the count, or for approval the
    ballots that answered; Borda points have none."""
    if method == "borda":
        return 0.0
    if method == "approval":
        return number(question.get("answered"))
    return sum(totals.values())


def _rounds(_: Translator, question: Mapping, view: dict, options: list) -> None:
    method = view["method"]
    winners = view["winners"]
    rounds = list(question.get("rounds") or [])
    out_so_far: set[str] = set()
    columns = []
    for index, round_ in enumerate(rounds, start=1):
        totals_raw = round_.get("totals")
        if not isinstance(totals_raw, Mapping):
            continue
        totals = {name: number(v) for name, v in totals_raw.items()}
        ordered = sorted(
            totals.items(), key=lambda kv: (-kv[1], options.index(kv[0]) if kv[0] in options else 0)
        )
        number_ = round_.get("round", index)
        threshold, label = _threshold(_, method, question, round_, totals)
        whole = _whole(method, question, totals)
        sentence = _round_sentence(_, method, round_, ordered, threshold, whole)
        elected = set(round_.get("elected") or [])
        if len(rounds) == 1:
            elected |= set(winners)
        title = _("Round {n}", n=number_) if len(rounds) > 1 else _units_title(_, method)
        chart = bar_chart(
            dict(ordered),
            title=title,
            description=_("The same figures are in the sentences and the table on this page."),
            threshold=threshold,
            threshold_label=label,
            highlight=elected,
            dimmed=out_so_far,
        )
        view["rounds"].append(
            {
                "number": number_,
                "sentence": sentence,
                "chart": chart,
                "ordered": ordered,
                "title": title,
            }
        )
        columns.append((number_, totals, whole))
        out_so_far |= set(round_.get("eliminated") or [])
    if columns:
        view["table"] = _table(_, method, columns, winners, options)
    if method in ("irv", "stv") and len(columns) > 1:
        view["flow"] = flow(_, method, rounds, [(n, t) for n, t, _w in columns])


def _units_title(_: Translator, method: str) -> str:
    if method == "borda":
        return _("Points per option")
    if method == "approval":
        return _("Approvals per option")
    return _("Votes per option")


def _table(_: Translator, method: str, columns: list, winners: list, options: list) -> dict:
    """Every option's figures, a column per round (with its share): winners first, then the
    longest lasting."""

    def standing(name: str):
        present = [t[name] for _n, t, _w in columns if name in t]
        return (
            name not in winners,
            -len(present),
            -present[-1],
            options.index(name) if name in options else 0,
        )

    def cell(totals: dict, name: str, whole: float) -> str:
        if name not in totals:
            return "—"
        if whole > 0:
            return _(
                "{votes} ({share})", votes=fmt(totals[name]), share=percent(_, totals[name], whole)
            )
        return fmt(totals[name])

    names = sorted({n for _n, t, _w in columns for n in t}, key=standing)
    single = {"borda": _("Points"), "approval": _("Approvals")}.get(method, _("Votes"))
    return {
        "caption": _units_title(_, method),
        "columns": [_("Round {n}", n=n) for n, _t, _w in columns] if len(columns) > 1 else [single],
        "rows": [(name, [cell(t, name, w) for _n, t, w in columns]) for name in names],
    }


def _consensus(_: Translator, question: Mapping, view: dict) -> dict:
    status = question.get("status") or (question.get("process") or {}).get("status", "")
    view["headline"] = {
        "consensus": _("Consensus reached."),
        "blocked": _("Blocked: no consensus."),
        "needs_amendment": _("No consensus yet: the proposal needs amending."),
        "fallback": _("No consensus: it goes to the fallback vote."),
    }.get(status, _("Outcome: {status}", status=status.replace("_", " ")))
    totals = {r: number((question.get("totals") or {}).get(r)) for r in RESPONSES}
    labelled = {response_label(_, r): v for r, v in totals.items()}
    sentence = "; ".join(f"{name} {fmt(v)}" for name, v in labelled.items()) + "."
    view["rounds"].append(
        {
            "number": question.get("round", 1),
            "sentence": sentence,
            "ordered": list(labelled.items()),
            "chart": bar_chart(
                labelled,
                title=_("Responses"),
                description=_("The same figures are in the sentences and the table on this page."),
            ),
        }
    )
    view["table"] = {
        "columns": [_("Responses")],
        "rows": [(name, [fmt(v)]) for name, v in labelled.items()],
    }
    reasons = []
    history = []
    for index, round_ in enumerate(question.get("rounds") or [], start=1):
        items = list(round_.get("reasons") or [])
        responses = round_.get("responses")
        if isinstance(responses, Mapping):
            items += list(responses.values())
        counts = dict.fromkeys(RESPONSES, 0.0)
        for item in items:
            if not isinstance(item, Mapping):
                continue
            if item.get("response") in counts and isinstance(responses, Mapping):
                counts[item["response"]] += 1
            if item.get("reason") and (index == len(question.get("rounds") or [])):
                reasons.append((response_label(_, str(item.get("response", ""))), item["reason"]))
        if not isinstance(responses, Mapping) and index == len(question.get("rounds") or []):
            counts = dict(totals)
        history.append((round_.get("round", index), counts, round_))
    view["reasons"] = reasons
    if history:
        view["history"] = _consensus_history(_, history)
    return view


def _consensus_history(_: Translator, history: list) -> dict:
    """Each consensus round: its responses, its outcome and why, as sentences and a chart."""
    sentences = []
    rows = []
    for number_, counts, round_ in history:
        figures = ", ".join(f"{response_label(_, r)} {fmt(counts.get(r, 0))}" for r in RESPONSES)
        outcome = str(round_.get("outcome", "")).replace("_", " ")
        text = _(
            "Round {n}: {figures}; outcome: {outcome}.", n=number_, figures=figures, outcome=outcome
        )
        why = list(round_.get("why_not") or [])
        if why:
            text += " " + _("Why: {why}.", why="; ".join(why))
        sentences.append(text)
        rows.append((_("Round {n}", n=number_), counts))
    chart = stacked_rows(
        rows,
        [(r, response_label(_, r)) for r in RESPONSES],
        title=_("Responses round by round"),
        description=_("The same figures are in the sentences and the table on this page."),
    )
    table = {
        "columns": [response_label(_, r) for r in RESPONSES],
        "rows": [(label, [fmt(counts.get(r, 0)) for r in RESPONSES]) for label, counts in rows],
    }
    return {"sentences": sentences, "chart": chart, "table": table}
