"""Admin pages: launching a poll, approving members, sending newsletters."""

from __future__ import annotations

import re
import uuid

from babel import Locale
from flask import Blueprint, current_app, flash, redirect, request, session, url_for

from gateway.client import ApiProblem
from gateway.web import ballot as ballots
from gateway.web.affected_form import (
    affected_shown,
    blank_affected,
    chapters_inside,
    check_affected,
)
from gateway.web.context import api, render, require_admin, translator, uuid_or_404
from gateway.web.forms import (
    NEWSLETTER_TRANSLATIONS,
    blank_poll,
    blank_question,
    check_newsletter,
    check_poll,
    field_time,
    launchable,
    newsletter_body,
    poll_body,
    read_newsletter_form,
    read_poll_form,
)
from gateway.web.i18n import LANGUAGES
from gateway.web.labels import when

bp = Blueprint("admin", __name__, url_prefix="/admin")


def scope_choices() -> dict:
    """Chapters and currents an admin may address (polls, newsletters)."""
    client = api()
    return {
        "chapters": client.get("/api/v1/chapters", limit=500),
        "currents": client.get("/api/v1/currents", limit=500),
    }


def poll_form_choices(draft: dict, choices: dict) -> dict:
    """The poll form's choices with the chapters its scope may weight and the largest weight."""
    return {
        **choices,
        "affected_chapters": chapters_inside(
            choices["chapters"], draft.get("scope_type") or "", draft.get("chapter_id") or ""
        ),
        "max_weight": current_app.config["WEB"].affected_max_weight,
    }


def scope_name(scope: dict, choices: dict) -> str:
    _ = translator()
    if scope.get("type") == "organisation":
        return _("Every active member of the organisation")
    pool = choices["chapters" if scope.get("type") == "chapter" else "currents"]
    name = next((c.get("name") for c in pool if str(c.get("id")) == scope.get("id")), "?")
    return (
        _("Members of the chapter {name} and its sub-chapters", name=name)
        if scope.get("type") == "chapter"
        else _("Members of the current {name}", name=name)
    )


def language_name(code: str) -> str:
    """A language's name in the reader's language ("Spanish", "espagnol")."""
    name = Locale.parse(code).get_display_name(translator().language) or code
    return name[:1].upper() + name[1:]


def api_errors(problem: ApiProblem) -> dict:
    """The API's field errors beside the form's fields (questions[0].quorum → question-0-…)."""
    errors = {"_": problem.message}
    for name, messages in problem.fields.items():
        text = " ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
        match = re.match(r"(questions|affected)\[?\.?(\d+)\]?\.(\w+)", name)
        row = "question" if match and match.group(1) == "questions" else "affected"
        key = f"{row}-{match.group(2)}-{match.group(3)}" if match else name
        errors[key] = text
        if not match and name not in ("title", "closes_at", "opens_at"):
            errors["_"] += f" {name}: {text}"
    return errors


def draft_from_poll(poll: dict) -> dict:
    """A new draft that copies an earlier poll (its dates start afresh)."""
    draft = blank_poll()
    scope = poll.get("scope") or {}
    draft.update(
        title=poll.get("title", ""),
        text=poll.get("text") or "",
        scope_type=scope.get("type", "organisation"),
        chapter_id=(scope.get("id") or "") if scope.get("type") == "chapter" else "",
        current_id=(scope.get("id") or "") if scope.get("type") == "current" else "",
        live_results=bool(poll.get("live_results")),
        affected=[
            {"chapter_id": str(a["chapter_id"]), "weight": str(a["weight"]), "reason": a["reason"]}
            for a in poll.get("affected") or []
            if a.get("chapter_id") and a.get("weight") and a.get("reason")
        ],
    )
    questions = []
    for question in poll.get("questions") or []:
        item = blank_question()
        item.update(
            text=question.get("text", ""),
            method=question.get("method", "plurality"),
            options="\n".join(question.get("options") or []),
            seats=str(question.get("seats") or ""),
        )
        if question.get("threshold"):
            item["threshold"] = str(question["threshold"])
        for key in ("quorum", "fallback"):
            if isinstance(question.get(key), int | float):
                item[key] = f"{question[key] * 100:g}"
        for key in ("max_stand_asides", "max_rounds"):
            if question.get(key) is not None:
                item[key] = str(question[key])
        questions.append(item)
    draft["questions"] = questions or [blank_question()]
    return draft


@bp.route("/polls/new", methods=["GET", "POST"])
def new_poll():
    _ = translator()
    require_admin()
    table = api().voting_methods()  # polls' table of methods
    choices = {**scope_choices(), "methods": launchable(table)}
    if request.method == "GET":
        earlier = request.args.get("from")
        if earlier:
            uuid_or_404(earlier)
            draft = draft_from_poll(api().get(f"/api/v1/polls/{earlier}"))
        else:
            draft = {**blank_poll(), **(session.get("new_poll") or {})}
        return render(
            "admin_poll.html",
            draft=draft,
            errors={},
            earlier=api().get("/api/v1/polls", limit=50).get("polls") or [],
            copied_from=earlier or "",
            **poll_form_choices(draft, choices),
        )
    draft = read_poll_form(request.form)
    form = poll_form_choices(draft, choices)
    if request.form.get("action") in ("add", "add_affected"):
        if request.form["action"] == "add":
            draft["questions"].append(blank_question())
        else:
            draft["affected"].append(blank_affected())
        return render("admin_poll.html", draft=draft, errors={}, **form)
    errors = check_poll(_, draft, table)
    errors.update(
        check_affected(_, draft["affected"], form["affected_chapters"], form["max_weight"])
    )
    if errors:
        return render("admin_poll.html", 422, draft=draft, errors=errors, **form)
    session["new_poll"] = draft
    body = poll_body(draft, table)
    try:  # the server's own checks, nothing created: what passes here launches
        preview = api().call("POST", "/api/v1/polls", json=body, params={"dry_run": "true"})
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        return render("admin_poll.html", 422, draft=draft, errors=api_errors(problem), **form)
    ballot = ballots.shown(_, preview.get("questions") or body["questions"], table, None)
    return render(
        "admin_poll_review.html",
        draft=draft,
        body=body,
        preview=preview,
        who=scope_name(body["scope"], choices),
        affected=affected_shown(body.get("affected") or [], choices["chapters"]),
        questions=ballot,
        errors={},
    )


