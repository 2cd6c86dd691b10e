"""notify's routes, one flask-smorest blueprint per area; thin: parse, call a use case, return."""

from __future__ import annotations

from services.notify.api.newsletters import newsletters
from services.notify.api.notifications import notifications
from services.notify.api.parked import parked
from services.notify.api.unsubscribe import unsubscribe

BLUEPRINTS = [notifications, unsubscribe, newsletters, parked]
