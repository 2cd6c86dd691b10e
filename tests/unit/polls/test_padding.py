"""Every ballot a poll can take fits its padded size, and every padded ballot has that size."""

from __future__ import annotations

import uuid

import pytest

from services.polls.padding import PaddingOverflow, ballot_size, pad, unpad

OPTIONS = ['q"uo\\te', "\u00e9" * 300, "x", "\U0001f600" * 100]


def questions():
    methods = ["plurality", "irv", "approval", "consensus", "consensus_vote"]
    return [
        {
            "id": uuid.uuid4(),
            "method": method,
            "options": ["yes", "no", "abstain"] if method == "consensus_vote" else OPTIONS,
        }
        for method in methods
    ]


def widest(qs):
    qid = [str(q["id"]) for q in qs]
    return [
        {"question_id": qid[0], "choice": "\u00e9" * 300},
        {"question_id": qid[1], "ranking": OPTIONS},
        {"question_id": qid[2], "approve": OPTIONS},
        {"question_id": qid[3], "response": "stand_aside", "reason": "\U0010ffff" * 4000},
        {"question_id": qid[4], "choice": "abstain"},
    ]


def frame(answers):
    return {"r": "f" * 64, "a": answers, "w": 10**18, "v": 2**63, "t": "e" * 64}


def test_the_widest_and_the_narrowest_ballot_pad_to_one_size():
    qs = questions()
    size = ballot_size(qs)
    wide, blank = pad(frame(widest(qs)), size), pad(frame([]), size)
    assert len(wide) == len(blank) == size
    assert unpad(wide)["a"] == widest(qs) and unpad(blank)["a"] == []


def test_a_ballot_beyond_the_bound_is_never_sealed():
    qs = questions()
    with pytest.raises(PaddingOverflow):
        pad(frame(widest(qs) + widest(qs)), ballot_size(qs))


def test_a_reason_keeps_line_breaks_and_refuses_what_would_widen_the_bound():
    from services.common.errors import ApiError
    from services.polls.answers import check_answers

    question = {
        "id": uuid.uuid4(),
        "position": 0,
        "method": "consensus",
        "options": ["agree", "stand_aside", "concern", "block"],
    }
    qid = str(question["id"])
    clean = check_answers(
        [question], [{"question_id": qid, "response": "concern", "reason": "one\r\ntwo\rthree"}]
    )
    assert clean[0]["reason"] == "one\ntwo\nthree"
    for bad in ("\x00", "\x1b[31m", "\x85", "\ud800"):
        with pytest.raises(ApiError) as refused:
            check_answers(
                [question], [{"question_id": qid, "response": "block", "reason": f"why{bad}"}]
            )
        assert refused.value.status == 422 and "answers[0].reason" in refused.value.fields
