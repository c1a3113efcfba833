package io.wharf.core.iam;

import io.wharf.core.registry.MirrorRouting;
import io.wharf.core.registry.RepositoryName;
import org.springframework.beans.factory.ObjectProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Registry tokens as the Docker token spec defines them: RS256 JWTs with {@code iss}, {@code sub},
 * {@code aud}, {@code exp}, {@code nbf}, {@code iat}, {@code jti} and {@code access}, the list of
 * {@code {type, name, actions}} the bearer may do, cut down to what the caller may actually do.
 *
 * <p>The signing key is {@code wharf.auth.private-key} when set; otherwise the first node to start
 * creates one in the database and every node uses it, so a token from one node works on all.
 * Refresh tokens (OAuth2 offline access) are JWTs of the same key with the claim {@code wharf_refresh}
 * and no access; they are never accepted on the registry.
 */
@Service
public class TokenService {

    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final String REFRESH_CLAIM = "wharf_refresh";
    private static final String STAMP_CLAIM = "wharf_account";

    private final AuthProperties properties;
    private final java.time.Clock clock;
    private final SigningKeyRepository keys;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final AccessPolicy policy;
    private final LoginService logins;
    private volatile @Nullable Keys loaded;

    private final ObjectProvider<MirrorRouting> mirror;

    TokenService(AuthProperties properties, SigningKeyRepository keys, java.time.Clock clock,
                 org.springframework.context.ApplicationEventPublisher events, AccessPolicy policy,
                 LoginService logins, ObjectProvider<MirrorRouting> mirror) {
        this.mirror = mirror;
        this.logins = logins;
        this.events = events;
        this.policy = policy;
        this.clock = clock;
        this.properties = properties;
        this.keys = keys;
    }

    /** One entry of the {@code access} claim (or of a requested scope). */
    public record Access(String type, String name, Set<String> actions) {
    }

    /** A verified registry token. */
    public record Claims(String subject, List<Access> access) {

        /** The actions granted on {@code type}/{@code name}. */
        public Set<String> actions(String type, String name) {
            Set<String> actions = new LinkedHashSet<>();
            access.stream().filter(a -> a.type().equals(type) && a.name().equals(name)).forEach(a -> actions.addAll(a.actions()));
            return actions;
        }
    }

    /** A signed token and its lifetime. */
    public record Issued(String token, Instant issuedAt, long expiresIn) {
    }

