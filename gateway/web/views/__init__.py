"""The pages, one blueprint per area."""

from __future__ import annotations

from gateway.web.views import (
    accounts,
    admin,
    chapters,
    delegates,
    discussion,
    polls,
    proposals,
    results,
    settings,
    site,
)

BLUEPRINTS = (site.bp, accounts.bp, polls.bp, results.bp, chapters.bp, delegates.bp,
              settings.bp, admin.bp, discussion.bp, proposals.bp)
