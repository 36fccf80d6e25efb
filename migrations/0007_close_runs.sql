-- Every period-close run that finished: when, what it did, whether an operator forced the
-- current month closed before its reading window ended. Its durable commit also flushes the
-- batches the run committed with synchronous_commit off.
CREATE TABLE close_runs (
    id          bigserial PRIMARY KEY,
    period      date        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    closed      bigint      NOT NULL,
    failed      bigint      NOT NULL,
    lines       bigint      NOT NULL,
    forced      boolean     NOT NULL
);

CREATE INDEX close_runs_period ON close_runs (period, finished_at);
