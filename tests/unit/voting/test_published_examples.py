"""Each method against published worked examples with known answers."""

from __future__ import annotations

from services.polls.voting import count

from .helpers import SCHULZE_45, TENNESSEE, count_ranked


class TestTennesseeCapital:
    """Wikipedia's example: the capital of Tennessee, four cities, 100 voters."""

    def test_plurality_picks_memphis(self):
        options, groups = TENNESSEE
        ballots = [{"choice": order.split(">")[0], "weight": w} for w, order in groups]
        result = count({"method": "plurality", "options": options, "ballots": ballots})
        assert result["winners"] == ["Memphis"]
        assert result["totals"] == {
            "Memphis": 42,
            "Nashville": 26,
            "Chattanooga": 15,
            "Knoxville": 17,
        }

    def test_majority_fails_the_threshold(self):
        options, groups = TENNESSEE
        ballots = [{"choice": order.split(">")[0], "weight": w} for w, order in groups]
        result = count({"method": "majority", "options": options, "ballots": ballots})
        assert result["winners"] == ["Memphis"]
        assert result["threshold_met"] is False  # 42 of 100 is not more than half
        assert result["decided"] is False

    def test_irv_elects_knoxville_after_two_eliminations(self):
        result = count_ranked("irv", *TENNESSEE)
        assert result["winners"] == ["Knoxville"]
        rounds = result["rounds"]
        assert rounds[0]["totals"] == {
            "Memphis": 42,
            "Nashville": 26,
            "Chattanooga": 15,
            "Knoxville": 17,
        }
        assert rounds[0]["eliminated"] == ["Chattanooga"]
        assert rounds[1]["totals"] == {"Memphis": 42, "Nashville": 26, "Knoxville": 32}
        assert rounds[1]["eliminated"] == ["Nashville"]
        assert rounds[2]["totals"] == {"Memphis": 42, "Knoxville": 58}
        assert rounds[2]["elected"] == ["Knoxville"]
        assert result["tie_broken"] is False

    def test_schulze_elects_the_condorcet_winner_nashville(self):
        result = count_ranked("schulze", *TENNESSEE)
        assert result["winners"] == ["Nashville"]
        assert result["ranking"] == ["Nashville", "Chattanooga", "Knoxville", "Memphis"]
        assert result["pairwise"]["Nashville"]["Memphis"] == 58

    def test_borda_totals_and_ranking(self):
        result = count_ranked("borda", *TENNESSEE)
        assert result["totals"] == {
            "Memphis": 126,
            "Nashville": 194,
            "Chattanooga": 173,
            "Knoxville": 107,
        }
        assert result["ranking"] == ["Nashville", "Chattanooga", "Memphis", "Knoxville"]
        assert result["winners"] == ["Nashville"]


class TestSchulzeWikipedia45:
    """Wikipedia, "Schulze method": 45 voters, 5 candidates; E wins, E > A > C > B > D."""

    def test_pairwise_matrix(self):
        result = count_ranked("schulze", *SCHULZE_45)
        assert result["pairwise"] == {
            "A": {"B": 20, "C": 26, "D": 30, "E": 22},
            "B": {"A": 25, "C": 16, "D": 33, "E": 18},
            "C": {"A": 19, "B": 29, "D": 17, "E": 24},
            "D": {"A": 15, "B": 12, "C": 28, "E": 14},
            "E": {"A": 23, "B": 27, "C": 21, "D": 31},
        }

    def test_strongest_paths(self):
        result = count_ranked("schulze", *SCHULZE_45)
        assert result["strongest_paths"] == {
            "A": {"B": 28, "C": 28, "D": 30, "E": 24},
            "B": {"A": 25, "C": 28, "D": 33, "E": 24},
            "C": {"A": 25, "B": 29, "D": 29, "E": 24},
            "D": {"A": 25, "B": 28, "C": 28, "E": 24},
            "E": {"A": 25, "B": 28, "C": 28, "D": 31},
        }

    def test_winner_and_ranking(self):
        result = count_ranked("schulze", *SCHULZE_45)
        assert result["winners"] == ["E"]
        assert result["potential_winners"] == ["E"]
        assert result["ranking"] == ["E", "A", "C", "B", "D"]
        assert result["tie_broken"] is False

    def test_two_seats_take_the_top_of_the_ranking(self):
        result = count_ranked("schulze", *SCHULZE_45, seats=2)
        assert result["winners"] == ["E", "A"]


