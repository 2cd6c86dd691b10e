"""Schema of the table of voting methods (GET /api/v1/polls/methods)."""

from __future__ import annotations

from marshmallow import Schema, fields

from services.common.text import OneLine


class MethodSchema(Schema):
    method = OneLine(metadata={"description": "the question's `method`"})
    form = OneLine(
        metadata={
            "description": "the answer's field for this method: choice | "
            "approve | ranking | response"
        }
    )
    settings = fields.List(
        OneLine(),
        metadata={
            "description": "the question settings this method takes (seats, threshold, quorum, "
            "seed, max_stand_asides, max_rounds, fallback, fallback_quorum)"
        },
    )
    launchable = fields.Bool(
        metadata={
            "description": "false: only the service creates such questions (a consensus process's "
            "fallback vote)"
        }
    )
    options = fields.List(
        OneLine(),
        metadata={
            "description": "the options every question of this method has (empty: the poll's own)"
        },
    )


class MethodListSchema(Schema):
    methods = fields.List(fields.Nested(MethodSchema))
