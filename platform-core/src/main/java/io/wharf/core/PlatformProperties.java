package io.wharf.core;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * {@code wharf.*} settings shared by every feature.
 *
 * @param dataDir where the embedded database and the filesystem store live by default
 *                ({@code WHARF_DATA_DIR}, default {@code ./data})
 */
@ConfigurationProperties("wharf")
public record PlatformProperties(@DefaultValue("./data") Path dataDir) {
}