@bp.post("/polls/launch")
def launch_poll():
    _ = translator()
    require_admin()
    draft = session.get("new_poll")
    if not draft:
        return redirect(url_for("admin.new_poll"))
    try:
        table = api().voting_methods()
        created = api().post("/api/v1/polls", poll_body(draft, table))
    except ApiProblem as problem:
        if problem.status == 422:
            choices = {**scope_choices(), "methods": launchable(table)}
            return render(
                "admin_poll.html",
                422,
                draft={**blank_poll(), **draft},
                errors=api_errors(problem),
                **poll_form_choices(draft, choices),
            )
        raise
    session.pop("new_poll", None)
    if created.get("status") == "scheduled":
        flash(_("Poll scheduled: it opens {when}.", when=when(created.get("opens_at"))), "info")
    else:
        flash(_("Poll launched: members can vote now."), "info")
    return redirect(url_for("polls.poll", poll_id=created["id"]))


def _send_once(_, form: dict):
    """Send what was previewed, once. The preview puts a key in the session and sending
    spends it, as launching a poll spends its draft: the same preview sent again (a reload,
    the back button, a second click) sends nothing more."""
    if not form["preview_key"] or session.get("newsletter_preview") != form["preview_key"]:
        flash(
            _(
                "Nothing was sent: this preview was sent already. To send another newsletter, "
                "write it and preview it."
            ),
            "info",
        )
        return redirect(url_for("admin.newsletters"))
    sent = api().post("/api/v1/newsletters", newsletter_body(form))
    session.pop("newsletter_preview", None)
    if sent.get("send_at"):
        flash(
            _(
                "Newsletter scheduled for {when}. Who gets it is counted when it goes; until "
                "then you can change its time or cancel it below.",
                when=when(sent["send_at"]),
            ),
            "info",
        )
    else:
        flash(_queued(sent.get("recipients")), "info")
    return redirect(url_for("admin.newsletters"))


def _preview_each_language(body: dict) -> dict:
    """The preview's counts, and the whole mail as a member reading each language gets it."""
    mails = [
        api().post("/api/v1/newsletters/preview", {**body, "language": language})
        for language in LANGUAGES
    ]
    return {
        **mails[0],
        "mails": [(language_name(m["mail"]["language"]), m["mail"]) for m in mails],
    }


def _queued(recipients: int | None) -> str:
    """What the admin reads once a newsletter is queued: its members are counted as it fans
    out, after this answer, so no number is given before then (it said "0 members")."""
    _ = translator()
    if recipients is None:
        return _("Newsletter queued; the figures below update as it is sent.")
    return _("Newsletter queued for {n} members; figures below update as it is sent.", n=recipients)


@bp.route("/newsletters", methods=["GET", "POST"])
def newsletters():
    """Compose, preview (who gets it, who not and why, the mail itself), test, then send."""
    _ = translator()
    require_admin()
    choices = scope_choices()
    form = read_newsletter_form(request.form)
    errors: dict[str, str] = {}
    preview = None
    if request.method == "POST":
        action = request.form.get("action") or "preview"
        errors = check_newsletter(_, form)
        if not errors:
            try:
                if action == "send":
                    return _send_once(_, form)
                if action == "test":
                    body = newsletter_body(form)
                    api().post(
                        "/api/v1/newsletters/test",
                        {k: body[k] for k in ("subject", "body", "translations") if k in body},
                    )
                    flash(_("A test is on its way to your own address."), "info")
                else:
                    preview = _preview_each_language(newsletter_body(form))
                    preview["key"] = session["newsletter_preview"] = uuid.uuid4().hex
                    preview["send_at"] = newsletter_body(form).get("send_at")
            except ApiProblem as problem:
                if problem.status != 422:
                    raise
                errors["_"] = (
                    _("You have no verified email address to send a test to.")
                    if problem.code == "no_verified_address"
                    else problem.message
                )
                if "send_at" in problem.fields:  # its time passed between preview and send
                    errors["send_at"] = _("The time to send it must be in the future.")
    return newsletters_page(form, errors, preview, choices)


def newsletters_page(
    form: dict, errors: dict, preview=None, choices=None, status=None, edited=None
):
    """/admin/newsletters: the form (and its preview), the scheduled newsletters with their
    time, and those sent with their figures."""
    choices = choices or scope_choices()
    listed = api().get("/api/v1/newsletters", limit=20)
    for item in listed:
        item["who"] = scope_name(item.get("scope") or {"type": "organisation"}, choices)
        if item.get("status") == "scheduled":
            item["field_time"] = (edited or {}).get(str(item["id"])) or field_time(
                item.get("send_at")
            )
    who = scope_name(newsletter_body(form)["scope"], choices) if preview else ""
    return render(
        "admin_newsletters.html",
        status or (422 if errors else 200),
        form=form,
        errors=errors,
        scheduled=[n for n in listed if n.get("status") == "scheduled"],
        sent=[n for n in listed if n.get("status") != "scheduled"],
        preview=preview,
        who=who,
        translated=[(lang, language_name(lang)) for lang in NEWSLETTER_TRANSLATIONS],
        **choices,
    )
