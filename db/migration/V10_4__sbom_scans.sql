-- Scanning, slice 3: SBOM scans (spec 1.2's sbom capability) are jobs of their own kind beside the
-- vulnerability scans; active_key keeps one live job per digest, scanner and kind.
ALTER TABLE scan_job ADD COLUMN scan_type VARCHAR(16) DEFAULT 'vulnerability' NOT NULL;
