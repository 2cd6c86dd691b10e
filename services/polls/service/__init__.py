"""Use cases of the polls service, by area, as module functions taking a `PollsContext` first.

Callers import the area: `from services.polls.service import ballots`. Each use case opens its
own transaction unless its docstring says it runs inside the caller's, and publishes with
`services.common.bus.emit` in that transaction.
"""
