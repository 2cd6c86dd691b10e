"""The pages, one blueprint per area."""

from __future__ import annotations

from gateway.web.views import (
    accounts,
    admin,
    admin_desk,
    admin_polls,
    chapters,
    delegates,
    discussion,
    passwords,
    polls,
    profile,
    proposals,
    results,
    settings,
    site,
    vouching,
)

BLUEPRINTS = (site.bp, accounts.bp, polls.bp, results.bp, chapters.bp, delegates.bp,
              settings.bp, admin.bp, passwords.bp, profile.bp, vouching.bp, discussion.bp,
              proposals.bp, admin_desk.bp, admin_polls.bp)
