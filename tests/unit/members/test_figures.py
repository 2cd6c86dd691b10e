"""The arithmetic of the kept chapter figures: what a change of one member adds, what drifted."""

from __future__ import annotations

from services.members.service.figures import NOTHING, Part, differences, drift


def test_a_member_adds_once_to_each_chapter_they_belong_to():
    before = Part(frozenset({"intl", "nat", "reg", "loc1"}), (1, 1, 1))
    after = Part(frozenset({"intl", "nat", "reg", "loc1", "loc2"}), (1, 1, 1))
    assert differences(before, after) == [("loc2", 1, 1, 1)]
    assert differences(after, after) == []


def test_a_change_of_status_or_gender_moves_every_chapter_of_the_member():
    active = Part(frozenset({"intl", "loc"}), (1, 0, 1))
    gone = Part(frozenset())
    assert sorted(differences(active, gone)) == [("intl", -1, 0, -1), ("loc", -1, 0, -1)]
    woman = Part(frozenset({"intl", "loc"}), (1, 1, 1))
    assert sorted(differences(active, woman)) == [("intl", 0, 1, 0), ("loc", 0, 1, 0)]


def test_drift_names_every_chapter_whose_kept_figures_differ_from_the_count():
    counted = {"a": (3, 1, 2), "b": (1, 0, 0)}
    kept = {"a": (3, 1, 2), "b": (2, 0, 0), "c": (1, 1, 1)}
    assert sorted(drift(counted, kept)) == [
        ("b", (2, 0, 0), (1, 0, 0)),
        ("c", (1, 1, 1), NOTHING),
    ]
    assert drift(counted, dict(counted)) == []
