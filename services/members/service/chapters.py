"""The chapter tree: found, change, list, show; joining and leaving."""

from __future__ import annotations

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.common.federation import Federation
from services.members import geo
from services.members.context import MembersContext
from services.members.events import chapter_data
from services.members.service import access, announce, figures, mandates, meetings, views
from services.members.store import audit as audit_store
from services.members.store import chapters as chapters_store
from services.members.store import mandates as mandates_store
from services.members.store import members as members_store
from services.members.store import memberships as memberships_store


def list_chapters(
    ctx: MembersContext,
    *,
    query=None,
    level=None,
    country=None,
    parent_id=None,
    root_only=False,
    limit=50,
    offset=0,
    sort="newest",
) -> list[dict]:
    if level is not None and ctx.settings.federation.rank(level) is None:
        raise ApiError(
            422,
            f"{level!r} is not a level of this federation.",
            "validation_failed",
            fields={"level": [_one_of(ctx.settings.federation)]},
        )
    with ctx.db.transaction() as cur:
        rows = chapters_store.list_chapters(
            cur,
            query=query,
            level=level,
            country=country,
            parent_id=parent_id,
            root_only=root_only,
            limit=limit,
            offset=offset,
            sort=sort,
        )
        statuses = meetings.working_statuses(ctx, cur, [r["id"] for r in rows]) if rows else {}
    return [views.chapter_view(r, statuses.get(r["id"])) for r in rows]


def _continent_for(data: dict, country: str | None) -> str | None:
    continent = data.get("continent")
    if continent:
        return continent
    return geo.continent_of(country)


def _one_of(federation: Federation) -> str:
    return "Must be one of: " + ", ".join(federation.levels) + "."


def _placement(
    cur, founder: dict, data: dict, federation: Federation
) -> tuple[dict | None, str | None]:
    """(parent, country) of a chapter about to be founded, once the founder may found it."""
    level = data["level"]
    if federation.rank(level) is None:
        raise ApiError(
            422,
            f"{level!r} is not a level of this federation.",
            "validation_failed",
            fields={"level": [_one_of(federation)]},
        )
    parent = None
    if data.get("parent_id") is not None:
        parent = chapters_store.chapter_by_id(cur, data["parent_id"])
        if parent is None:
            raise ApiError(
                422,
                "The parent chapter does not exist.",
                "validation_failed",
                fields={"parent_id": ["No such chapter."]},
            )
        if not federation.may_sit_under(level, parent["level"]):
            raise ApiError(
                422,
                f"A {level} chapter cannot sit under a {parent['level']} one.",
                "validation_failed",
                fields={"parent_id": ["Must be a chapter of a higher level."]},
            )
    if level == federation.top and parent is not None:
        raise ApiError(
            422,
            f"A chapter of the top level ({level}) has no parent.",
            "validation_failed",
            fields={"parent_id": [f"Must be empty for a {level} chapter."]},
        )
    if level != federation.bottom:
        scope = parent["id"] if parent else None
        allowed = mandates_store.is_admin(cur, founder["id"]) or (
            scope is not None and access.may_steward(cur, founder["id"], scope, include_self=True)
        )
        if not allowed:
            raise ApiError(
                403,
                f"Only admins and coordinators of a chapter above it may found a {level} chapter.",
                "forbidden",
            )
    country = data.get("country") or (parent["country"] if parent else None)
    if level != federation.top and country is None:
        raise ApiError(
            422,
            "Which country is this chapter in?",
            "validation_failed",
            fields={"country": [f"Required below the {federation.top} level."]},
        )
    return parent, country


