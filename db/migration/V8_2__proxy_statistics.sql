-- What each proxy-cache project served (docs/proxy.md, "Metrics and console"): requests answered from
-- the cache (hits), fetched from the upstream (misses), served stale because the upstream failed,
-- and joined to a download or refresh already in flight (coalesced); bytes fetched from the upstream.
-- Every node counts in memory and adds its counts in batches with increments in SQL
-- (hits = hits + n), as pull counts are (V4_1, V6_1), so nodes never overwrite each other's counts
-- and every node shows the same totals.

CREATE TABLE proxy_statistics (
    project_id     BIGINT                   PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    hits           BIGINT                   NOT NULL DEFAULT 0,
    misses         BIGINT                   NOT NULL DEFAULT 0,
    stale          BIGINT                   NOT NULL DEFAULT 0,
    coalesced      BIGINT                   NOT NULL DEFAULT 0,
    fetched_bytes  BIGINT                   NOT NULL DEFAULT 0,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
