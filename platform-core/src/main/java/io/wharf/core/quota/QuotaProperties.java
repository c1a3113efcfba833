package io.wharf.core.quota;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wharf.quota.*}: project storage quotas.
 *
 * @param defaultStorageLimit the limit, in bytes, of a project created without one (or by someone who is
 *                            no system administrator); -1 for none
 * @param warningPercent      a push that takes a project's usage to this share of its limit or above,
 *                            from below it, publishes a quota warning (1 to 100)
 */
@ConfigurationProperties("wharf.quota")
public record QuotaProperties(
        @DefaultValue("-1") long defaultStorageLimit,
        @DefaultValue("85") int warningPercent) {

    public QuotaProperties {
        if (defaultStorageLimit != Quotas.UNLIMITED && defaultStorageLimit <= 0) {
            throw new IllegalArgumentException("wharf.quota.default-storage-limit must be -1 (no limit) or a positive number of bytes");
        }
        if (warningPercent < 1 || warningPercent > 100) {
            throw new IllegalArgumentException("wharf.quota.warning-percent must be 1 to 100");
        }
    }
}
