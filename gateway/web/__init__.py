"""The web front end members vote in: server-rendered pages over the public HTTP API."""
