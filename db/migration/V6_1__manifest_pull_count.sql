-- How often each manifest was pulled, for the console's artifact list. Counted like
-- repository.pull_count (V4_1): in batches by every node, with increments in SQL
-- (pull_count = pull_count + n), so nodes never overwrite each other's counts. Pulls before this
-- migration are not known per manifest: they start at 0.

ALTER TABLE manifest ADD COLUMN pull_count BIGINT NOT NULL DEFAULT 0;