def found_chapter(ctx: MembersContext, identity: Identity, data: dict) -> dict:
    with ctx.db.transaction() as cur:
        founder = access.caller(cur, identity, active=True)
        data = {**data, "level": data.get("level") or ctx.settings.federation.bottom}
        level = data["level"]
        parent, country = _placement(cur, founder, data, ctx.settings.federation)
        chapter = chapters_store.insert_chapter(
            cur,
            name=data["name"],
            level=level,
            parent_id=parent["id"] if parent else None,
            country=country,
            place=data.get("place"),
            continent=_continent_for(data, country),
            description=data.get("description"),
            founded_on=data.get("founded_on"),
            founded_by=founder["id"],
        )
        ancestors = [a["id"] for a in chapters_store.ancestors_of(cur, chapter["id"])]
        emit(cur, "members.chapter.founded", chapter_data(chapter, ancestors))
        audit_store.insert_audit(
            cur,
            action="chapter.founded",
            actor_id=founder["id"],
            chapter_id=chapter["id"],
            detail={"level": level},
        )
        if level == ctx.settings.federation.bottom:
            # Whoever founds a local (bottom-level) chapter is its first member and its interim
            # coordinator, until the members elect theirs (INTERIM_MANDATE_DAYS at the most).
            join(cur, founder["id"], chapter["id"], ancestors)
            now = mandates_store.transaction_now(cur)
            mandates.grant(
                cur,
                member_id=founder["id"],
                role="coordinator",
                chapter_id=chapter["id"],
                starts_at=now,
                ends_at=mandates.interim_cap(ctx, now, now),
                actor_id=founder["id"],
                note="founder of the chapter",
                interim=True,
            )
        status = meetings.working_statuses(ctx, cur, [chapter["id"]]).get(chapter["id"])
    return views.chapter_view(chapter, status)


def chapter_page(
    ctx: MembersContext, chapter_id, identity: Identity | None, depth: int = 1, members: int = 500
) -> dict:
    """The chapter with its sub-tree `depth` levels down (1: its sub-chapters); for an active
    member, its first `members` members (none asked: no `members`)."""
    with ctx.db.transaction() as cur:
        chapter = access.chapter_or_404(cur, chapter_id)
        subtree = chapters_store.subtree_of(cur, chapter_id, max_depth=depth)
        statuses = meetings.working_statuses(ctx, cur, [c["id"] for c in subtree])
        view = views.chapter_view(chapter, statuses.get(chapter["id"]))
        view["status"] = statuses.get(chapter["id"])
        view["ancestors"] = chapters_store.ancestors_of(cur, chapter_id)
        nodes = {
            c["id"]: {**views.chapter_view(c, statuses.get(c["id"])), "children": []}
            for c in subtree
        }
        for c in subtree[1:]:
            nodes[c["parent_id"]]["children"].append(nodes[c["id"]])
        view["children"] = nodes[chapter["id"]]["children"]
        view["coordinators"] = [
            {
                "member_id": m["member_id"],
                "display_name": m["member_name"],
                "mandate_id": m["id"],
                "since": m["starts_at"],
                "until": m["ends_at"],
                "interim": m["interim"],
            }
            for m in mandates_store.list_mandates(cur, chapter_id=chapter_id, role="coordinator")
            if m["active"]
        ]
        if identity is not None and members:
            caller = access.caller(cur, identity)
            if caller["status"] == "active":
                view["members"] = memberships_store.chapter_members(cur, chapter_id, limit=members)
    return view


def chapter_members(
    ctx: MembersContext, identity: Identity, chapter_id, limit, offset, query=None
) -> list:
    """What any active member sees of a chapter's members (names, countries, since when),
    those whose name holds `query` when given (issue 18: candidates of an election)."""
    with ctx.db.transaction() as cur:
        access.caller(cur, identity, active=True)
        access.chapter_or_404(cur, chapter_id)
        return memberships_store.chapter_members(
            cur, chapter_id, limit=limit, offset=offset, query=query
        )


def update_chapter(ctx: MembersContext, identity: Identity, chapter_id, changes: dict) -> dict:
    with ctx.db.transaction() as cur:
        actor = access.caller(cur, identity, active=True)
        chapter = access.chapter_or_404(cur, chapter_id, for_update=True)
        if not access.may_steward(cur, actor["id"], chapter_id, include_self=True):
            raise ApiError(
                403,
                "Only admins and coordinators of this chapter or one above it may change it.",
                "forbidden",
            )
        moved = "parent_id" in changes and changes["parent_id"] != chapter["parent_id"]
        old_ancestors = _ancestor_ids(cur, chapter_id) if moved else []
        if moved:
            _check_move(cur, actor, chapter, changes["parent_id"], ctx.settings.federation)
        if "country" in changes and "continent" not in changes:
            changes["continent"] = geo.continent_of(changes["country"]) or chapter["continent"]
        updated = chapters_store.update_chapter(cur, chapter_id, changes)
        if moved:  # whole sub-trees changed: count the old and the new ancestors again
            figures.recount_chapters(cur, old_ancestors + _ancestor_ids(cur, chapter_id))
        audit_store.insert_audit(
            cur,
            action="chapter.moved" if moved else "chapter.updated",
            actor_id=actor["id"],
            chapter_id=chapter_id,
            detail={
                "fields": sorted(changes),
                **(
                    {
                        "from_parent": str(chapter["parent_id"]),
                        "to_parent": str(changes["parent_id"]),
                    }
                    if moved
                    else {}
                ),
            },
        )
        if moved:
            announce.announce_subtree(cur, chapter_id)
        status = meetings.working_statuses(ctx, cur, [chapter_id]).get(chapter_id)
    return views.chapter_view(updated, status)


