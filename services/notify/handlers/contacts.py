"""notify's replica of members: contacts, chapters, currents and admin mandates."""

from __future__ import annotations

import logging

from services.common.bus.handlers import EventHandlers
from services.notify.context import NotifyContext
from services.notify.i18n import language_of
from services.notify.sms import normalise_phone
from services.notify.store import admins, contacts

log = logging.getLogger("councils.notify.events")

CONTACTS = EventHandlers("contacts_and_announcements")


@CONTACTS.on("members.member.verified")
def verified(_ctx: NotifyContext, cur, event: dict) -> None:
    contacts.set_verified(cur, str(event["data"]["member_id"]))


@CONTACTS.on("members.member.activated")
def activated(_ctx: NotifyContext, cur, event: dict) -> None:
    contacts.set_status(cur, str(event["data"]["member_id"]), "active")


@CONTACTS.on("members.member.contact_changed")
def contact_changed(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    changes = {
        key: data[key] for key in ("email", "language", "display_name") if data.get(key) is not None
    }
    if "language" in changes:
        changes["language"] = language_of(changes["language"])
    if isinstance(data.get("email_verified"), bool):  # members says it: the flags agree
        changes["email_verified"] = data["email_verified"]
    if "phone" in data:
        phone = normalise_phone(data["phone"])
        if data["phone"] and phone is None:
            log.warning(
                "ignoring a phone number that is not E.164 for member %s", data["member_id"]
            )
        changes["phone"] = phone
    contacts.change_contact(cur, str(data["member_id"]), changes)


@CONTACTS.on("members.member.deleted")
def deleted(_ctx: NotifyContext, cur, event: dict) -> None:
    contacts.tombstone(cur, str(event["data"]["member_id"]))


@CONTACTS.on("members.membership.joined")
def joined(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    contacts.join_chapter(
        cur,
        str(data["member_id"]),
        str(data["chapter_id"]),
        [str(a) for a in data.get("ancestors") or []],
    )


@CONTACTS.on("members.membership.left")
def left(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    contacts.leave_chapter(cur, str(data["member_id"]), str(data["chapter_id"]))


@CONTACTS.on("members.current_membership.joined")
def current_joined(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    contacts.join_current(cur, str(data["member_id"]), str(data["current_id"]))


@CONTACTS.on("members.current_membership.left")
def current_left(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    contacts.leave_current(cur, str(data["member_id"]), str(data["current_id"]))


def contact_of_snapshot(cur, data: dict) -> dict:
    """A contact row from `members.member.snapshot` data (see `store.contacts.CONTACT_COLUMNS`)."""
    member_id = str(data["member_id"])
    email = data.get("email") or None
    phone = normalise_phone(data.get("phone"))
    if data.get("phone") and phone is None:
        log.warning("ignoring a phone number that is not E.164 for member %s", member_id)
    verified = data.get("email_verified")
    if verified is None:  # not said: keep what we knew about the same address
        known = contacts.get_contact(cur, member_id) or {}
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


@CONTACTS.on("members.member.snapshot")
def snapshot(_ctx: NotifyContext, cur, event: dict) -> None:
    """The whole state of one member (a re-announcement): replace what the replica holds."""
    data = event["data"]
    member_id = str(data["member_id"])
    if data.get("status") == "deleted":
        contacts.tombstone(cur, member_id)
        admins.replace_admin_mandates(cur, member_id, [])
        return
    if contacts.is_tombstoned(cur, member_id):
        return
    contacts.upsert_contacts(cur, [contact_of_snapshot(cur, data)])
    chapters = [
        (str(c["chapter_id"]), [str(a) for a in c.get("ancestors") or []])
        for c in data.get("chapters") or []
        if c.get("chapter_id")
    ]
    contacts.replace_memberships(
        cur, member_id, chapters, [str(c) for c in data.get("current_ids") or []]
    )
    admins.replace_admin_mandates(
        cur,
        member_id,
        [
            (str(m["mandate_id"]), m.get("ends_at"), m.get("starts_at"))
            for m in data.get("mandates") or []
            if m.get("role") == "admin" and m.get("mandate_id")
        ],
    )


@CONTACTS.on("members.mandate.granted", "members.mandate.term_changed")
def mandate_granted(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    if data.get("role") == "admin":
        admins.grant_admin(
            cur,
            str(data["mandate_id"]),
            str(data["member_id"]),
            data.get("ends_at"),
            data.get("starts_at"),
        )


# An ended mandate is held as revoked (as polls holds it): nothing arriving late revives it.
@CONTACTS.on("members.mandate.revoked", "members.mandate.ended")
def mandate_revoked(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    if data.get("role") == "admin":
        admins.drop_admin(cur, str(data["mandate_id"]), str(data["member_id"]))
