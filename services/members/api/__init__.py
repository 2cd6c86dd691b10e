"""Routes of the members service (full public paths; the gateway forwards them unchanged),
one flask-smorest blueprint per area, thin: parse, call one use case, return."""

from __future__ import annotations

from services.members.api import (
    audit,
    auth,
    chapters,
    currents,
    delegates,
    mandates,
    members,
    parked,
    recalls,
    targets,
)

BLUEPRINTS = [
    auth.blp,
    members.blp,
    chapters.blp,
    currents.blp,
    mandates.blp,
    audit.blp,
    targets.blp,
    delegates.blp,
    recalls.blp,
    parked.blp,
]