class TestStvWikipediaFood:
    """Wikipedia, "Single transferable vote": 20 voters choose 3 foods for a party."""

    OPTIONS = ["Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"]
    GROUPS = [
        (4, "Oranges"),
        (2, "Pears>Oranges"),
        (8, "Chocolate>Strawberries"),
        (4, "Chocolate>Hamburgers"),
        (1, "Strawberries"),
        (1, "Hamburgers"),
    ]

    def test_winners_and_quota(self):
        result = count_ranked("stv", self.OPTIONS, self.GROUPS, seats=3)
        assert result["quota"] == 6  # floor(20 / 4) + 1
        assert result["winners"] == ["Chocolate", "Oranges", "Strawberries"]
        assert result["tie_broken"] is False

    def test_story_of_the_count(self):
        rounds = count_ranked("stv", self.OPTIONS, self.GROUPS, seats=3)["rounds"]
        assert rounds[0]["elected"] == ["Chocolate"]
        assert rounds[0]["totals"]["Chocolate"] == "12.00000"
        surplus = rounds[1]
        assert surplus["transferred_from"] == "Chocolate"
        assert surplus["transfer_value"] == "0.50000"  # surplus 6 of 12
        assert surplus["totals"]["Strawberries"] == "5.00000"
        assert surplus["totals"]["Hamburgers"] == "3.00000"
        assert surplus["totals"]["Chocolate"] == "6.00000"
        exclusion = rounds[2]
        assert exclusion["eliminated"] == ["Pears"]
        assert exclusion["elected"] == ["Oranges"]
        last = rounds[-1]
        assert last["eliminated"] == ["Hamburgers"]
        assert last["elected"] == ["Strawberries"]
        assert last["elected_without_quota"] == ["Strawberries"]
        # Hamburger ballots have nowhere to go: 1 whole ballot and 4 half-value ones.
        assert last["exhausted"] == "3.00000"


class TestBordaTruncated:
    def test_unranked_options_share_the_remaining_points(self):
        # n = 4. [A]: A 3, the others (0+1+2)/3 = 1 each. [B, C]: B 3, C 2, A and D ½ each.
        result = count_ranked("borda", ["A", "B", "C", "D"], [(1, "A"), (1, "B>C")])
        assert result["totals"] == {"A": "3.5", "B": 4, "C": 3, "D": "1.5"}
        assert result["winners"] == ["B"]
        assert "shares the rest equally" in result["truncated_ballots"]

    def test_exact_values_that_do_not_terminate_are_fractions(self):
        election = {
            "method": "borda",
            "options": ["A", "B"],
            "ballots": [{"ranking": ["A"], "weight": "1/3"}, {"ranking": ["B", "A"]}],
        }
        result = count(election)
        assert result["totals"] == {"A": "1/3", "B": 1}
        assert result["winners"] == ["B"]


class TestApproval:
    def test_most_approved_wins_with_weights(self):
        election = {
            "method": "approval",
            "options": ["Park", "Library", "Pool"],
            "seats": 2,
            "ballots": [
                {"approve": ["Park", "Library"], "weight": 3},
                {"approve": ["Pool"], "weight": 4},
                {"approve": ["Library"]},
                {"approve": []},
            ],
        }
        result = count(election)
        assert result["totals"] == {"Park": 3, "Library": 4, "Pool": 4}
        assert set(result["winners"]) == {"Library", "Pool"}
        assert result["abstentions"] == 1
        assert result["voters"] == 8
        # Library and Pool tie for the two seats: the lot only orders them.
        assert result["tie_broken"] is True
        assert result["tie_breaks"][0]["between"] == ["Library", "Pool"]
