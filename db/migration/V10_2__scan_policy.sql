-- Scanning, slice 3 (docs/scanning.md, "The pull policy"): what the pull policy reads.

-- Each report's findings in a compact form, computed once when the report is stored: one line per
-- distinct vulnerability id, "<id> <severity>" (the worst severity the report gives it). The policy
-- checks a pull against these and the allowlist without reading the report. NULL for reports stored
-- before this column existed (the policy then reads the report itself).
ALTER TABLE scan_report ADD COLUMN findings TEXT;

-- CVE allowlists (Harbor's cve_allowlist): project_id 0 is the system's, any other a project's.
-- items is the list of CVE ids, one per line; expires_at is Unix seconds, NULL for never.
CREATE TABLE cve_allowlist (
    project_id    BIGINT                   NOT NULL PRIMARY KEY,
    items         TEXT                     NOT NULL,
    expires_at    BIGINT,
    creation_time TIMESTAMP WITH TIME ZONE NOT NULL,
    update_time   TIMESTAMP WITH TIME ZONE NOT NULL
);
