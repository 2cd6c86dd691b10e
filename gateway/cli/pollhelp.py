"""The poll file format, shown by `councils poll create --help` (and in the README)."""

POLL_FILE_HELP = """\
The poll file (YAML or JSON). Top level:
  title        the poll's title (required)
  text         an explanation members read first
  scope        organisation (default) | {type: chapter, id: CHAPTER_ID}
               | {type: current, id: CURRENT_ID}
  opens_in / opens_at     7d, 12h, 30m, or 2030-05-01T18:00:00Z (default: now)
  closes_in / closes_at   the same forms (required); a bare date closes at 23:59 UTC
  live_results true shows partial counts while open (members see them: they may
               influence the vote); false by default
  questions    a list; each has text, method and the method's settings below.

Words stay as typed (YAML 1.2): options [Yes, No] are "Yes" and "No", never true/false.
Any unknown key is refused. --dry-run asks the server to check everything (permission,
chapter, every setting) without creating: when it passes, the real run passes.

Methods, each with a full example:

  majority: one choice; threshold simple (more than half of the votes), absolute, two_thirds
  or a fraction such as 0.6; quorum: the share of the electorate that must vote.
    title: Adopt the new statutes
    closes_in: 14d
    questions:
      - text: Do you adopt the statutes as amended?
        method: majority
        options: [Yes, No]
        threshold: two_thirds
        quorum: 0.25

  plurality: one choice, the most votes wins.
      - text: Where should the congress be held?
        method: plurality
        options: [Lyon, Porto, Gdansk]

  approval: tick every acceptable option; the most approvals wins (seats: N for several).
      - text: Which workshops should run?
        method: approval
        options: [Housing, Energy, Transport]
        seats: 2

  irv: rank the options; instant run-off.
      - text: Pick the first project
        method: irv
        options: [Library, Garden, Workshop]

  stv: rank the candidates; single transferable vote for several seats.
      - text: Elect the board
        method: stv
        seats: 3
        options: [Ana, Bo, Cy, Dee, Eli]

  schulze: rank the options; the Condorcet winner (Schulze method).
      - text: Rank the campaign themes
        method: schulze
        options: [Climate, Housing, Health]

  borda: rank the options; each rank earns points (Borda count).
      - text: Order the agenda items
        method: borda
        options: [Budget, Statutes, Elections]

  consensus: no options; members agree, stand aside or block (a block needs a reason).
  max_stand_asides: how many may stand aside (a count); max_rounds: how many amended
  rounds before the fallback vote; fallback: the share needed then, e.g. "9/10";
  fallback_quorum likewise.
      - text: We adopt the code of conduct as written.
        method: consensus
        max_stand_asides: 2
        max_rounds: 3
        fallback: "9/10"
        fallback_quorum: 0.3
"""
