"""Events: what polls publishes (with `services.common.bus.emit`, in the transaction of the
change they announce). What it consumes is in handlers/.

- `polls.poll.opened` {poll_id, title, scope, opens_at, closes_at, electorate, invitation_parts}
- `polls.poll.invitations` {poll_id, title, scope, closes_at, member_ids, part, parts}: exactly
  the electorate just fixed, in parts of 1,000 (notify invites these and no one else)
- `polls.poll.closed` {poll_id, title, scope, closed_at, voters, electorate,
  results: [{question_id, text, method, winners, answered}]} (+ purpose, election / recall for
  delegate elections and recall votes: service/purposes.py)
- `polls.poll.closing_soon` {poll_id, title, scope, closes_at, member_ids, page, pages}
  (members of the electorate who have not voted yet, in pages; nothing about any vote)
- `polls.poll.deadline_extended` {poll_id, title, scope, old_closes_at, closes_at, reason}
- `polls.consensus.round_started` {poll_id, question_id, previous_poll_id, title, scope, stage,
  round, text, closes_at}
- `polls.recall.opened` {petition_id, poll_id, mandate_id, delegate_id, chapter_id, closes_at,
  delegate_name, chapter_name}
- `polls.by_election.opened` {poll_id, chapter_id, chapter_name, mandate_id, delegate_name,
  rule, candidates, filled, closes_at} / `polls.by_election.needed` {chapter_id, chapter_name,
  mandate_id, delegate_name, reason ("no_candidates" | "term_over")}: an empty delegate seat
  (service/vacancies.py)
- `polls.comment.mentioned` {comment_id, subject_type, subject_id, title, author_name,
  member_ids}
"""
