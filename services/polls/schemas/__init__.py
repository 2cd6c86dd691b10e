"""Marshmallow schemas: the single description of what the polls API takes and gives, by area
(polls and ballots, discussion, delegates, methods)."""
