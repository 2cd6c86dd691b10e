"""Handlers of the events notify consumes: `(cur, event) -> None`, idempotent.

They keep the contact replica up to date and turn announcements into delivery rows, in the
consumer's transaction; the senders (`delivery.py`) send those rows afterwards.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from services.common import revocation
from services.common.bus.catalogue import CATALOGUE
from services.common.sealing import seal
from services.notify import links, store
from services.notify.delivery import require_verified
from services.notify.locales import language_of
from services.notify.sms import normalise_phone

log = logging.getLogger("councils.notify.events")

Handler = Callable[[object, dict], None]


def format_time(value: str | None) -> str:
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def announce(cur, event_id, kind: str, category: str, context: dict, scope: dict,
             strict_verified: bool, member_ids: list | None = None) -> int:
    """Record the notification and one delivery per recipient and channel; 0 on redelivery."""
    if not store.add_notification(cur, event_id, kind, category, context):
        return 0
    return sum(
        store.fan_out(cur, event_id, category, scope, channel, strict_verified, member_ids)
        for channel in ("email", "sms")
    )


def account_mail(cur, event_id, member_id: str, kind: str, purpose: str, sealed: str,
                 address: str) -> None:
    """A verification or reset mail: the token stays sealed in the notification (the sender
    opens it with SECRET_KEY while composing and forgets it once sent), and goes to the address
    it was made for."""
    context = {"sealed_token": sealed, "purpose": purpose, "to": address}
    if store.add_notification(cur, event_id, kind, "account", context):
        store.add_delivery(cur, event_id, member_id, "email")


def contact_of_snapshot(cur, data: dict) -> dict:
    """A contact row from `members.member.snapshot` data (see `store.CONTACT_COLUMNS`)."""
    member_id = str(data["member_id"])
    email = data.get("email") or None
    phone = normalise_phone(data.get("phone"))
    if data.get("phone") and phone is None:
        log.warning("ignoring a phone number that is not E.164 for member %s", member_id)
    verified = data.get("email_verified")
    if verified is None:  # not said: keep what we knew about the same address
        known = store.get_contact(cur, member_id) or {}
        verified = bool(known.get("email_verified")) and known.get("email") == email
    return {
        "member_id": member_id,
        "email": email,
        "email_verified": bool(verified),
        "phone": phone,
        "language": language_of(data.get("language")),
        "display_name": data.get("display_name") or "",
        "status": data.get("status") or "pending",
    }


def handlers(settings) -> dict[str, Handler]:
    """The routing-key → handler table of notify's consumer, bound to this process' settings."""
    public_url = settings.public_url
    strict = require_verified(settings)

    def registered(cur, event: dict) -> None:
        data = event["data"]
        member_id = str(data["member_id"])
        store.upsert_registered(
            cur, member_id, data["email"], data.get("display_name") or "",
            language_of(data.get("language")), data.get("status") or "pending",
        )
        phone = normalise_phone(data.get("phone"))
        if phone:
            store.change_contact(cur, member_id, {"phone": phone})
        sealed = data.get("verification_sealed")
        if not sealed and data.get("verification_token"):  # an event from before issue 13
            sealed = seal(settings.secret_key, "verify_email", data["verification_token"])
        if sealed:
            account_mail(cur, event["id"], member_id, "verification", "verify_email", sealed,
                         data["email"])

    def verification_requested(cur, event: dict) -> None:
        data = event["data"]
        account_mail(cur, event["id"], str(data["member_id"]), "verification", "verify_email",
                     data["sealed_token"], data["email"])

    def password_reset_requested(cur, event: dict) -> None:
        data = event["data"]
        kind = "welcome" if data.get("welcome") else "password_reset"  # added by an admin
        account_mail(cur, event["id"], str(data["member_id"]), kind,
                     "reset_password", data["sealed_token"], data["email"])

    def email_changed(cur, event: dict) -> None:
        data = event["data"]
        context = {"to": data["old_email"]}
        if store.add_notification(cur, event["id"], "email_changed", "account", context):
            store.add_delivery(cur, event["id"], str(data["member_id"]), "email")

    def verified(cur, event: dict) -> None:
        store.set_verified(cur, str(event["data"]["member_id"]))

    def activated(cur, event: dict) -> None:
        store.set_status(cur, str(event["data"]["member_id"]), "active")

    def contact_changed(cur, event: dict) -> None:
        data = event["data"]
        changes = {}
        for key in ("email", "language", "display_name"):
            if data.get(key) is not None:
                changes[key] = data[key]
        if "language" in changes:
            changes["language"] = language_of(changes["language"])
        if isinstance(data.get("email_verified"), bool):  # members says it: the flags agree
            changes["email_verified"] = data["email_verified"]
        if "phone" in data:
            phone = normalise_phone(data["phone"])
            if data["phone"] and phone is None:
                log.warning("ignoring a phone number that is not E.164 for member %s",
                            data["member_id"])
            changes["phone"] = phone
        store.change_contact(cur, str(data["member_id"]), changes)

    def deleted(cur, event: dict) -> None:
        store.tombstone(cur, str(event["data"]["member_id"]))

    def joined(cur, event: dict) -> None:
        data = event["data"]
        store.join_chapter(cur, str(data["member_id"]), str(data["chapter_id"]),
                           [str(a) for a in data.get("ancestors") or []])

    def left(cur, event: dict) -> None:
        data = event["data"]
        store.leave_chapter(cur, str(data["member_id"]), str(data["chapter_id"]))

    def current_joined(cur, event: dict) -> None:
        data = event["data"]
        store.join_current(cur, str(data["member_id"]), str(data["current_id"]))

    def current_left(cur, event: dict) -> None:
        data = event["data"]
        store.leave_current(cur, str(data["member_id"]), str(data["current_id"]))

    def snapshot(cur, event: dict) -> None:
        """The whole state of one member (a re-announcement): replace what the replica holds."""
        data = event["data"]
        member_id = str(data["member_id"])
        if data.get("status") == "deleted":
            store.tombstone(cur, member_id)
            store.replace_admin_mandates(cur, member_id, [])
            return
        if store.is_tombstoned(cur, member_id):
            return
        store.upsert_contacts(cur, [contact_of_snapshot(cur, data)])
        chapters = [(str(c["chapter_id"]), [str(a) for a in c.get("ancestors") or []])
                    for c in data.get("chapters") or [] if c.get("chapter_id")]
        store.replace_memberships(cur, member_id, chapters,
                                  [str(c) for c in data.get("current_ids") or []])
        store.replace_admin_mandates(cur, member_id, [
            (str(m["mandate_id"]), m.get("ends_at")) for m in data.get("mandates") or []
            if m.get("role") == "admin" and m.get("mandate_id")])

    def mandate_granted(cur, event: dict) -> None:
        data = event["data"]
        if data.get("role") == "admin":
            store.grant_admin(cur, str(data["mandate_id"]), str(data["member_id"]),
                              data.get("ends_at"))

    def mandate_revoked(cur, event: dict) -> None:
        if event["data"].get("role") == "admin":
            store.drop_admin(cur, str(event["data"]["mandate_id"]))

    def poll_context(data: dict) -> dict:
        return {
            "poll_id": str(data["poll_id"]),
            "title": data["title"],
            "closes_at": format_time(data.get("closes_at")),
            "poll_url": links.poll_url(public_url, data["poll_id"]),
            "results_url": links.results_url(public_url, data["poll_id"]),
        }

    def poll_opened(cur, event: dict) -> None:
        data = event["data"]
        if data.get("invitation_parts") is not None:
            return  # `polls.poll.invitations` name exactly whom to invite (none: no one)
        announce(cur, event["id"], "poll_opened", "polls", poll_context(data),
                 data.get("scope") or {}, strict)

    def poll_invitations(cur, event: dict) -> None:
        """Invite exactly the electorate polls fixed, never members of notify's own replica."""
        data = event["data"]
        announce(cur, event["id"], "poll_opened", "polls", poll_context(data),
                 data.get("scope") or {}, strict, member_ids=data["member_ids"])

    def poll_closing_soon(cur, event: dict) -> None:
        data = event["data"]
        # Only polls knows who has not voted yet; when it says so, remind only them.
        announce(cur, event["id"], "poll_closing_soon", "reminders", poll_context(data),
                 data.get("scope") or {}, strict, member_ids=data.get("member_ids"))

    def poll_closed(cur, event: dict) -> None:
        data = event["data"]
        announce(cur, event["id"], "poll_closed", "results", poll_context(data),
                 data.get("scope") or {}, strict)

    def comment_mentioned(cur, event: dict) -> None:
        """The members named in a comment hear of it (category `polls`, their own only)."""
        data = event["data"]
        context = {"title": data["title"], "author_name": data.get("author_name") or "",
                   "comment_url": links.comment_url(public_url, data["subject_type"],
                                                    data["subject_id"], data["comment_id"])}
        announce(cur, event["id"], "mention", "polls", context, {"type": "organisation"},
                 strict, member_ids=[str(m) for m in data["member_ids"]])

    table = {
        "members.member.registered": registered,
        "members.member.verified": verified,
        "members.member.verification_requested": verification_requested,
        "members.member.password_reset_requested": password_reset_requested,
        "members.member.email_changed": email_changed,
        "members.member.activated": activated,
        "members.member.contact_changed": contact_changed,
        "members.member.deleted": deleted,
        "members.membership.joined": joined,
        "members.membership.left": left,
        "members.current_membership.joined": current_joined,
        "members.current_membership.left": current_left,
        "members.member.snapshot": snapshot,
        "members.mandate.granted": mandate_granted,
        "members.mandate.revoked": mandate_revoked,
        "members.mandate.ended": mandate_granted,  # with its ends_at: no rights from then on
        "polls.poll.opened": poll_opened,
        "polls.poll.invitations": poll_invitations,
        "polls.poll.closing_soon": poll_closing_soon,
        "polls.poll.closed": poll_closed,
        "polls.comment.mentioned": comment_mentioned,
    }
    from services.notify import recall  # issue 7: recall petitions and votes

    table.update(recall.handlers(settings, strict))
    # The deny-list of access tokens (ended sessions, suspended and deleted members).
    table.update(revocation.handlers())
    table["members.member.deleted"] = revocation.with_deleted(deleted)
    # Bind only what the catalogue knows: an unknown type would be parked on arrival anyway.
    return {name: fn for name, fn in table.items() if name in CATALOGUE}
