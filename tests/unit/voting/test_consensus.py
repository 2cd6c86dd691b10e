"""Consensus rounds as a state machine: rounds, amendments, fallback vote."""

from __future__ import annotations

import pytest

from services.polls.voting import ConsensusProcess, ConsensusRules, InvalidElection, assess_round


def rules(**settings) -> ConsensusRules:
    return ConsensusRules.from_dict(settings)


def test_consensus_in_the_first_round():
    process = ConsensusProcess("Buy a van", rules(max_stand_asides=1))
    process.respond("ana", "agree")
    process.respond("bo", "stand_aside")
    process.respond("cy", "concern", reason="insurance costs")
    assert process.close_round() == "consensus"
    record = process.to_dict()
    assert record["rounds"][0]["responses"]["cy"] == {
        "response": "concern",
        "reason": "insurance costs",
    }
    assert record["rounds"][0]["outcome"] == "consensus"


def test_a_block_leads_to_amendment_and_a_new_round():
    process = ConsensusProcess("Buy a van", rules(max_rounds=2))
    process.respond("ana", "agree")
    process.respond("bo", "block", reason="we cannot afford it")
    assert process.close_round() == "needs_amendment"
    process.amend("Rent a van")
    process.respond("ana", "agree")
    process.respond("bo", "agree")
    assert process.close_round() == "consensus"
    texts = [r["text"] for r in process.to_dict()["rounds"]]
    assert texts == ["Buy a van", "Rent a van"]
    assert process.to_dict()["rounds"][0]["why_not"] == ["1 block(s)"]


def test_too_many_stand_asides_is_not_consensus():
    reached, why = assess_round(
        {
            "a": {"response": "agree"},
            "b": {"response": "stand_aside"},
            "c": {"response": "stand_aside"},
        },
        rules(max_stand_asides=1),
    )
    assert not reached
    assert "2 stand-asides" in why[0]


def test_nobody_agreeing_is_not_consensus():
    reached, why = assess_round({"a": {"response": "stand_aside"}}, rules())
    assert not reached and why == ["nobody agreed"]


@pytest.mark.parametrize("response", ["block", "concern"])
def test_blocks_and_concerns_need_a_reason(response):
    process = ConsensusProcess("Buy a van")
    with pytest.raises(InvalidElection) as error:
        process.respond("ana", response, reason="  ")
    assert error.value.field == "reason"


def test_fallback_supermajority_after_the_last_round():
    process = ConsensusProcess(
        "Buy a van", rules(max_rounds=1, fallback="3/4", fallback_quorum="1/2")
    )
    process.respond("ana", "block", reason="cost")
    assert process.close_round() == "fallback_vote"
    votes = {"a": "yes", "b": "yes", "c": "yes", "d": "no", "e": "abstain"}
    assert process.decide_by_vote(votes, electorate=10) == "carried"  # 3 of 4 voting
    assert process.to_dict()["fallback"]["votes"] == {"yes": 3, "no": 1, "abstain": 1}


def test_fallback_short_of_the_share_or_quorum():
    def run(votes, electorate):
        process = ConsensusProcess("x", rules(max_rounds=1, fallback=0.9, fallback_quorum=0.5))
        process.close_round()
        return process.decide_by_vote(votes, electorate=electorate)

    assert run({"a": "yes", "b": "yes", "c": "no"}, electorate=4) == "not_carried"
    assert run({"a": "yes"}, electorate=4) == "no_decision"  # 1 of 4 is below the quorum


def test_without_a_fallback_there_is_no_decision():
    process = ConsensusProcess("x", rules(max_rounds=1))
    process.respond("a", "block", reason="no")
    assert process.close_round() == "no_decision"
    with pytest.raises(InvalidElection):
        process.amend("y")


def test_wrong_state_and_bad_response_are_refused():
    process = ConsensusProcess("x")
    with pytest.raises(InvalidElection):
        process.respond("a", "maybe")
    with pytest.raises(InvalidElection):
        process.amend("y")  # nothing to amend while the round is open
