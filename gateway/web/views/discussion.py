"""The discussion under a poll or a proposal: reading it a page of threads at a time, posting,
replying, liking, editing within the window and reporting a comment.

`_discussion.html` calls `load_discussion(kind, subject_id)` itself, so a page shows the
discussion by including the partial; every form posts here and comes back to the page.
"""

from __future__ import annotations

import datetime as dt
import uuid

from flask import Blueprint, abort, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, me, render, to_login, translator, uuid_or_404
from gateway.web.numbers import page_number

bp = Blueprint("discussion", __name__)

KINDS = {"polls": "poll", "proposals": "proposal"}
SORTS = ("newest", "best", "oldest")
THREADS_PER_PAGE = 20
BODY_MAX = 10000
REASON_MAX = 1000
HIDE_REASON_MAX = 2000


def _page_number() -> int:
    return page_number(request.args.get("page"), 100_000)


def _thread_id() -> str | None:
    """`?thread=<comment id>`: that comment's replies are the page's threads."""
    raw = request.args.get("thread") or ""
    if not raw:
        return None
    uuid_or_404(raw)
    return str(uuid.UUID(raw))


def _reply_to() -> str | None:
    """`?reply_to=<comment id>`: the one reply form of the page is under that comment."""
    raw = request.args.get("reply_to") or ""
    try:
        return str(uuid.UUID(raw)) if raw else None
    except ValueError:
        return None


