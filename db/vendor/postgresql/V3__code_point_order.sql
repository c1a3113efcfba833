-- PostgreSQL only (spring.flyway.locations adds classpath:db/vendor/{vendor}).
-- The OCI distribution spec lists tags and repositories in lexical order by code point, and /v2
-- pages them in the database (WHERE name > :last ORDER BY name LIMIT :n). PostgreSQL compares text
-- by the database's collation, usually a linguistic one (en_US: 'a' < 'B', punctuation ignored);
-- the "C" collation compares bytes, which for UTF-8 is code-point order. The unique indexes are
-- rebuilt with it, so the keyset queries can use them. H2 already compares strings by code unit,
-- the same order for the ASCII names the spec allows, and needs no migration.

ALTER TABLE repository ALTER COLUMN name TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE tag ALTER COLUMN name TYPE VARCHAR(128) COLLATE "C";
