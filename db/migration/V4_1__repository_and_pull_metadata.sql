-- What the Harbor-shaped API shows of repositories and artifacts beyond the registry's own index:
-- a repository's project (the first segment of its name, so listings filter by visible projects in
-- the database), its description, its pull count and update time; when each manifest and each tag
-- was last pulled. Pulls are counted in batches by every node with increments in SQL
-- (pull_count = pull_count + n), and pull times only ever move forward, so nodes never overwrite
-- each other's counts.

ALTER TABLE repository ADD COLUMN project VARCHAR(255);
UPDATE repository SET project = CASE WHEN POSITION('/' IN name) > 0
    THEN SUBSTRING(name, 1, POSITION('/' IN name) - 1) ELSE name END;
ALTER TABLE repository ALTER COLUMN project SET NOT NULL;
CREATE INDEX repository_project_idx ON repository (project, name);

ALTER TABLE repository ADD COLUMN description TEXT;
ALTER TABLE repository ADD COLUMN pull_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE repository ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
UPDATE repository SET updated_at = created_at;
ALTER TABLE repository ALTER COLUMN updated_at SET NOT NULL;

ALTER TABLE manifest ADD COLUMN pulled_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX manifest_pushed_idx ON manifest (repository_id, pushed_at);

ALTER TABLE tag ADD COLUMN pulled_at TIMESTAMP WITH TIME ZONE;