def _ancestor_ids(cur, chapter_id) -> list:
    return [a["id"] for a in chapters_store.ancestors_of(cur, chapter_id)]


def _check_move(cur, actor: dict, chapter: dict, new_parent_id, federation: Federation) -> None:
    if chapter["level"] == federation.top and new_parent_id is not None:
        raise ApiError(
            422,
            f"A chapter of the top level ({federation.top}) has no parent.",
            "validation_failed",
            fields={"parent_id": [f"Must be empty for a {federation.top} chapter."]},
        )
    if new_parent_id is None:
        if not mandates_store.is_admin(cur, actor["id"]):
            raise ApiError(403, "Only admins may make a chapter a root.", "forbidden")
        return
    parent = chapters_store.chapter_by_id(cur, new_parent_id)
    if parent is None:
        raise ApiError(
            422,
            "The parent chapter does not exist.",
            "validation_failed",
            fields={"parent_id": ["No such chapter."]},
        )
    if parent["id"] in {c["id"] for c in chapters_store.subtree_of(cur, chapter["id"])}:
        raise ApiError(
            422,
            "A chapter cannot sit under itself or one of its sub-chapters.",
            "cycle",
            fields={"parent_id": ["Would make a cycle in the tree."]},
        )
    if not federation.may_sit_under(chapter["level"], parent["level"]):
        raise ApiError(
            422,
            f"A {chapter['level']} chapter cannot sit under a {parent['level']} one.",
            "validation_failed",
            fields={"parent_id": ["Must be a chapter of a higher level."]},
        )
    if not access.may_steward(cur, actor["id"], parent["id"], include_self=True):
        raise ApiError(403, "You may not move chapters under that chapter.", "forbidden")


def join(cur, member_id, chapter_id, ancestors) -> bool:
    with figures.kept_for(cur, member_id):
        joined = memberships_store.insert_membership(cur, member_id, chapter_id)
    if not joined:
        return False
    emit(
        cur,
        "members.membership.joined",
        {"member_id": member_id, "chapter_id": chapter_id, "ancestors": ancestors},
    )
    return True


def join_chapter(ctx: MembersContext, identity: Identity, chapter_id) -> dict:
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        members_store.member_by_id(cur, member["id"], for_update=True)
        access.chapter_or_404(cur, chapter_id)
        ancestors = [a["id"] for a in chapters_store.ancestors_of(cur, chapter_id)]
        joined = join(cur, member["id"], chapter_id, ancestors)
    return {
        "chapter_id": chapter_id,
        "member_id": member["id"],
        "member": True,
        "changed": joined,
        "ancestors": ancestors,
    }


def leave_chapter(ctx: MembersContext, identity: Identity, chapter_id) -> dict:
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        members_store.member_by_id(cur, member["id"], for_update=True)
        access.chapter_or_404(cur, chapter_id)
        ancestors = [a["id"] for a in chapters_store.ancestors_of(cur, chapter_id)]
        with figures.kept_for(cur, member["id"]):
            left = memberships_store.delete_membership(cur, member["id"], chapter_id)
        if left:
            emit(
                cur,
                "members.membership.left",
                {"member_id": member["id"], "chapter_id": chapter_id, "ancestors": ancestors},
            )
            # A coordinator who is no longer a member of their chapter stops coordinating it.
            for mandate in mandates_store.active_mandates_of(cur, member["id"]):
                if mandate["role"] == "coordinator" and not memberships_store.is_effective_member(
                    cur, member["id"], mandate["chapter_id"]
                ):
                    mandates.revoke(cur, mandate, actor_id=member["id"], reason="left the chapter")
    return {
        "chapter_id": chapter_id,
        "member_id": member["id"],
        "member": False,
        "changed": left,
        "ancestors": ancestors,
    }
