-- Delegates and recall (issue 7).

-- What a poll is for, beyond its questions: a chapter's delegate election (details: seats,
-- term_days, candidates {option: member_id}), a delegate poll at a higher-level chapter (its
-- electorate is the delegates of the child chapters, weighted), or a recall vote opened by a
-- petition (details: petition, mandate, delegate). One recall poll per petition, however often
-- the threshold event arrives.
CREATE TABLE poll_purposes (
    poll_id      uuid PRIMARY KEY REFERENCES polls (id),
    purpose      text NOT NULL CHECK (purpose IN ('delegate_election', 'delegate_poll', 'recall')),
    chapter_id   text NOT NULL,
    petition_id  text UNIQUE,
    details      jsonb NOT NULL DEFAULT '{}'
);

-- Delegate mandates, as members announces them (role 'delegate'), with their terms.
CREATE TABLE delegate_mandates (
    mandate_id  text PRIMARY KEY,
    member_id   text NOT NULL,
    chapter_id  text NOT NULL,
    starts_at   timestamptz,
    ends_at     timestamptz,
    revoked     boolean NOT NULL DEFAULT false
);
CREATE INDEX delegate_mandates_chapter ON delegate_mandates (chapter_id) WHERE NOT revoked;

-- Roll-call: in delegate polls a delegate's vote is public by design (transparency of
-- delegated leaders); the latest answers of each delegate, with the weight they carried.
CREATE TABLE public_votes (
    poll_id     uuid NOT NULL REFERENCES polls (id),
    member_id   text NOT NULL,
    chapter_id  text,
    weight      integer NOT NULL,
    answers     jsonb NOT NULL,
    cast_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (poll_id, member_id)
);
CREATE INDEX public_votes_member ON public_votes (member_id, cast_at DESC);

-- Which chapter each delegate of a delegate poll represents, fixed with the electorate.
CREATE TABLE delegate_electors (
    poll_id     uuid NOT NULL REFERENCES polls (id),
    member_id   text NOT NULL,
    chapter_id  text NOT NULL,
    members     integer NOT NULL,
    delegates   integer NOT NULL,
    PRIMARY KEY (poll_id, member_id, chapter_id)
);
