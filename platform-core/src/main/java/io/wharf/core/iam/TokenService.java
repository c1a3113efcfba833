package io.wharf.core.iam;

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

    private final AuthProperties properties;
    private final java.time.Clock clock;
    private final SigningKeyRepository keys;
    private volatile @Nullable Keys loaded;

    TokenService(AuthProperties properties, SigningKeyRepository keys, java.time.Clock clock) {
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

    /** Issues a refresh token for {@code subject}. */
    public String issueRefresh(String subject) {
        return sign(base(subject, clock.instant(), properties.refreshExpiration()).claim(REFRESH_CLAIM, true).build());
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
    public String verifyRefresh(String token) {
        JWTClaimsSet claims = verified(token);
        if (!Boolean.TRUE.equals(claims.getClaim(REFRESH_CLAIM)) || claims.getSubject() == null || claims.getSubject().isEmpty()) {
            throw invalid("not a refresh token");
        }
        return claims.getSubject();
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
            Instant now = clock.instant();
            if (!properties.issuer().equals(claims.getIssuer())) {
                throw invalid("wrong token issuer");
            }
            if (claims.getAudience() == null || !claims.getAudience().contains(properties.service())) {
                throw invalid("wrong token audience");
            }
            if (claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().plus(SKEW).isBefore(now)) {
                throw invalid("token expired");
            }
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().minus(SKEW).isAfter(now)) {
                throw invalid("token not yet valid");
            }
            return claims;
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw invalid("malformed token");
        }
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
