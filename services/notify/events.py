"""What notify publishes: nothing. It consumes members' and polls' events (`handlers/`) and
turns them into mail and SMS; the deliveries are its own record, read through its API."""
