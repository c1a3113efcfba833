-- Proxy-cache projects (docs/proxy.md): a project bound to a registry endpoint serves what it does
-- not hold from that upstream, and caches it. proxy_check remembers when a cached tag was last
-- compared with the upstream (by HEAD), so that within the tag TTL no upstream request is made.

ALTER TABLE project ADD COLUMN registry_id BIGINT REFERENCES registry_endpoint (id);

CREATE TABLE proxy_check (
    repository VARCHAR(255)             NOT NULL,
    reference  VARCHAR(255)             NOT NULL,
    digest     VARCHAR(255)             NOT NULL,
    checked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (repository, reference)
);
