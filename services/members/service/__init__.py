"""Use cases of the members service, by area: module functions taking the `MembersContext`
first; each opens its transaction (unless documented as running in the caller's), changes state
through `store`, and writes the events announcing the change into the outbox in that same
transaction (`services.common.bus.emit`). Callers import the area's module."""
