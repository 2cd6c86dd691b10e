"""What the admin's poll desk shows beyond the poll itself: the public roll-call of a delegate
poll (who voted, for how many members, and what), and the consensus questions that may go on
to a next round or a fallback vote."""

from __future__ import annotations

from gateway.client import ApiClient, ApiProblem

CONTINUING = ("needs_amendment", "fallback_vote")


def _answer_text(answer: dict) -> str:
    if answer.get("abstain"):
        return "—"
    for key in ("choice", "response"):
        if answer.get(key):
            return str(answer[key])
    for key in ("ranking", "approve"):
        if answer.get(key):
            return (
                " > ".join(map(str, answer[key]))
                if key == "ranking"
                else ", ".join(map(str, answer[key]))
            )
    return ""


def roll_call(client: ApiClient, poll: dict) -> dict | None:
    """A delegate poll's electors with their names and answers in one line per question;
    None for any other poll (the API has no roll-call for them)."""
    try:
        roll = client.get(f"/api/v1/polls/{poll['id']}/roll-call")
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        return None
    names = {
        str(m.get("member_id")): m.get("member_name")
        for m in client.get("/api/v1/mandates", role="delegate", limit=500)
    }
    order = {str(q.get("id")): i for i, q in enumerate(poll.get("questions") or [])}
    for elector in roll.get("electors") or []:
        elector["name"] = names.get(str(elector.get("member_id"))) or elector.get("member_id")
        answers = sorted(
            elector.get("answers") or [], key=lambda a: order.get(str(a.get("question_id")), 0)
        )
        elector["said"] = [_answer_text(a) for a in answers]
    return roll


def next_rounds(client: ApiClient, poll: dict) -> list[dict]:
    """The poll's counted consensus questions that need a next round or the fallback vote,
    with the text of their last round to amend."""
    if poll.get("status") != "closed" or not poll.get("counted"):
        return []
    try:
        results = client.get(f"/api/v1/polls/{poll['id']}/results")
    except ApiProblem as problem:
        if problem.status != 409:
            raise
        return []
    texts = {str(q.get("id")): q.get("text") for q in poll.get("questions") or []}
    return [
        {
            "question_id": q.get("question_id"),
            "status": q.get("status"),
            "text": texts.get(str(q.get("question_id")), ""),
        }
        for q in results.get("questions") or []
        if q.get("method") == "consensus" and q.get("status") in CONTINUING
    ]
