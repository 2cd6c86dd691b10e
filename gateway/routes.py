"""Which service answers which public path: the longest matching prefix wins."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "/api/v1/auth": "members",
    "/api/v1/members": "members",
    "/api/v1/chapters": "members",
    "/api/v1/currents": "members",
    "/api/v1/targets": "members",
    "/api/v1/mandates": "members",
    "/api/v1/audit": "members",
    "/api/v1/recalls": "members",
    "/api/v1/polls": "polls",
    "/api/v1/proposals": "polls",
    "/api/v1/delegates": "polls",
    "/api/v1/comment-reports": "polls",
    "/api/v1/notifications": "notify",
    "/api/v1/unsubscribe": "notify",
    "/api/v1/newsletters": "notify",
    "/api/v1/parked-events/members": "members",
    "/api/v1/parked-events/polls": "polls",
    "/api/v1/parked-events/notify": "notify",
}

# Paths reachable without a token; everything else still gets verified by the service itself.
_SORTED = sorted(ROUTES.items(), key=lambda item: len(item[0]), reverse=True)


def service_for(path: str) -> str | None:
    for prefix, service in _SORTED:
        if path == prefix or path.startswith(prefix + "/"):
            return service
    return None
