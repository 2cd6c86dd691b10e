"""All SQL of the polls service, by area: named functions taking a cursor first, bound
parameters. Callers import the area module (`from services.polls.store import ballots`)."""
