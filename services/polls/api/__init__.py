"""Routes of the polls service (full public paths; the gateway forwards them unchanged), one
flask-smorest blueprint per area; thin: parse, call one use case (service/), return."""

from __future__ import annotations

from services.polls.api.affected import affected_blp
from services.polls.api.ballots import ballots_blp
from services.polls.api.comments import comments_blp
from services.polls.api.delegates import delegates_blp
from services.polls.api.initiative import initiative_blp
from services.polls.api.methods import methods_blp
from services.polls.api.parked import parked_blp
from services.polls.api.polls import polls_blp
from services.polls.api.proposals import proposals_blp
from services.polls.api.results import results_blp
from services.polls.api.upward import upward_blp

BLUEPRINTS = [
    polls_blp,
    ballots_blp,
    affected_blp,
    results_blp,
    proposals_blp,
    initiative_blp,
    comments_blp,
    delegates_blp,
    upward_blp,
    methods_blp,
    parked_blp,
]
