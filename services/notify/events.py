"""What notify publishes: nothing. It consumes members' and polls' events (`handlers/`) and
turns them into mail and SMS; the deliveries are its own record, read through its API.

What it makes of polls' issue-18 events (handlers/upward.py, handlers/challenges.py): the
`polls.upward_request.*` events become mail of kind `upward_request`, the `polls.challenge.*`
events mail of kind `challenge`, to the members polls names in `member_ids` (and, for an
answer to a request a chapter's poll decided, to that chapter's members)."""
