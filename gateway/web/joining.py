"""Joining or leaving a group (a chapter or a current) from its page's form."""

from __future__ import annotations

from flask import flash, redirect, request

from gateway.client import ApiProblem
from gateway.web.context import api, me, to_login, translator, uuid_or_404


def _said(collection: str, leaving: bool) -> str:
    _ = translator()
    if collection == "chapters":
        return _("You left this chapter.") if leaving else _("You joined this chapter.")
    return _("You left this current.") if leaving else _("You joined this current.")


def join_or_leave(collection: str, group_id: str, back: str):
    """Posts `join` or `leave` (the form's `action`) to `/api/v1/<collection>/<group_id>`, says
    how it went (or the API's refusal) and goes back to the group's page."""
    uuid_or_404(group_id)
    if not me():
        return to_login(back)
    leaving = request.form.get("action") == "leave"
    try:
        api().post(f"/api/v1/{collection}/{group_id}/{'leave' if leaving else 'join'}")
    except ApiProblem as problem:
        if problem.status not in (403, 404, 409, 422):
            raise
        flash(problem.message, "error")
    else:
        flash(_said(collection, leaving), "info")
    return redirect(back)
