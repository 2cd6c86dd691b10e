"""`councils`: the admin command line, talking only to the gateway's HTTP API."""
