package io.wharf.core.system;

import io.wharf.core.PlatformProperties;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.storage.StorageProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Service;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/** Describes the installation ({@link Installation}) to its system administrators. */
@Service
public class InstallationService {

    private final AccessPolicy policy;
    private final StorageProperties storage;
    private final PlatformProperties platform;
    private final DataSource dataSource;
    private final @Nullable BuildProperties build;

    InstallationService(AccessPolicy policy, StorageProperties storage, PlatformProperties platform, DataSource dataSource,
                      ObjectProvider<BuildProperties> build) {
        this.policy = policy;
        this.storage = storage;
        this.platform = platform;
        this.dataSource = dataSource;
        this.build = build.getIfAvailable();
    }

    /** The installation's description; system administrators only. */
    public Installation info(Caller caller) {
        policy.requireSysadmin(caller);
        String driver = storage.driver().name().toLowerCase(Locale.ROOT);
        String root = storage.filesystem().root();
        String location = switch (storage.driver()) {
            case FILESYSTEM -> root == null || root.isBlank() ? platform.dataDir().resolve("storage").toString() : root;
            case MINIO -> storage.minio().endpoint() + " (bucket " + storage.minio().bucket() + ")";
        };
        return new Installation(build == null ? "development" : build.getVersion(),
            build == null || build.getTime() == null ? null : build.getTime().toString(),
            driver, location, database(), Runtime.version().toString(), platform.externalUrl());
    }

    private String database() {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
        } catch (SQLException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }
}
