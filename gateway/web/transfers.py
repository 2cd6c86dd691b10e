"""The transfer flow of a ranked count: which votes moved where in each round, for the flow chart
beside the rounds (from the transfers the count recorded, or worked out from the totals)."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.web.charts import flow_chart, fmt
from gateway.web.i18n import Translator


def number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def transfer_steps(
    columns: list[tuple], exhausted: list[float], recorded: list | None = None
) -> list[dict]:
    """Between consecutive rounds: who lost votes, who gained them, and the flows between.

    `recorded[i]`, when present, is what the count itself recorded for the step from column i
    to column i + 1 ({source: {"to": {receiver: votes}, "exhausted": votes}}): the flows are
    then exactly those (``"exact": True``, and ``"transfers"`` per source). Results stored
    before counts recorded transfers have none; there the flows are estimated from the
    totals: votes an option loses (eliminated, or its surplus passed on) are shared among the
    options that gain and the ballots with no further choice, in proportion to the gains
    (exact with one
    source; an estimate when several options are excluded at once).
    """
    steps = []
    for i in range(len(columns) - 1):
        before, after = columns[i][1], columns[i + 1][1]
        names = list(dict.fromkeys([*before, *after]))
        losses = {
            n: before.get(n, 0) - after.get(n, 0)
            for n in names
            if before.get(n, 0) - after.get(n, 0) > 1e-9
        }
        flows = [
            (n, n, min(before.get(n, 0), after.get(n, 0)))
            for n in names
            if min(before.get(n, 0), after.get(n, 0)) > 0
        ]
        transfers = _recorded_transfers(recorded[i] if recorded and i < len(recorded) else None)
        if transfers is not None:
            gains: dict = {}
            for source, moved in transfers.items():
                for target, votes in moved.items():
                    flows.append((source, target, votes))
                    gains[target] = gains.get(target, 0) + votes
        else:
            gains = {
                n: after.get(n, 0) - before.get(n, 0)
                for n in names
                if after.get(n, 0) - before.get(n, 0) > 1e-9
            }
            more_exhausted = exhausted[i + 1] - exhausted[i]
            if more_exhausted > 1e-9:
                gains[None] = more_exhausted
            total_gain = sum(gains.values())
            for source, lost in losses.items():
                for target, gained in gains.items():
                    if total_gain > 0:
                        flows.append((source, target, lost * gained / total_gain))
        step = {
            "losses": losses,
            "gains": gains,
            "flows": flows,
            "exhausted_total": exhausted[i + 1],
            "exact": transfers is not None,
        }
        if transfers is not None:
            step["transfers"] = transfers
        steps.append(step)
    return steps


def _recorded_transfers(raw) -> dict | None:
    """A count's recorded transfers as {source: {receiver, or None for no further choice:
    votes}} (positive votes only); None when there are none (results counted before)."""
    if not isinstance(raw, Mapping):
        return None
    transfers: dict = {}
    for source, moved in raw.items():
        if not isinstance(moved, Mapping) or not isinstance(moved.get("to"), Mapping):
            return None
        flows = {target: number(votes) for target, votes in moved["to"].items()}
        flows[None] = number(moved.get("exhausted"))
        transfers[source] = {target: votes for target, votes in flows.items() if votes > 0}
    return transfers


def flow(_: Translator, method: str, rounds: list, columns: list[tuple]) -> dict:
    counted = [r for r in rounds if isinstance(r.get("totals"), Mapping)]
    exhausted = [number(r.get("exhausted")) for r in counted]
    exhausted += [0.0] * (len(columns) - len(exhausted))
    # IRV records the transfers with the round that eliminates; STV with the stage they make.
    later = 1 if method == "stv" else 0
    recorded = [
        counted[i + later].get("transfers") if i + later < len(counted) else None
        for i in range(len(columns) - 1)
    ]
    steps = transfer_steps(columns, exhausted, recorded)
    sentences = []
    nobody = _("no further choice")
    for i, step in enumerate(steps):
        if step["exact"]:  # each source on its own: where its votes went is known
            passed = [
                (f"{source} ({fmt(step['losses'].get(source, sum(moved.values())))})", moved)
                for source, moved in step["transfers"].items()
                if moved or source in step["losses"]
            ]
        elif step["losses"]:
            passed = [
                (
                    _.format_list([f"{name} ({fmt(v)})" for name, v in step["losses"].items()]),
                    step["gains"],
                )
            ]
        else:
            passed = []
        for lost, gains in passed:
            moves = ", ".join(
                _("{votes} to {name}", votes=fmt(v), name=name if name is not None else nobody)
                for name, v in sorted(gains.items(), key=lambda kv: -kv[1])
            )
            sentences.append(
                _(
                    "From round {a} to round {b}: {lost} passed on votes: {moves}.",
                    a=columns[i][0],
                    b=columns[i + 1][0],
                    lost=lost,
                    moves=moves or _("none counted"),
                )
            )
    chart = flow_chart(
        [(_("Round {n}", n=n), {k: v for k, v in t.items()}) for n, t in columns],
        steps,
        title=_("How votes moved between rounds"),
        description=" ".join(sentences) or _("No votes moved between rounds."),
        exhausted_label=nobody,
    )
    return {"chart": chart, "sentences": sentences, "steps": steps}
