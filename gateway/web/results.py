"""Results in plain words: the winner first, then each round as a sentence, then the figures.

Works from the API's result document for one question (the tally's output) and returns what
the results template shows: a headline, rounds (sentence, sorted totals, chart), a table with a
column per round, and for Schulze the head-to-head comparisons as sentences.
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.web.ballot import RESPONSES, response_label
from gateway.web.charts import bar_chart, flow_chart, fmt, matrix_chart, stacked_rows
from gateway.web.i18n import Translator


def number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _names(_: Translator, items) -> str:
    """Names joined the reader's way: 'A, B and C', 'A, B et C'."""
    return _.format_list(items)


def _threshold(_: Translator, method: str, question: Mapping, round_: Mapping, totals: dict):
    """(value, label) of the line a winner must pass in this round, if the method has one."""
    if method == "majority":
        valid = number(question.get("valid_votes")) or sum(totals.values())
        if valid:
            return valid / 2, _("half: {v}", v=fmt(valid / 2))
    if method == "irv":
        continuing = number(round_.get("continuing_ballots")) or sum(totals.values())
        if continuing:
            return continuing / 2, _("half: {v}", v=fmt(continuing / 2))
    if method == "stv" and question.get("quota") is not None:
        quota = number(question.get("quota"))
        return quota, _("quota: {v}", v=fmt(quota))
    return None, ""


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


def _round_sentence(_: Translator, method: str, round_: Mapping, ordered: list, threshold):
    """What happened in one round, as a member would say it."""
    figures = "; ".join(_("{name} {votes}", name=n, votes=fmt(v)) for n, v in ordered)
    parts = [figures + "."] if figures else []
    elected = list(round_.get("elected") or [])
    eliminated = list(round_.get("eliminated") or [])
    if method == "irv":
        if elected:
            reason = round_.get("reason")
            if reason == "last option remaining":
                parts.append(_("{name} is the last option remaining and wins.",
                               name=_names(_, elected)))
            else:
                parts.append(_("{name} has more than half of the votes still in the count "
                               "and wins.", name=_names(_, elected)))
        elif eliminated:
            if threshold:
                parts.append(_("Nobody has more than half ({half}).", half=fmt(threshold)))
            parts.append(_("{name}, with the fewest votes, is eliminated; those ballots go to "
                           "their next choices.", name=_names(_, eliminated)))
        exhausted = number(round_.get("exhausted"))
        if exhausted:
            parts.append(_.ngettext("{n} ballot had no further choice.",
                                    "{n} ballots had no further choice.", exhausted))
    elif method == "stv":
        step = _stv_step(_, round_)
        if step:
            parts.append(step)
        if elected:
            parts.append(_("Elected: {names}.", names=_names(_, elected)))
        if eliminated:
            parts.append(_("Excluded: {names}; their votes go to next choices.",
                           names=_names(_, eliminated)))
    return " ".join(parts)


def _pairwise_sentences(_: Translator, pairwise: Mapping) -> list[str]:
    sentences = []
    names = list(pairwise)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            ab = number((pairwise.get(a) or {}).get(b))
            ba = number((pairwise.get(b) or {}).get(a))
            if ab > ba:
                sentences.append(_("{a} beats {b} by {x} to {y}.", a=a, b=b, x=fmt(ab),
                                   y=fmt(ba)))
            elif ba > ab:
                sentences.append(_("{a} beats {b} by {x} to {y}.", a=b, b=a, x=fmt(ba),
                                   y=fmt(ab)))
            else:
                sentences.append(_("{a} and {b} tie at {x} each.", a=a, b=b, x=fmt(ab)))
    return sentences


