package io.wharf.core.system;

import io.wharf.core.PlatformProperties;
import io.wharf.core.iam.Caller;
import io.wharf.core.storage.StorageHealthIndicator;
import io.wharf.core.storage.StorageProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.stereotype.Service;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Wharf's version, settings and health, as Harbor's {@code /systeminfo} and {@code /health} report
 * them. Both are open to everyone, anonymous callers included; anonymous callers get the reduced
 * system information Harbor gives them.
 */
@Service
public class SystemService {

    private final PlatformProperties platform;
    private final StorageProperties storage;
    private final Clock clock;
    private final Map<String, HealthIndicator> components = new LinkedHashMap<>();
    private final String version;

    SystemService(PlatformProperties platform, StorageProperties storage, Clock clock, DataSource dataSource,
                  StorageHealthIndicator storageHealth) {
        this.platform = platform;
        this.storage = storage;
        this.clock = clock;
        // the actuator's own database check (Connection.isValid), asked directly so /api works without the actuator
        this.components.put("database", new DataSourceHealthIndicator(dataSource));
        this.components.put("storage", storageHealth);
        this.version = readVersion();
    }

    /**
     * The system information for {@code caller}; {@code requestBaseUrl} (scheme, host and port the
     * request came to) stands for the external URL when {@code wharf.external-url} is not set.
     */
    public SystemInfo info(Caller caller, String requestBaseUrl) {
        if (caller.isAnonymous()) {
            return new SystemInfo("db_auth", false, null);
        }
        String external = platform.externalUrl() == null || platform.externalUrl().isBlank()
            ? requestBaseUrl : platform.externalUrl().replaceAll("/+$", "");
        String registry = external.contains("://") ? external.substring(external.indexOf("://") + 3) : external;
        return new SystemInfo("db_auth", false, new SystemInfo.Details("v" + version, external, registry,
            storage.driver().name().toLowerCase(java.util.Locale.ROOT), "everyone", clock.instant()));
    }

    /** Checks the database and the storage now; never throws, a failing check is an unhealthy component. */
    public HealthReport health() {
        List<HealthReport.Component> checked = components.entrySet().stream().map(e -> check(e.getKey(), e.getValue())).toList();
        boolean healthy = checked.stream().allMatch(c -> c.status().equals(HealthReport.HEALTHY));
        return new HealthReport(healthy ? HealthReport.HEALTHY : HealthReport.UNHEALTHY, checked);
    }

    /** Wharf's version, from the build. */
    public String version() {
        return version;
    }

    private static HealthReport.Component check(String name, HealthIndicator indicator) {
        Health health = indicator.health(true);
        if (health == null || !Status.UP.equals(health.getStatus())) {
            Object error = health == null ? "no answer" : health.getDetails().getOrDefault("error", health.getStatus().getCode());
            return new HealthReport.Component(name, HealthReport.UNHEALTHY, String.valueOf(error));
        }
        return new HealthReport.Component(name, HealthReport.HEALTHY, null);
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = SystemService.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
