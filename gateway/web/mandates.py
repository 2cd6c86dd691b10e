"""A member's mandates and the public audit entries about them, for the admin's member page
(with where the members elect, so nobody appoints there); the audit log's actions in words;
when the members themselves may launch the election of their coordinators or admins, and the
election of the kind already under way (issue 18)."""

from __future__ import annotations

from gateway.client import ApiClient, ApiProblem
from gateway.web.i18n import Translator

AUDIT_SHOWN = 20


def audit_action(_: Translator, action: str) -> str:
    return {
        "mandate.granted": _("Mandate granted"),
        "mandate.revoked": _("Mandate revoked"),
        "mandate.ended": _("Mandate ended"),
        "mandate.term_changed": _("Mandate's end changed"),
        "member.rejected": _("Membership refused"),
        "member.suspended": _("Account suspended"),
        "member.restored": _("Suspension lifted"),
        "member.vouched": _("Vouched for"),
        "member.activated_by_admin": _("Approved by an admin"),
        "member.activated_by_vouch": _("Approved by vouches"),
        "chapter.updated": _("Chapter changed"),
        "member.added_by_admin": _("Added by an admin"),
        "member.email_changed": _("Email address changed"),
        "meeting.recorded": _("Meeting recorded"),
        "meeting.changed": _("Meeting corrected"),
        "meeting.deleted": _("Meeting deleted"),
        "chapter.founded": _("Chapter founded"),
        "chapter.moved": _("Chapter moved"),
        "recall.petition_opened": _("Recall petition opened"),
        "recall.settings_changed": _("Recall rules changed"),
    }.get(action, action)


def mandate_context(client: ApiClient, member_id: str) -> dict:
    """Every mandate the member held (revoked and ended too) and the latest audit entries
    about them; the audit is left out, not failed, when the log cannot be read."""
    mandates = client.get("/api/v1/mandates", member_id=member_id, all="true", limit=100)
    try:
        audit = client.get("/api/v1/audit", member_id=member_id, limit=AUDIT_SHOWN)
    except ApiProblem as problem:
        if problem.status not in (403, 404):
            raise
        audit = []
    return {
        "mandates": mandates,
        "audit": audit,
        "chapters": client.get("/api/v1/chapters", limit=500, sort="name"),
        "elected": elected_roles(client),
    }


def elected_roles(client: ApiClient) -> dict:
    """Where the members elected the holders of a role and they are live, so no one appoints
    there (the API would answer 409 `elected_role`): {admins: bool, chapters: [{id, name}],
    chapter_ids: [id]}, for the grant form to say so instead of offering a failing button."""
    coordinators = client.get("/api/v1/mandates", role="coordinator", elected="true", limit=500)
    chapters = {
        str(m["chapter_id"]): m.get("chapter_name") or str(m["chapter_id"])
        for m in coordinators
        if m.get("elected") and m.get("chapter_id")
    }
    return {
        "admins": has_elected_admin(client),
        "chapters": [{"id": k, "name": v} for k, v in sorted(chapters.items(), key=lambda i: i[1])],
        "chapter_ids": list(chapters),
    }


def has_elected_admin(client: ApiClient) -> bool:
    """Whether an admin the members elected holds the mandate now (while none does, any
    active member may launch the admin election)."""
    admins = client.get("/api/v1/mandates", role="admin", elected="true", limit=1)
    return any(m.get("elected") for m in admins)


def pending_election(client: ApiClient, purpose: str, chapter_id: str | None = None) -> dict | None:
    """The election of `purpose` (of the chapter) open or scheduled, if the member sees one:
    one at a time, so the pages show it instead of a form the API would refuse (409)."""
    where = {"scope": "chapter", "scope_id": chapter_id} if chapter_id else {}
    for status in ("open", "scheduled"):
        try:
            rows = client.get("/api/v1/polls", purpose=purpose, status=status, limit=1, **where)
        except ApiProblem as problem:
            if problem.status not in (403, 404):
                raise
            continue
        if rows.get("polls"):
            return rows["polls"][0]
    return None


def members_elect_coordinator(member: dict | None, chapter: dict, membership: str) -> bool:
    """Whether `member` may launch the chapter's coordinator election as one of its members:
    active, a member of it (`membership`: directly or through a chapter under it), and no
    coordinator the members elected holds the chapter (none, or only interim ones)."""
    return bool(
        member
        and member.get("status") == "active"
        and membership
        and not any(not c.get("interim") for c in chapter.get("coordinators") or [])
    )


def admin_election_call(client: ApiClient, member: dict | None) -> dict | None:
    """When the member may launch the admin election as a member (active, and no admin the
    members elected holds the mandate), what to call them to: {pending: the admin election
    under way, or None}; None otherwise."""
    if not member or member.get("status") != "active" or has_elected_admin(client):
        return None
    return {"pending": pending_election(client, "admin_election")}
