"""The pages, one blueprint per area."""

from __future__ import annotations

from gateway.web.views import (
    accounts,
    admin,
    chapters,
    delegates,
    poll_ballots,
    poll_list,
    polls,
    settings,
    site,
)

BLUEPRINTS = (site.bp, accounts.bp, polls.bp, chapters.bp, delegates.bp, settings.bp,
              admin.bp, poll_list.bp, poll_ballots.bp)
