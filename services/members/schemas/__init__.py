"""Marshmallow schemas: the one description of what the members API takes and gives, by area
(`fields` holds the field types and the strict base schema every area uses)."""
