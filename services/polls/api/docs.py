"""What the OpenAPI description of every polls route shares."""

AUTH: list[dict] = [{"bearerAuth": []}]  # routes that take the member's bearer token
