"""The pages, one blueprint per area."""

from __future__ import annotations

from gateway.web.views import (
    accounts,
    admin,
    admin_desk,
    admin_mandates,
    admin_polls,
    chapter_manage,
    chapters,
    currents,
    delegates,
    discussion,
    installable,
    moderation,
    newsletters,
    passwords,
    people,
    poll_ballots,
    poll_list,
    polls,
    profile,
    proposals,
    settings,
    site,
    vouching,
)

BLUEPRINTS = (site.bp, accounts.bp, polls.bp, chapters.bp, delegates.bp, settings.bp,
              admin.bp, poll_list.bp, poll_ballots.bp, passwords.bp, profile.bp, vouching.bp,
              discussion.bp, proposals.bp, currents.bp, people.bp, admin_desk.bp, admin_polls.bp,
              moderation.bp, newsletters.bp, installable.bp, chapter_manage.bp,
              admin_mandates.bp)
