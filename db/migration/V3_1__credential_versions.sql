-- A counter that every change of a user or robot account increases (JPA @Version). Nodes cache
-- successful logins keyed by it: a cached login is used only while the account's version in the
-- database is still the one it was cached with, so a password change, a disabled robot or a
-- deleted account takes effect on every node at the next request.
ALTER TABLE wharf_user ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE robot ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
