"""A delegate poll's representation in words (issue 18): per chapter "weight 11: voted 9,
unrepresented 2 (Munich: no delegate since 3 March 2026, the delegate resigned)", the whole
scope in the same words, and turnout by people and by weight. Read from the roll-call or from
the results' `representation` (the same shape)."""

from __future__ import annotations

from gateway.web.i18n import Translator


def _reasons(_: Translator) -> dict[str, str]:
    return {
        "resigned": _("the delegate resigned"),
        "recalled": _("the delegate was recalled"),
        "term": _("the delegate's term ended"),
        "superseded": _("a new election replaced the delegate"),
        "revoked": _("the mandate was revoked"),
        "left": _("the delegate is no longer an active member"),
        "never_elected": _("no delegate was elected"),
    }


def _empty_seat(_: Translator, name: str, seat: dict) -> str:
    if seat.get("reason") == "never_elected":  # not "no delegate, no delegate was elected"
        return _("{chapter}: no delegate was ever elected", chapter=name)
    reason = _reasons(_).get(str(seat.get("reason")), str(seat.get("reason") or ""))
    if seat.get("since"):
        return _(
            "{chapter}: no delegate since {date}, {reason}",
            chapter=name,
            date=_.format_date(seat["since"]),
            reason=reason,
        )
    return _("{chapter}: no delegate, {reason}", chapter=name, reason=reason)


def _line(_: Translator, weight: int, voted: int, empty: list[str], unrepresented: int) -> str:
    if not unrepresented:
        return _("weight {weight}: voted {voted}", weight=weight, voted=voted)
    return _(
        "weight {weight}: voted {voted}, unrepresented {unrepresented} ({where})",
        weight=weight,
        voted=voted,
        unrepresented=unrepresented,
        where="; ".join(empty),
    )


def _name(_: Translator, entry: dict) -> str:
    name = entry.get("chapter_name") or entry.get("chapter_id") or ""
    if entry.get("kind") == "direct":
        return _("Direct members of {chapter}", chapter=name)
    return str(name)


def representation_view(_: Translator, summary: dict | None) -> dict | None:
    """{rows: [{name, line}], whole, turnout} or None when `summary` says nothing."""
    if not summary or not summary.get("chapters"):
        return None
    rows, everywhere = [], []
    for entry in summary["chapters"]:
        name = _name(_, entry)
        empty = [_empty_seat(_, name, seat) for seat in entry.get("unrepresented") or []]
        everywhere += empty
        rows.append(
            {
                "name": name,
                "line": _line(
                    _,
                    entry.get("members") or 0,
                    entry.get("voted_weight") or 0,
                    empty,
                    entry.get("unrepresented_weight") or 0,
                ),
            }
        )
    whole = _line(
        _,
        summary.get("scope_members") or 0,
        summary.get("voted_weight") or 0,
        everywhere,
        summary.get("unrepresented_weight") or 0,
    )
    return {"rows": rows, "whole": whole, "turnout": _turnout(_, summary)}


def _turnout(_: Translator, summary: dict) -> str:
    people, weight = summary.get("turnout_people"), summary.get("turnout_weight")
    if people is None or weight is None:
        return ""
    return _(
        "Turnout: {people} of the electors ({voters} of {electors}), {weight} of the members "
        "by weight",
        people=_.format_percent(people, 1),
        voters=summary.get("voters") or 0,
        electors=summary.get("elector_count") or 0,
        weight=_.format_percent(weight, 1),
    )
