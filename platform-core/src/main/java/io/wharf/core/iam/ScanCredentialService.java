package io.wharf.core.iam;

import io.wharf.core.registry.RepositoryName;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The short-lived pull credentials Wharf gives scanner adapters ({@code scan_credential}): Basic
 * {@code scanner$<id>:<secret>} with a random 256-bit secret, kept only as its SHA-256 (a secret of
 * that strength needs no slow hash), scoped to one repository and expiring. {@link #verify} turns one
 * into a {@link Principal.Kind#SCANNER} principal, which {@link AccessPolicy} lets pull that repository
 * and nothing else; {@link LoginService} asks it for every name with {@link #PREFIX}.
 */
@Service
public class ScanCredentialService {

    /** The prefix of every scan credential's name; no user or robot name starts with it. */
    public static final String PREFIX = "scanner$";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ScanCredentialService(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A new credential.
     *
     * @param name   the name to send, {@code scanner$<id>}
     * @param secret the secret to send; it is not stored
     */
    public record Issued(String name, String secret, Instant expiresAt) {

        /** The {@code Authorization} header value: {@code Basic base64(name:secret)}. */
        public String basicAuthorization() {
            return "Basic " + Base64.getEncoder().encodeToString((name + ":" + secret).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Issued[" + name + ", expires " + expiresAt + "]"; // never the secret
        }
    }

    /** Issues a credential that may pull {@code repository} until {@code expiresAt}. */
    public Issued issue(RepositoryName repository, Instant expiresAt) {
        String name = PREFIX + UUID.randomUUID().toString().replace("-", "");
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.update("INSERT INTO scan_credential (name, secret_hash, repository, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
            name, hash(secret), repository.value(), Timestamp.from(expiresAt), Timestamp.from(clock.instant()));
        return new Issued(name, secret, expiresAt);
    }

    /** Ends credential {@code name} (the scan ended); nothing happens for an unknown name. */
    public void revoke(String name) {
        jdbc.update("DELETE FROM scan_credential WHERE name = ?", name);
    }

    /** Deletes every expired credential; returns how many. */
    public int purgeExpired() {
        return jdbc.update("DELETE FROM scan_credential WHERE expires_at <= ?", Timestamp.from(clock.instant()));
    }

    /**
     * The principal of credential {@code name} when {@code secret} is its secret and it has not
     * expired; empty otherwise (unknown, wrong, expired or revoked).
     */
    public Optional<Principal> verify(String name, String secret) {
        return find(name).filter(found -> MessageDigest.isEqual(found.hash().getBytes(StandardCharsets.US_ASCII),
            hash(secret).getBytes(StandardCharsets.US_ASCII))).map(found -> Principal.scanner(name, found.repository()));
    }

    /** The principal of credential {@code name} while it is valid, for a token issued to it; empty otherwise. */
    public Optional<Principal> principal(String name) {
        return find(name).map(found -> Principal.scanner(name, found.repository()));
    }

    private record Found(String hash, RepositoryName repository) {
    }

    private Optional<Found> find(String name) {
        if (!name.startsWith(PREFIX) || name.length() > 64) {
            return Optional.empty();
        }
        List<Found> rows = jdbc.query("SELECT secret_hash, repository FROM scan_credential WHERE name = ? AND expires_at > ?",
            (rs, i) -> new Found(rs.getString(1), RepositoryName.of(rs.getString(2))), name,
            Timestamp.from(OffsetDateTime.now(clock).toInstant()));
        return rows.stream().findFirst();
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