def explain(_: Translator, question: Mapping) -> dict:
    """Everything the results section shows for one question."""
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
    }
    if method == "consensus":
        return _consensus(_, question, view)
    if winners:
        view["headline"] = _.ngettext("Winner: {names}", "Winners: {names}", len(winners),
                                      names=_names(_, winners))
    else:
        view["headline"] = _("No winner.")
    if question.get("decided") is False or question.get("threshold_met") is False:
        rule = question.get("threshold_rule")
        if rule and method == "majority":
            view["notes"].append(_("The rule was {rule}; it was not met.", rule=rule))
    if question.get("tie_broken"):
        view["notes"].append(_("A tie was broken by lot (seed {seed}, published so anyone can "
                               "repeat the draw).", seed=question.get("seed", "")))
    rounds = list(question.get("rounds") or [])
    out_so_far: set[str] = set()
    columns = []
    for index, round_ in enumerate(rounds, start=1):
        totals_raw = round_.get("totals")
        if not isinstance(totals_raw, Mapping):
            continue
        totals = {name: number(v) for name, v in totals_raw.items()}
        ordered = sorted(totals.items(), key=lambda kv: (-kv[1], options.index(kv[0])
                                                         if kv[0] in options else 0))
        number_ = round_.get("round", index)
        threshold, label = _threshold(_, method, question, round_, totals)
        sentence = _round_sentence(_, method, round_, ordered, threshold)
        elected = set(round_.get("elected") or [])
        if len(rounds) == 1:
            elected |= set(winners)
        chart = bar_chart(
            dict(ordered),
            title=(_("Round {n}", n=number_) if len(rounds) > 1 else _("Votes per option")),
            description=sentence,
            threshold=threshold,
            threshold_label=label,
            highlight=elected,
            dimmed=out_so_far,
        )
        view["rounds"].append({"number": number_, "sentence": sentence, "chart": chart,
                               "ordered": ordered})
        columns.append((number_, totals))
        out_so_far |= set(round_.get("eliminated") or [])
    if columns:
        view["table"] = _table(_, columns, winners, options)
    if method in ("irv", "stv") and len(columns) > 1:
        view["flow"] = _flow(_, method, rounds, columns)
    if method == "schulze" and question.get("pairwise"):
        view["pairwise"] = _pairwise_sentences(_, question["pairwise"])
        names = [n for n in options if n in question["pairwise"]] + [
            n for n in question["pairwise"] if n not in options]
        view["matrix"] = {
            "names": names,
            "cells": question["pairwise"],
            "chart": matrix_chart(
                names, question["pairwise"],
                title=_("Head to head: who beats whom"),
                description=" ".join(view["pairwise"])),
        }
    if question.get("ranking") and method in ("schulze", "borda", "approval"):
        view["notes"].append(_("Order: {names}.", names=" > ".join(question["ranking"])))
    return view


