"""Joining or leaving a group (a chapter or a current) from its page's form."""

from __future__ import annotations

from flask import flash, redirect, request

from gateway.client import ApiProblem
from gateway.web.context import api, me, to_login


def join_or_leave(api_path: str, back: str, left: str, joined: str):
    """Posts `join` or `leave` (the form's `action`) to the group at `api_path`, says how it
    went (`left` / `joined`, or the API's refusal) and goes back to the group's page."""
    if not me():
        return to_login(back)
    leaving = request.form.get("action") == "leave"
    try:
        api().post(f"{api_path}/{'leave' if leaving else 'join'}")
    except ApiProblem as problem:
        if problem.status not in (403, 404, 409, 422):
            raise
        flash(problem.message, "error")
    else:
        flash(left if leaving else joined, "info")
    return redirect(back)
