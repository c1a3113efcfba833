package io.wharf.core.registry;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wharf.mirror.*}: the transparent Docker Hub mirror.
 *
 * @param project            the proxy-cache project that pulls of repositories Wharf does not hold fall
 *                           through to ({@code WHARF_MIRROR_PROJECT}); empty turns the mirror off
 * @param foreignCredentials what the token endpoint does with Basic credentials it cannot validate
 *                           when every scope asked for is a pull from a proxy-cache project (the Docker
 *                           daemon sends its Docker Hub login to mirrors): {@code anonymous} answers as
 *                           to an anonymous client, {@code reject} with 401 (the daemon then goes to
 *                           Docker Hub)
 * @param port               a second port on which every request is the mirror's ({@code WHARF_MIRROR_PORT}):
 *                           {@code /v2/<name>} is always {@code /v2/<project>/<name>}, whatever Wharf
 *                           holds, like Nexus's port connectors; none when unset
 */
@ConfigurationProperties("wharf.mirror")
public record MirrorProperties(@Nullable String project, @DefaultValue("anonymous") ForeignCredentials foreignCredentials,
                               @Nullable Integer port) {

    /** See {@link #foreignCredentials}. */
    public enum ForeignCredentials { ANONYMOUS, REJECT }
}