    /** Issues a registry token for {@code subject} granting exactly {@code access}. */
    public Issued issue(String subject, List<Access> access) {
        Instant now = clock.instant();
        List<Map<String, Object>> claim = new ArrayList<>();
        for (Access a : access) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", a.type());
            entry.put("name", a.name());
            entry.put("actions", List.copyOf(a.actions()));
            claim.add(entry);
        }
        JWTClaimsSet claims = base(subject, now, properties.tokenExpiration()).claim("access", claim).build();
        return new Issued(sign(claims), now, properties.tokenExpiration().toSeconds());
    }

    /**
     * Issues a refresh token for {@code subject}, bound to the account's {@code stamp}: it stops
     * working once the account changes (a new password or secret, a deletion).
     */
    public String issueRefresh(String subject, AccountStamp stamp) {
        return sign(base(subject, clock.instant(), properties.refreshExpiration()).claim(REFRESH_CLAIM, true)
            .claim(STAMP_CLAIM, stamp.toString()).build());
    }

    /** A refresh token for the caller's account as it is now; empty for anonymous callers and accounts that are gone. */
    public java.util.Optional<String> issueRefresh(Caller caller) {
        String name = caller.name();
        return name == null ? java.util.Optional.empty() : logins.accountStamp(name).map(stamp -> issueRefresh(name, stamp));
    }

    /** A verified refresh token: whose it is, and the state of the account it was issued for. */
    public record Refresh(String subject, @Nullable AccountStamp stamp) {
    }

    /**
     * Verifies a registry token: RS256 signature by Wharf's key, issuer, audience, not expired, not
     * before its time, not a refresh token.
     *
     * @throws PlatformException {@link ErrorCode#UNAUTHORIZED} for anything else
     */
    public Claims verify(String token) {
        JWTClaimsSet claims = verified(token);
        if (claims.getClaim(REFRESH_CLAIM) != null) {
            throw invalid("a refresh token is not a registry token");
        }
        List<Access> access = new ArrayList<>();
        Object raw = claims.getClaim("access");
        if (raw instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map && map.get("type") instanceof String type && map.get("name") instanceof String name
                    && map.get("actions") instanceof List<?> actions) {
                    Set<String> set = new LinkedHashSet<>();
                    actions.forEach(x -> set.add(String.valueOf(x)));
                    access.add(new Access(type, name, set));
                }
            }
        }
        return new Claims(claims.getSubject() == null ? "" : claims.getSubject(), access);
    }

    /** Verifies a refresh token and returns its subject. */
    public Refresh verifyRefresh(String token) {
        JWTClaimsSet claims = verified(token);
        if (!Boolean.TRUE.equals(claims.getClaim(REFRESH_CLAIM)) || claims.getSubject() == null || claims.getSubject().isEmpty()) {
            throw invalid("not a refresh token");
        }
        Object stamp = claims.getClaim(STAMP_CLAIM);
        return new Refresh(claims.getSubject(), AccountStamp.parse(stamp instanceof String s ? s : null));
    }

    private JWTClaimsSet verified(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
                throw invalid("unsupported token algorithm");
            }
            if (!jwt.verify(new RSASSAVerifier(keys().publicKey()))) {
                throw invalid("bad token signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            claimsVerifier().verify(claims, null);
            return claims;
        } catch (com.nimbusds.jwt.proc.BadJWTException e) {
            throw invalid(e.getMessage());
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw invalid("malformed token");
        }
    }

    /**
     * Nimbus's claims verifier: exact issuer, our audience, {@code exp} and {@code sub} required,
     * {@code exp}/{@code nbf} checked against the injected clock with {@link #SKEW} of tolerance.
     */
    private com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier<com.nimbusds.jose.proc.SecurityContext> claimsVerifier() {
        var verifier = new com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier<com.nimbusds.jose.proc.SecurityContext>(
            properties.service(), new JWTClaimsSet.Builder().issuer(properties.issuer()).build(), Set.of("exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        verifier.setMaxClockSkew((int) SKEW.toSeconds());
        return verifier;
    }

    /**
     * Issues a registry token to the caller for the {@code requested} scopes, each cut down to the
     * actions the caller may take (unknown or forbidden repositories get no actions: a token is not an
     * authorisation), and publishes {@link TokenIssued}. {@code registry:catalog:*} is granted as asked,
     * the catalog itself lists only what the caller may see.
     */
    public Issued grant(Caller caller, List<Access> requested) {
        return grant(caller, requested, false);
    }

    /**
     * {@link #grant(Caller, List)} for a request that came in on the mirror's own port
     * ({@code mirrorPort}), where every pull scope is the mirror project's (see {@link MirrorRouting}).
     */
    public Issued grant(Caller caller, List<Access> requested, boolean mirrorPort) {
        List<Access> granted = new ArrayList<>();
        for (Access access : requested) {
            Optional<RepositoryName> mirrored = mirroredPull(access, mirrorPort);
            if (mirrored.isPresent()) {
                // the mirror serves this pull from its proxy-cache project: grant as that project allows,
                // under both names (the client asked for one, /v2 checks the other)
                Access target = new Access(access.type(), mirrored.get().value(), access.actions());
                Set<String> actions = grantedActions(caller.principal(), target);
                granted.add(new Access(access.type(), access.name(), actions));
                granted.add(new Access(access.type(), target.name(), actions));
            } else {
                granted.add(new Access(access.type(), access.name(), grantedActions(caller.principal(), access)));
            }
        }
        Issued issued = issue(caller.principal().name(), granted);
        events.publishEvent(new TokenIssued(caller.name(), caller.remoteAddr(), clock.instant(), granted.toString()));
        return issued;
    }

    /** Where the mirror serves a pull-only repository scope from, when it does (see {@link MirrorRouting}). */
    private Optional<RepositoryName> mirroredPull(Access access, boolean mirrorPort) {
        MirrorRouting routing = mirror.getIfAvailable();
        if (routing == null || !routing.enabled() || !"repository".equals(access.type()) || !Set.of("pull").equals(access.actions())) {
            return Optional.empty();
        }
        try {
            return routing.mirrored(RepositoryName.of(access.name()), mirrorPort);
        } catch (PlatformException invalidName) {
            return Optional.empty();
        }
    }

    private Set<String> grantedActions(Principal principal, Access access) {
        if ("registry".equals(access.type()) && "catalog".equals(access.name())) {
            if (principal.kind() == Principal.Kind.SCANNER) {
                return Set.of(); // a scan credential pulls its one repository, it lists nothing
            }
            return access.actions().contains("*") ? Set.of("*") : Set.of();
        }
        if (!"repository".equals(access.type())) {
            return Set.of();
        }
        Set<String> allowed;
        try {
            allowed = policy.repositoryActions(principal, io.wharf.core.registry.RepositoryName.of(access.name()));
        } catch (PlatformException invalidName) {
            return Set.of();
        }
        Set<String> granted = new LinkedHashSet<>();
        for (String action : access.actions()) {
            if (action.equals("*")) {
                granted.addAll(allowed);
            } else if (allowed.contains(action)) {
                granted.add(action);
            }
        }
        return granted;
    }

    private JWTClaimsSet.Builder base(String subject, Instant now, Duration lifetime) {
        return new JWTClaimsSet.Builder()
            .issuer(properties.issuer())
            .subject(subject)
            .audience(properties.service())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString());
    }

    private String sign(JWTClaimsSet claims) {
        Keys k = keys();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(k.kid()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(k.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static PlatformException invalid(String detail) {
        return new PlatformException(ErrorCode.UNAUTHORIZED, detail);
    }

    private record Keys(String kid, RSAPrivateKey privateKey, RSAPublicKey publicKey) {
    }

    private Keys keys() {
        Keys k = loaded;
        if (k == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = load();
                }
                k = loaded;
            }
        }
        return k;
    }

    private Keys load() {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (properties.privateKey() != null && !properties.privateKey().isBlank()) {
                RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(pem(properties.privateKey())));
                RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
                return new Keys("configured", key, pub);
            }
            if (keys.findById(1).isEmpty()) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Base64.Encoder b64 = Base64.getEncoder();
                keys.insertIfAbsent(UUID.randomUUID().toString().substring(0, 8),
                    b64.encodeToString(pair.getPrivate().getEncoded()), b64.encodeToString(pair.getPublic().getEncoded()));
            }
            SigningKeyEntity row = keys.findById(1).orElseThrow();
            return new Keys(row.kid,
                (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(row.privateKey))),
                (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(row.publicKey))));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the token signing key", e);
        }
    }

    private static byte[] pem(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }
}
