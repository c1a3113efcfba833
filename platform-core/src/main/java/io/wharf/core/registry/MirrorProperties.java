package io.wharf.core.registry;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code wharf.mirror.*}: the transparent Docker Hub mirror.
 *
 * @param project the proxy-cache project that pulls of repositories Wharf does not hold fall through
 *                to ({@code WHARF_MIRROR_PROJECT}); empty turns the mirror off
 */
@ConfigurationProperties("wharf.mirror")
public record MirrorProperties(@Nullable String project) {
}
