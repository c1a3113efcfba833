package io.wharf.core;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * {@code wharf.*} settings shared by every feature.
 *
 * @param dataDir       where the embedded database and the filesystem store live by default
 *                      ({@code WHARF_DATA_DIR}, default {@code ./data})
 * @param externalUrl   the URL clients reach Wharf at ({@code WHARF_EXTERNAL_URL}); when empty it
 *                      follows each request's scheme and {@code Host}
 * @param adminPassword the first {@code admin} password ({@code WHARF_ADMIN_PASSWORD}); when empty a
 *                      random one is written to {@code <data-dir>/admin.password}
 * @param secretKey     the AES-256 key (base64 of 32 bytes) that encrypts stored credentials of remote
 *                      registries and scanners ({@code WHARF_SECRET_KEY}); when empty a random one is
 *                      kept in {@code <data-dir>/secret.key}. Nodes sharing a database must share it.
 */
@ConfigurationProperties("wharf")
public record PlatformProperties(@DefaultValue("./data") Path dataDir, @Nullable String externalUrl,
                                 @Nullable String adminPassword, @Nullable String secretKey) {
}
