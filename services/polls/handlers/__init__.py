"""Consumed events: one `EventHandlers` registry per consumer (queue), bound to the context by
worker.py. `electorate` (handlers/electorate.py): the replica of members and the deny-list;
`delegates` (handlers/delegates.py): delegate mandates and recall thresholds."""
