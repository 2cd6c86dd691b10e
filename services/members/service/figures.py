"""Kept chapter figures (issue 15): members, women and stated genders per chapter, changed in
the transaction that changes a member, recounted periodically.

A member counts in a chapter when active and a member of it, directly or through a
sub-chapter (once, however many of its sub-chapters they joined). Every change of a member's
chapters, status or gender runs inside `kept_for(cur, member_id)`, which compares the member's
part in the figures before and after and adds the difference (+1/-1 on at most the chapters
joined or left and their ancestors). A moved chapter changes whole sub-trees: `recount_chapters`
counts its old and new ancestors again. `recount` (the members worker, hourly) counts every
chapter from the memberships and corrects, and logs, whatever drifted."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from services.members.context import MembersContext
from services.members.store import figures as figures_store
from services.members.store import memberships as memberships_store

log = logging.getLogger("councils.members.figures")

NOTHING = (0, 0, 0)


@dataclass(frozen=True)
class Part:
    """What one member adds to the figures: (1, woman, stated) in each of `chapters`."""

    chapters: frozenset
    figures: tuple[int, int, int] = NOTHING

    def in_chapter(self, chapter_id) -> tuple[int, int, int]:
        return self.figures if chapter_id in self.chapters else NOTHING


def part_of(cur, member_id) -> Part:
    """The member's part in the figures now (their row locked until the transaction ends)."""
    standing = figures_store.member_standing(cur, member_id)
    if standing is None or standing["status"] != "active":
        return Part(frozenset())
    gender = standing["gender"]
    return Part(
        frozenset(memberships_store.effective_chapter_ids(cur, member_id)),
        (1, int(gender == "woman"), int(gender is not None)),
    )


def differences(before: Part, after: Part) -> list[tuple]:
    """(chapter id, members, women, stated) to add, for the chapters whose figures change."""
    changed = []
    for chapter_id in before.chapters | after.chapters:
        was, now = before.in_chapter(chapter_id), after.in_chapter(chapter_id)
        if was != now:
            changed.append((chapter_id, *(n - w for n, w in zip(now, was, strict=True))))
    return changed


@contextmanager
def kept_for(cur, member_id) -> Iterator[None]:
    """Keep the figures right across what the block changes of the member (in the caller's
    transaction). Blocks do not nest: an inner one's change would be counted twice."""
    before = part_of(cur, member_id)
    yield
    figures_store.add_to_figures(cur, differences(before, part_of(cur, member_id)))


def recount_chapters(cur, chapter_ids) -> None:
    """Count these chapters' figures again from the memberships (in the caller's transaction),
    after a change of the tree itself."""
    ids = list(dict.fromkeys(chapter_ids))
    if not ids:
        return
    counted = figures_store.counted_figures(cur, ids)
    figures_store.set_figures(cur, [(cid, *counted.get(cid, NOTHING)) for cid in ids])


def drift(counted: dict, kept: dict) -> list[tuple]:
    """(chapter id, kept, counted) of the chapters whose kept figures differ from the count."""
    return [
        (cid, kept.get(cid, NOTHING), counted.get(cid, NOTHING))
        for cid in counted.keys() | kept.keys()
        if counted.get(cid, NOTHING) != kept.get(cid, NOTHING)
    ]


def recount_all(cur) -> list[tuple]:
    """Count every chapter again and correct the kept figures that drifted (in the caller's
    transaction, which holds back changes of the figures meanwhile); (chapter id, kept,
    counted) of each correction."""
    figures_store.lock_figures(cur)
    corrections = drift(figures_store.counted_figures(cur), figures_store.kept_figures(cur))
    figures_store.set_figures(cur, [(cid, *counted) for cid, _, counted in corrections])
    return corrections


def recount(ctx: MembersContext) -> int:
    """The periodic recount: corrects and logs drift; the number of chapters corrected."""
    with ctx.db.transaction() as cur:
        corrections = recount_all(cur)
    for chapter_id, kept, counted in corrections:
        log.warning(
            "chapter figures drifted: chapter %s kept %s (members, women, stated), counted %s",
            chapter_id,
            kept,
            counted,
        )
    return len(corrections)
