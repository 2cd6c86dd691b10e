-- PostgreSQL event transport: the same contract as RabbitMQ (topic routing, ack, retry, parking).

-- Which queue receives which routing keys, per exchange; `regex` is the pattern compiled to a
-- POSIX regular expression matched against '.' || routing_key.
CREATE TABLE bindings (
    exchange    text NOT NULL,
    queue       text NOT NULL,
    pattern     text NOT NULL,
    regex       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (exchange, queue, pattern)
);

-- One row per (queue, event): published rows are fanned out here at publish time. A consumer
-- leases a row by moving `available_at` forward and setting `lease`; ack deletes it; retry
-- moves `available_at` and bumps `attempt`; an expired lease makes it deliverable again.
CREATE TABLE messages (
    id           bigserial PRIMARY KEY,
    queue        text NOT NULL,
    routing_key  text NOT NULL,
    envelope     jsonb NOT NULL,
    attempt      integer NOT NULL DEFAULT 1,
    deliveries   integer NOT NULL DEFAULT 0,
    available_at timestamptz NOT NULL DEFAULT now(),
    lease        uuid,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_queue_ready ON messages (queue, available_at, id);

-- Messages given up on, for a person to look at (and requeue).
CREATE TABLE parked (
    id           bigserial PRIMARY KEY,
    queue        text NOT NULL,
    routing_key  text NOT NULL,
    envelope     jsonb NOT NULL,
    attempt      integer NOT NULL,
    reason       text NOT NULL,
    parked_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parked_queue ON parked (queue, id);
