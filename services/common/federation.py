"""The federation's levels (issue 18; docs/governance.md, "The federation"): names and depth from
configuration, `FEDERATION_LEVELS`, top first (default `international,national,regional,city,
local`). Pure: members' settings and the web's read it once at start and pass the result on.

The top level has no parent; the bottom level is the one any member may found (and joins and
coordinates as its founder); a chapter sits under a chapter of a higher level (one up, or more
when the levels between do not exist in a place). The four names Councils shipped with
(international, national, regional, local) are in the default, so chapters founded before stay
valid; a configuration that drops one of them leaves its chapters readable but not placeable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from services.common.config import ConfigError

DEFAULT_LEVELS = ("international", "national", "regional", "city", "local")
_NAME = re.compile(r"^[a-z][a-z_]{0,39}$")


@dataclass(frozen=True)
class Federation:
    levels: tuple[str, ...] = DEFAULT_LEVELS

    @property
    def top(self) -> str:
        return self.levels[0]

    @property
    def bottom(self) -> str:
        return self.levels[-1]

    def rank(self, level: str) -> int | None:
        """0 for the top level, one more per level down; None for a level not configured."""
        return self.levels.index(level) if level in self.levels else None

    def may_sit_under(self, level: str, parent_level: str) -> bool:
        child, parent = self.rank(level), self.rank(parent_level)
        return child is not None and parent is not None and parent < child


def parse_levels(value: str | None) -> tuple[str, ...]:
    """FEDERATION_LEVELS as a tuple, top first; ConfigError naming the variable when malformed."""
    if value is None or not value.strip():
        return DEFAULT_LEVELS
    levels = tuple(part.strip().lower() for part in value.split(","))
    bad = [name for name in levels if not _NAME.match(name)]
    if bad:
        raise ConfigError(
            f"FEDERATION_LEVELS: {bad[0]!r} is not a level name (lower-case letters and _)"
        )
    if len(set(levels)) != len(levels):
        raise ConfigError("FEDERATION_LEVELS names a level twice")
    if not 2 <= len(levels) <= 12:
        raise ConfigError("FEDERATION_LEVELS needs between 2 and 12 levels, top first")
    return levels


def federation_from_env(env: Mapping[str, str]) -> Federation:
    return Federation(parse_levels(env.get("FEDERATION_LEVELS")))
