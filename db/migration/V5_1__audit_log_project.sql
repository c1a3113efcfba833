-- The project of each audit entry, so a project's log (/api/v2.0/projects/{p}/logs) is one indexed
-- query. New entries get it from their event (AuditEntity.projectOf); older ones are filled here by
-- the same rules: a project's name; <project>:<user> for members; robot$<project>+<name> for project
-- robots; <project>/<repository>... for artifacts and blobs. Users, logins and tokens have none.
ALTER TABLE audit_log ADD COLUMN project VARCHAR(255);

UPDATE audit_log SET project = CASE
    WHEN resource_type = 'project' THEN resource
    WHEN resource_type = 'member' AND POSITION(':' IN resource) > 1
        THEN SUBSTRING(resource FROM 1 FOR POSITION(':' IN resource) - 1)
    WHEN resource_type IN ('artifact', 'blob') AND POSITION('/' IN resource) > 1
        THEN SUBSTRING(resource FROM 1 FOR POSITION('/' IN resource) - 1)
    WHEN resource_type = 'robot' AND resource LIKE 'robot$%+%'
        THEN SUBSTRING(resource FROM 7 FOR POSITION('+' IN resource) - 7)
    ELSE NULL END;

CREATE INDEX audit_log_project_idx ON audit_log (project, occurred_at);
