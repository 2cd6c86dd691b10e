"""Topic pattern matching follows AMQP topic exchanges (`*` one word, `#` zero or more)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.backoff import retry_delay
from services.common.bus.transport import check_pattern, topic_matches

CASES = [
    ("members.member.registered", "members.member.registered", True),
    ("members.member.registered", "members.member.activated", False),
    ("members.*.registered", "members.member.registered", True),
    ("members.*.registered", "members.chapter.registered", True),
    ("members.*.registered", "members.member.x.registered", False),
    ("members.*", "members.member.registered", False),
    ("members.#", "members.member.registered", True),
    ("members.#", "members", True),
    ("members.#", "membersx.member", False),
    ("#", "anything.at.all", True),
    ("#", "one", True),
    ("#.closed", "polls.poll.closed", True),
    ("#.closed", "closed", True),
    ("#.closed", "polls.poll.closed.not", False),
    ("*.poll.*", "polls.poll.closed", True),
    ("*.poll.*", "polls.poll", False),
    ("members.#.joined", "members.joined", True),
    ("members.#.joined", "members.membership.joined", True),
    ("members.#.joined", "members.a.b.joined", True),
    ("members.#.joined", "members.a.b.left", False),
    ("*", "members", True),
    ("*", "members.member", False),
    ("#.#", "a.b", True),
    ("a.*.#", "a", False),
    ("a.*.#", "a.b", True),
    ("a.*.#", "a.b.c.d", True),
]


@pytest.mark.parametrize(("pattern", "key", "expected"), CASES)
def test_topic_matching(pattern, key, expected):
    assert topic_matches(pattern, key) is expected


@pytest.mark.parametrize("pattern", ["", "a..b", "a.b*", "a.#b", "a b", "a.(b)", "a.b$"])
def test_invalid_patterns_are_refused(pattern):
    with pytest.raises(ValueError):
        check_pattern(pattern)


def _reference(pattern: list[str], key: list[str]) -> bool:
    """AMQP topic matching, by the book, recursively."""
    if not pattern:
        return not key
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_reference(rest, key[i:]) for i in range(len(key) + 1))
    if not key:
        return False
    return (head == "*" or head == key[0]) and _reference(rest, key[1:])


words = st.sampled_from(["a", "b", "c"])


@given(
    pattern=st.lists(st.one_of(words, st.sampled_from(["*", "#"])), min_size=1, max_size=5),
    key=st.lists(words, min_size=1, max_size=6),
)
def test_matching_agrees_with_the_reference(pattern, key):
    assert topic_matches(".".join(pattern), ".".join(key)) == _reference(pattern, key)


def test_pattern_regex_is_also_a_postgres_regex():
    # Only constructs both dialects read the same way: ^ $ \. [^.] ( ) *
    from services.common.bus.transport import pattern_regex

    assert re.fullmatch(r"[\^$\\.\[\]a-z0-9_()*#-]+", pattern_regex("a.*.#.b-c_d"))


def test_retry_delay_grows_and_is_capped():
    assert [retry_delay(n, 0.5, 3.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
