"""Every event type in the catalogue is consumed by some service, or is listed here as
deliberately unconsumed with the reason (issue 13: the reset and re-verification events were
published for a long time and nobody mailed them)."""

from __future__ import annotations

from services.common.bus.catalogue import CATALOGUE

UNCONSUMED = {
    "system.ping.sent": "a liveness probe of the bus; tests and operators consume it by hand",
    "polls.poll.deadline_extended": "a fact for the audit trail and the poll page; no mail "
    "announces it yet (voters see the new deadline on the poll)",
    "polls.consensus.round_started": "the next round is a new poll, announced to its "
    "electorate by its own polls.poll.opened",
}


def consumed_types() -> dict[str, list[str]]:
    """Routing key → the consumers (queue names) whose handler tables take it."""
    from services.members.handlers import DELEGATES_AND_RECALL
    from services.notify.handlers import CONTACTS_AND_ANNOUNCEMENTS
    from services.polls.handlers.delegates import DELEGATES
    from services.polls.handlers.electorate import ELECTORATE

    tables = {
        "members/delegates_and_recall": DELEGATES_AND_RECALL.bind(None),
        "polls/electorate": ELECTORATE.bind(None),
        "polls/delegates": DELEGATES.bind(None),
        "notify/contacts_and_announcements": CONTACTS_AND_ANNOUNCEMENTS.event_types,
    }
    by_type: dict[str, list[str]] = {}
    for consumer, table in tables.items():
        for name in table:
            by_type.setdefault(name, []).append(consumer)
    return by_type


def test_every_catalogued_event_is_consumed_or_deliberately_not():
    consumed = consumed_types()
    orphans = sorted(set(CATALOGUE) - set(consumed) - set(UNCONSUMED))
    assert orphans == [], f"published but nobody consumes them: {orphans}"


def test_the_unconsumed_list_is_not_stale():
    consumed = consumed_types()
    assert sorted(set(UNCONSUMED) & set(consumed)) == []
    assert set(UNCONSUMED) <= set(CATALOGUE)


def test_account_mail_events_reach_notify():
    consumed = consumed_types()
    for name in (
        "members.member.password_reset_requested",
        "members.member.verification_requested",
        "members.member.email_changed",
    ):
        assert "notify/contacts_and_announcements" in consumed[name], name
    for name in ("members.session.revoked", "members.member.suspended", "members.member.restored"):
        assert len(consumed[name]) >= 2, name  # polls and notify keep the deny-list
