package io.wharf.replication.upstream;

/**
 * The result of {@link UpstreamClient#ping()} ("test connection").
 *
 * @param reachable        whether the registry answered {@code /v2/} at all
 * @param credentialsValid whether the configured credentials were accepted; without credentials,
 *                         whether anonymous access was granted
 * @param message          a sentence for the administrator
 */
public record Ping(boolean reachable, boolean credentialsValid, String message) {
}