def load_discussion(kind: str, subject_id: str) -> dict:
    """One page of the discussion for the page being shown (sort, page and thread from the
    query; `reply_to`, the comment whose reply form is open)."""
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "newest"
    page, thread = _page_number(), _thread_id()
    try:
        data = api().get(
            f"/api/v1/{kind}s/{subject_id}/comments",
            sort=sort,
            limit=THREADS_PER_PAGE,
            offset=(page - 1) * THREADS_PER_PAGE,
            thread=thread,
        )
    except ApiProblem as problem:  # the page stands without its discussion
        if thread and problem.status == 404:
            abort(404)
        return {"unavailable": True}
    pages = max(1, -(-data.get("threads", 0) // THREADS_PER_PAGE))
    member = me()
    shown = data.get("comments", []) + ([data["thread"]] if data.get("thread") else [])
    _mark_editable(shown, str(member["id"]) if member else None, dt.datetime.now(dt.UTC))
    if data.get("thread"):
        data["thread"]["replies_not_shown"] = 0  # they are the page
    query = {"sort": sort, **({"thread": thread} if thread else {})}
    here = {**query, **({"page": page} if page > 1 else {})}
    return {
        **data,
        "kind": kind,
        "collection": f"{kind}s",
        "subject_id": subject_id,
        "sort": sort,
        "page": page,
        "pages": pages,
        "member": member,
        "body_max": BODY_MAX,
        "query": query,
        "here": here,  # this page of the discussion, without an open reply form
        "reply_to": _reply_to() if member else None,
    }


def _mark_editable(comments: list[dict], member_id: str | None, now: dt.datetime) -> None:
    """`can_edit` on the reader's own comments still inside the edit window."""
    stack = list(comments)
    while stack:
        comment = stack.pop()
        until = dt.datetime.fromisoformat(comment["editable_until"])
        comment["can_edit"] = (
            member_id is not None
            and comment["author_id"] == member_id
            and not comment["hidden"]
            and now < until
        )
        stack.extend(comment.get("replies", []))


def _subject_url(collection: str, subject_id: str, anchor: str = "discussion") -> str:
    back = request.form.get("back") or ""
    base = f"/{collection}/{subject_id}"
    if not back.startswith(base):
        back = base
    return back.split("#")[0] + "#" + anchor


def _guard(collection: str, subject_id: str, comment_id: str | None = None) -> str:
    if collection not in KINDS:
        abort(404)
    uuid_or_404(subject_id)
    if comment_id is not None:
        uuid_or_404(comment_id)
    return f"/api/v1/{collection}/{subject_id}/comments"


def _field_error(problem: ApiProblem, field: str) -> str:
    messages = problem.fields.get(field) if problem.fields else None
    return " ".join(map(str, messages)) if messages else problem.message


@bp.post("/<collection>/<subject_id>/comments")
def post_comment(collection, subject_id):
    base = _guard(collection, subject_id)
    _ = translator()
    if not me():
        return to_login(f"/{collection}/{subject_id}")
    body = (request.form.get("body") or "").strip()
    parent_id = request.form.get("parent_id") or None
    form = {"body": body, "parent_id": parent_id, "back": request.form.get("back", "")}
    if not body:
        return _comment_form(collection, subject_id, form, _("Write your comment."))
    try:
        created = api().post(base, {"body": body, "parent_id": parent_id})
    except ApiProblem as problem:
        if problem.status not in (403, 404, 422):
            raise
        field = "parent_id" if problem.fields and "parent_id" in problem.fields else "body"
        return _comment_form(
            collection, subject_id, form, _field_error(problem, field), problem.status
        )
    flash(_("Your comment is posted."), "success")
    return redirect(_subject_url(collection, subject_id, f"c-{created['id']}"))


def _comment_form(collection, subject_id, form, error, status=422):
    trail = discussion_trail(collection, subject_id, translator()("Your comment"))
    return render(
        "comment_form.html",
        status,
        collection=collection,
        subject_id=subject_id,
        form=form,
        error=error,
        body_max=BODY_MAX,
        trail=trail,
    )


def _edit_trail(collection: str, subject_id: str) -> list:
    return discussion_trail(collection, subject_id, translator()("Edit your comment"))


@bp.post("/<collection>/<subject_id>/comments/<comment_id>/reaction")
def react(collection, subject_id, comment_id):
    base = _guard(collection, subject_id, comment_id)
    if not me():
        return to_login(f"/{collection}/{subject_id}")
    reaction = request.form.get("reaction")
    reaction = reaction if reaction in ("like", "dislike") else None
    api().call("PUT", f"{base}/{comment_id}/reaction", json={"reaction": reaction})
    return redirect(_subject_url(collection, subject_id, f"c-{comment_id}"))


@bp.route("/<collection>/<subject_id>/comments/<comment_id>/edit", methods=["GET", "POST"])
def edit(collection, subject_id, comment_id):
    base = _guard(collection, subject_id, comment_id)
    _ = translator()
    if not me():
        return to_login(request.path)
    if request.method == "GET":
        comment = api().get(f"{base}/{comment_id}")
        return render(
            "comment_edit.html",
            collection=collection,
            subject_id=subject_id,
            comment=comment,
            body=comment.get("body") or "",
            error=None,
            body_max=BODY_MAX,
            trail=_edit_trail(collection, subject_id),
        )
    body = (request.form.get("body") or "").strip()
    comment = {"id": comment_id, "editable_until": request.form.get("editable_until", "")}
    error, status = None, 422
    if not body:
        error = _("Write your comment.")
    else:
        try:
            api().call("PATCH", f"{base}/{comment_id}", json={"body": body})
        except ApiProblem as problem:
            if problem.status not in (403, 409, 422):
                raise
            error, status = _field_error(problem, "body"), problem.status
            if problem.code == "edit_window_closed":
                error = _("The 15 minutes to edit this comment are over.")
    if error:
        return render(
            "comment_edit.html",
            status,
            collection=collection,
            subject_id=subject_id,
            comment=comment,
            body=body,
            error=error,
            body_max=BODY_MAX,
            trail=_edit_trail(collection, subject_id),
        )
    flash(_("Your comment is updated."), "success")
    return redirect(f"/{collection}/{subject_id}#c-{comment_id}")


def _reason_texts(_, action: str) -> dict:
    """The words of the page asking a reason: reporting a comment or hiding it."""
    if action == "hide":
        return {
            "title": _("Hide a comment"),
            "check": _("Please check the reason"),
            "explain": _(
                "Hidden comments stay in the discussion: members see who wrote "
                "them, when, and your reason instead of the text."
            ),
            "label": _("The reason members will read in its place"),
            "button": _("Hide the comment"),
            "missing": _("Give the reason members will read in its place."),
            "done": _("The comment is hidden; its reason is shown in its place."),
        }
    return {
        "title": _("Report a comment"),
        "check": _("Please check your report"),
        "explain": _(
            "The moderators read reports and may hide the comment with a public "
            "reason. The author is not told who reported it."
        ),
        "label": _("What is wrong with it?"),
        "button": _("Send the report"),
        "missing": _("Say what is wrong with this comment."),
        "done": _("Thank you: the moderators will look at this comment."),
    }


def discussion_trail(collection: str, subject_id: str, here: str) -> list:
    """Breadcrumbs of a page about the discussion of a poll or a proposal."""
    _ = translator()
    listing = (
        (_("Polls"), url_for("poll_list.polls"))
        if collection == "polls"
        else (_("Proposals"), url_for("proposals.proposals"))
    )
    return [
        (_("Home"), url_for("site.home")),
        listing,
        (_("The discussion"), f"/{collection}/{subject_id}#discussion"),
        (here, None),
    ]


def _reason_page(collection: str, subject_id: str, comment_id: str, action: str):
    """Report (any member) or hide (moderators) one comment, with a reason."""
    base = _guard(collection, subject_id, comment_id)
    _ = translator()
    if not me():
        return to_login(request.path)
    texts = _reason_texts(_, action)
    reason, error, status = (request.form.get("reason") or "").strip(), None, 200
    if request.method == "POST":
        status = 422
        if not reason:
            error = texts["missing"]
        else:
            try:
                api().post(f"{base}/{comment_id}/{action}", {"reason": reason})
            except ApiProblem as problem:
                if problem.status not in (403, 409, 422):
                    raise
                error, status = _field_error(problem, "reason"), problem.status
        if not error:
            flash(texts["done"], "success")
            return redirect(f"/{collection}/{subject_id}#c-{comment_id}")
    comment = api().get(f"{base}/{comment_id}")
    return render(
        "comment_reason.html",
        status,
        collection=collection,
        subject_id=subject_id,
        comment_id=comment_id,
        comment=comment,
        reason=reason,
        error=error,
        texts=texts,
        endpoint=f"discussion.{action}",
        trail=discussion_trail(collection, subject_id, texts["title"]),
        reason_max=HIDE_REASON_MAX if action == "hide" else REASON_MAX,
    )


@bp.route("/<collection>/<subject_id>/comments/<comment_id>/report", methods=["GET", "POST"])
def report(collection, subject_id, comment_id):
    return _reason_page(collection, subject_id, comment_id, "report")


@bp.route("/<collection>/<subject_id>/comments/<comment_id>/hide", methods=["GET", "POST"])
def hide(collection, subject_id, comment_id):
    """Moderators (whoever may open a poll of this scope) hide a comment with a public reason."""
    return _reason_page(collection, subject_id, comment_id, "hide")
