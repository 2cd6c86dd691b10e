"""What the members service publishes. Every event goes through the outbox
(`services.common.bus.emit`), in the transaction of the change it announces.

Published types and their `data`:

- `members.member.registered` {member_id, email, display_name, country, language, phone,
  status, verification_token (always None now), verification_sealed}
- `members.member.verification_requested` {member_id, email, sealed_token, language}
- `members.member.verified` {member_id, email}
- `members.member.activated` {member_id, by ("admin" | "vouch" | "bootstrap"), chapter_ids
  (every chapter the member belongs to, ancestors included), current_ids}
- `members.member.contact_changed` {member_id, email, phone, language, display_name,
  email_verified}
- `members.member.password_reset_requested` {member_id, email, sealed_token, language}
  (one-time tokens travel sealed for notify: services/common/sealing.py)
- `members.member.email_changed` {member_id, old_email, language}: notify tells the old address
- `members.member.suspended` {member_id, reason} / `members.member.restored` {member_id}
- `members.session.revoked` {member_id, session_ids}: access tokens whose `sid` is listed are
  refused everywhere (services/common/revocation.py)
- `members.member.deleted` {member_id}
- `members.chapter.founded` {chapter_id, parent_id, name, level, country, place, continent,
  founded_on, ancestors}
- `members.membership.joined` / `.left` {member_id, chapter_id, ancestors}
- `members.current.founded` {current_id, name}
- `members.current_membership.joined` / `.left` {member_id, current_id}
- `members.mandate.granted` / `.revoked` {mandate_id, member_id, role, chapter_id,
  starts_at, ends_at, interim} (+ `reason` on `.revoked`: "resigned", "recalled by the vote of
  poll …", or the revoker's text); `interim`: appointed, not elected (every mandate's data and
  the snapshots' mandates carry it)
- `members.mandate.term_changed` {mandate_id, member_id, role, chapter_id, starts_at,
  ends_at}: an admin set or moved the end of an admin or coordinator mandate
  (`PATCH /api/v1/mandates/{id}`)
- `members.mandate.ended` {mandate_id, member_id, role, chapter_id, starts_at, ends_at,
  reason ("term" | "superseded")}: once per mandate, when its term passed (worker) or when a new
  delegate election of its chapter superseded it (`ends_at` = the new terms' start)
- `members.delegate.seat_vacated` {mandate_id, member_id, delegate_name, chapter_id,
  chapter_name, reason ("recalled" | "revoked" | "resigned" | "term"), ends_at,
  election_poll_id, vacancy_rule}: a delegate seat is empty (service/vacancies.py)
- `members.member.snapshot` / `members.chapter.snapshot`: the whole current state of one
  member / chapter, emitted by a re-announcement (see `announce_state` in service/announce.py).
"""

from __future__ import annotations


def mandate_data(mandate: dict) -> dict:
    return {
        "mandate_id": mandate["id"],
        "member_id": mandate["member_id"],
        "role": mandate["role"],
        "chapter_id": mandate["chapter_id"],
        "starts_at": mandate["starts_at"],
        "ends_at": mandate["ends_at"],
        "interim": bool(mandate.get("interim")),
    }


def chapter_data(chapter: dict, ancestors: list) -> dict:
    """`members.chapter.founded` (and the chapter's snapshot, with its `announce_id`)."""
    return {
        "chapter_id": chapter["id"],
        "parent_id": chapter["parent_id"],
        "name": chapter["name"],
        "level": chapter["level"],
        "country": chapter["country"],
        "place": chapter["place"],
        "continent": chapter["continent"],
        "founded_on": chapter["founded_on"],
        "ancestors": ancestors,
    }


def contact_data(member: dict) -> dict:
    return {
        "member_id": member["id"],
        "email": member["email"],
        "phone": member["phone"],
        "language": member["language"],
        "display_name": member["display_name"],
        "email_verified": member["email_verified_at"] is not None,
    }


def registered_data(member: dict, verification_sealed: str | None = None) -> dict:
    """`members.member.registered` of a new account (the verification link sealed for notify, or
    None when no mail is to verify the address)."""
    return {
        "member_id": member["id"],
        "email": member["email"],
        "display_name": member["display_name"],
        "country": member["country"],
        "language": member["language"],
        "phone": member["phone"],
        "status": member["status"],
        "verification_token": None,
        "verification_sealed": verification_sealed,
    }
