"""From a closed poll's ballots to its results, through the voting core (`voting.count`)."""

from __future__ import annotations

from collections.abc import Iterable

from services.polls.answers import CONSENSUS_METHODS, RESPONSES, form_for


def question_settings(question: dict) -> dict:
    """The settings the voting core reads for one question (seats, threshold, quorum, ...)."""
    settings = dict(question.get("settings") or {})
    return {k: v for k, v in settings.items() if v is not None}


def election_for(question: dict, ballots: list[dict], electorate: int) -> dict:
    """The voting core's election for one question, from (answer, weight) pairs."""
    settings = question_settings(question)
    election: dict = {
        "method": question["method"],
        "options": list(question["options"]),
        "ballots": ballots,
    }
    for key in ("seats", "threshold", "quorum", "seed"):
        if key in settings:
            election[key] = settings[key]
    if electorate > 0:
        election["electorate"] = electorate
    return election


def _ballot(answer: dict, form: str, weight: int) -> dict:
    ballot: dict = {"abstain": True} if answer.get("abstain") else {form: answer.get(form)}
    if weight != 1:
        ballot["weight"] = weight
    return ballot


def process_from(question: dict):
    """The consensus process a question continues (its previous rounds are in `process`), or a
    new one whose first round is this question."""
    from services.polls.voting import ConsensusProcess, ConsensusRules
    from services.polls.voting.consensus import ConsensusRound

    settings = question_settings(question)
    rules = ConsensusRules.from_dict(settings)
    previous = settings.get("process")
    if not previous:
        return ConsensusProcess(question["text"], rules)
    rounds = [
        ConsensusRound(
            r["round"], r["text"], dict(r["responses"]), r["outcome"], list(r["why_not"])
        )
        for r in previous["rounds"]
    ]
    return ConsensusProcess(
        previous["proposal"], rules, rounds, previous["status"], previous.get("fallback")
    )


def count_consensus(question: dict, answers: list[tuple[str, dict, int]], electorate: int) -> dict:
    """A consensus round (method `consensus`) or the fallback vote (`consensus_vote`) of the
    process the question belongs to, through the voting core's `ConsensusProcess`. Responses are
    keyed by throwaway tokens (services/polls/slots.py counting_rows), never by anything a
    receipt could find: the published rounds show what was answered, not by whom."""
    process = process_from(question)
    if question["method"] == "consensus":
        if process.status == "needs_amendment":
            process.amend(question["text"])
        for key, answer, _ in answers:
            if answer.get("response"):
                process.respond(key, answer["response"], answer.get("reason"))
        process.close_round()
        current = process.current
        totals = dict.fromkeys(RESPONSES, 0)
        for response in current.responses.values():
            totals[response["response"]] += 1
    else:
        votes = {key: a["choice"] for key, a, _ in answers if a.get("choice")}
        process.decide_by_vote(votes, electorate or None)
        totals = dict((process.fallback or {}).get("votes") or {})
    story = process.to_dict()
    decided = process.status in ("consensus", "carried")
    return {
        "method": question["method"],
        "winners": [process.status] if decided else [],
        "status": process.status,
        "round": len(process.rounds),
        "totals": totals,
        "rounds": story["rounds"],
        "fallback": story["fallback"],
        "process": story,
        "tie_broken": False,
    }


def count_poll(questions: list[dict], ballots: Iterable[dict], electorate: int, count) -> list:
    """Per question: `{question_id, text, answered, ...count() output}`.

    `ballots` are `{receipt_hash, answers, weight}` rows (`receipt_hash`: a throwaway token);
    `count` is the voting core's `count` (passed in, so that this module stays importable
    without the core).
    """
    per_question: dict[str, list[tuple[str, dict, int]]] = {str(q["id"]): [] for q in questions}
    for ballot in ballots:
        weight = int(ballot.get("weight") or 1)
        for answer in ballot["answers"]:
            bucket = per_question.get(str(answer["question_id"]))
            if bucket is not None:
                bucket.append((ballot.get("receipt_hash", ""), answer, weight))
    results = []
    for question in questions:
        qid = str(question["id"])
        answered = per_question[qid]
        entry = {
            "question_id": qid,
            "text": question["text"],
            "answered": sum(w for _, _, w in answered),
        }
        if question["method"] in CONSENSUS_METHODS:
            entry.update(count_consensus(question, answered, electorate))
        else:
            form = form_for(question["method"])
            election = election_for(
                question, [_ballot(a, form, w) for _, a, w in answered], electorate
            )
            try:
                entry.update(count(election))
            except ValueError as exc:  # InvalidElection: settings the core refuses
                entry.update(
                    {
                        "method": question["method"],
                        "winners": [],
                        "rounds": [],
                        "tie_broken": False,
                        "error": str(exc),
                    }
                )
        entry["question_id"] = qid
        results.append(entry)
    return results
