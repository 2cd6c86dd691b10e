"""The events notify consumes, one `EventHandlers` registry per consumer (queue).

`contacts_and_announcements`: the replica of members (`contacts`), account mail (`accounts`),
poll announcements and mentions (`polls`), recall steps (`recall`), by-elections
(`by_elections`), upward requests (`upward`), challenges to affected weights (`challenges`),
and the shared deny-list of access tokens. Handlers are
`(ctx, cur, event) -> None` and idempotent; `worker.py` binds each registry to the context and
gives the table to a `Consumer`.
"""

from __future__ import annotations

from services.common.bus.handlers import EventHandlers
from services.common.revocation import DENY_LIST
from services.notify.handlers.accounts import ACCOUNTS
from services.notify.handlers.by_elections import BY_ELECTIONS
from services.notify.handlers.challenges import CHALLENGES
from services.notify.handlers.contacts import CONTACTS
from services.notify.handlers.polls import POLLS
from services.notify.handlers.recall import RECALL
from services.notify.handlers.upward import UPWARD

# Order matters where two handle one type: `members.member.deleted` tombstones the contact,
# then blocks the member's tokens.
CONTACTS_AND_ANNOUNCEMENTS = (
    EventHandlers("contacts_and_announcements")
    .include(ACCOUNTS)
    .include(CONTACTS)
    .include(POLLS)
    .include(RECALL)
    .include(BY_ELECTIONS)
    .include(UPWARD)
    .include(CHALLENGES)
    .include(DENY_LIST)
)

REGISTRIES = (CONTACTS_AND_ANNOUNCEMENTS,)