def _table(_: Translator, columns: list, winners: list, options: list) -> dict:
    """Every option's votes, a column per round: winners first, then the longest lasting."""
    def standing(name: str):
        present = [t[name] for _n, t in columns if name in t]
        return (name not in winners, -len(present), -present[-1],
                options.index(name) if name in options else 0)

    names = sorted({n for _n, t in columns for n in t}, key=standing)
    return {
        "columns": [_("Round {n}", n=n) for n, _t in columns] if len(columns) > 1
        else [_("Votes")],
        "rows": [(name, [fmt(t[name]) if name in t else "—" for _n, t in columns])
                 for name in names],
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
    view["rounds"].append({
        "number": question.get("round", 1),
        "sentence": sentence,
        "ordered": list(labelled.items()),
        "chart": bar_chart(labelled, title=_("Responses"), description=sentence),
    })
    view["table"] = {"columns": [_("Responses")],
                     "rows": [(name, [fmt(v)]) for name, v in labelled.items()]}
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
                reasons.append((response_label(_, str(item.get("response", ""))),
                                item["reason"]))
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
        figures = ", ".join(f"{response_label(_, r)} {fmt(counts.get(r, 0))}"
                            for r in RESPONSES)
        outcome = str(round_.get("outcome", "")).replace("_", " ")
        text = _("Round {n}: {figures}; outcome: {outcome}.", n=number_, figures=figures,
                 outcome=outcome)
        why = list(round_.get("why_not") or [])
        if why:
            text += " " + _("Why: {why}.", why="; ".join(why))
        sentences.append(text)
        rows.append((_("Round {n}", n=number_), counts))
    chart = stacked_rows(rows, [(r, response_label(_, r)) for r in RESPONSES],
                         title=_("Responses round by round"), description=" ".join(sentences))
    table = {"columns": [response_label(_, r) for r in RESPONSES],
             "rows": [(label, [fmt(counts.get(r, 0)) for r in RESPONSES])
                      for label, counts in rows]}
    return {"sentences": sentences, "chart": chart, "table": table}


def transfer_steps(columns: list[tuple], exhausted: list[float],
                   recorded: list | None = None) -> list[dict]:
    """Between consecutive rounds: who lost votes, who gained them, and the flows between.

    `recorded[i]`, when present, is what the count itself recorded for the step from column i
    to column i + 1 ({source: {"to": {receiver: votes}, "exhausted": votes}}): the flows are
    then exactly those (``"exact": True``, and ``"transfers"`` per source). Results stored
    before counts recorded transfers have none; there the flows are estimated from the
    totals: votes an option loses (eliminated, or its surplus passed on) are shared among the
    options that gain and the ballots with no further choice, in proportion to the gains
    (exact with one
    source; an estimate when several options are excluded at once).
    """
    steps = []
    for i in range(len(columns) - 1):
        before, after = columns[i][1], columns[i + 1][1]
        names = list(dict.fromkeys([*before, *after]))
        losses = {n: before.get(n, 0) - after.get(n, 0) for n in names
                  if before.get(n, 0) - after.get(n, 0) > 1e-9}
        flows = [(n, n, min(before.get(n, 0), after.get(n, 0))) for n in names
                 if min(before.get(n, 0), after.get(n, 0)) > 0]
        transfers = _recorded_transfers(recorded[i] if recorded and i < len(recorded) else None)
        if transfers is not None:
            gains: dict = {}
            for source, moved in transfers.items():
                for target, votes in moved.items():
                    flows.append((source, target, votes))
                    gains[target] = gains.get(target, 0) + votes
        else:
            gains = {n: after.get(n, 0) - before.get(n, 0) for n in names
                     if after.get(n, 0) - before.get(n, 0) > 1e-9}
            more_exhausted = exhausted[i + 1] - exhausted[i]
            if more_exhausted > 1e-9:
                gains[None] = more_exhausted
            total_gain = sum(gains.values())
            for source, lost in losses.items():
                for target, gained in gains.items():
                    if total_gain > 0:
                        flows.append((source, target, lost * gained / total_gain))
        step = {"losses": losses, "gains": gains, "flows": flows,
                "exhausted_total": exhausted[i + 1], "exact": transfers is not None}
        if transfers is not None:
            step["transfers"] = transfers
        steps.append(step)
    return steps


def _recorded_transfers(raw) -> dict | None:
    """A count's recorded transfers as {source: {receiver, or None for no further choice:
    votes}} (positive votes only); None when there are none (results counted before)."""
    if not isinstance(raw, Mapping):
        return None
    transfers: dict = {}
    for source, moved in raw.items():
        if not isinstance(moved, Mapping) or not isinstance(moved.get("to"), Mapping):
            return None
        flows = {target: number(votes) for target, votes in moved["to"].items()}
        flows[None] = number(moved.get("exhausted"))
        transfers[source] = {target: votes for target, votes in flows.items() if votes > 0}
    return transfers


def _flow(_: Translator, method: str, rounds: list, columns: list[tuple]) -> dict:
    counted = [r for r in rounds if isinstance(r.get("totals"), Mapping)]
    exhausted = [number(r.get("exhausted")) for r in counted]
    exhausted += [0.0] * (len(columns) - len(exhausted))
    # IRV records the transfers with the round that eliminates; STV with the stage they make.
    later = 1 if method == "stv" else 0
    recorded = [counted[i + later].get("transfers") if i + later < len(counted) else None
                for i in range(len(columns) - 1)]
    steps = transfer_steps(columns, exhausted, recorded)
    sentences = []
    nobody = _("no further choice")
    for i, step in enumerate(steps):
        if step["exact"]:  # each source on its own: where its votes went is known
            passed = [(f"{source} ({fmt(step['losses'].get(source, sum(moved.values())))})",
                       moved) for source, moved in step["transfers"].items()
                      if moved or source in step["losses"]]
        elif step["losses"]:
            passed = [(_names(_, [f"{name} ({fmt(v)})" for name, v in step["losses"].items()]),
                       step["gains"])]
        else:
            passed = []
        for lost, gains in passed:
            moves = ", ".join(
                _("{votes} to {name}", votes=fmt(v), name=name if name is not None else nobody)
                for name, v in sorted(gains.items(), key=lambda kv: -kv[1]))
            sentences.append(_("From round {a} to round {b}: {lost} passed on votes: {moves}.",
                               a=columns[i][0], b=columns[i + 1][0], lost=lost,
                               moves=moves or _("none counted")))
    chart = flow_chart(
        [(_("Round {n}", n=n), {k: v for k, v in t.items()}) for n, t in columns],
        steps, title=_("How votes moved between rounds"),
        description=" ".join(sentences) or _("No votes moved between rounds."),
        exhausted_label=nobody)
    return {"chart": chart, "sentences": sentences, "steps": steps}
