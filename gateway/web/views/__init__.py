"""The pages, one blueprint per area."""

from __future__ import annotations

from gateway.web.views import (
    accounts,
    admin,
    admin_desk,
    admin_polls,
    chapters,
    delegates,
    polls,
    settings,
    site,
)

BLUEPRINTS = (site.bp, accounts.bp, polls.bp, chapters.bp, delegates.bp, settings.bp,
              admin.bp, admin_desk.bp, admin_polls.bp)
