"""Account mail: a new member's verification, resets, a changed address's notice."""

from __future__ import annotations

from services.common.bus.handlers import EventHandlers
from services.common.sealing import seal
from services.notify.context import NotifyContext
from services.notify.i18n import language_of
from services.notify.service.announcements import account_mail, account_notice
from services.notify.sms import normalise_phone
from services.notify.store import contacts

ACCOUNTS = EventHandlers("contacts_and_announcements")


@ACCOUNTS.on("members.member.registered")
def registered(ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    member_id = str(data["member_id"])
    contacts.upsert_registered(
        cur,
        member_id,
        data["email"],
        data.get("display_name") or "",
        language_of(data.get("language")),
        data.get("status") or "pending",
    )
    phone = normalise_phone(data.get("phone"))
    if phone:
        contacts.change_contact(cur, member_id, {"phone": phone})
    sealed = data.get("verification_sealed")
    if not sealed and data.get("verification_token"):  # an event from before issue 13
        sealed = seal(ctx.settings.secret_key, "verify_email", data["verification_token"])
    if sealed:
        account_mail(
            cur, event["id"], member_id, "verification", "verify_email", sealed, data["email"]
        )


@ACCOUNTS.on("members.member.verification_requested")
def verification_requested(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    account_mail(
        cur,
        event["id"],
        str(data["member_id"]),
        "verification",
        "verify_email",
        data["sealed_token"],
        data["email"],
    )


@ACCOUNTS.on("members.member.password_reset_requested")
def password_reset_requested(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    kind = "welcome" if data.get("welcome") else "password_reset"  # added by an admin
    account_mail(
        cur,
        event["id"],
        str(data["member_id"]),
        kind,
        "reset_password",
        data["sealed_token"],
        data["email"],
    )


@ACCOUNTS.on("members.member.email_changed")
def email_changed(_ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    account_notice(cur, event["id"], str(data["member_id"]), "email_changed", data["old_email"])
