package io.wharf.api.iam;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.api.ApiTestApplication;
import io.wharf.api.iam.IamHttp.Creds;
import io.wharf.api.iam.IamHttp.Response;
import io.wharf.core.testing.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.wharf.api.iam.IamHttp.expect;
import static io.wharf.api.iam.IamHttp.granted;
import static io.wharf.api.iam.IamHttp.payload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker token authentication end to end: the challenge, {@code /service/token} (GET as
 * {@code docker login} and pulls use it, POST as OAuth2 clients do), what tokens are worth on
 * {@code /v2} (and forged ones are not), Basic credentials on {@code /v2}, mounts and the catalog.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAuthIT extends IamIntegrationTest {

    private static final String DEV = "ta-dev";
    private static final String OUTSIDER = "ta-outsider";
    private static final String VICTIM = "ta-victim";
    private static final String LOCKED = "ta-locked";

    /** ta-dev is Developer in tokens-a and tokens-b, no member of tokens-c; tokens-pub is public. */
    private static final String APP = "tokens-a/app";
    private static final String OTHER = "tokens-a/other";
    private static final String SOURCE = "tokens-b/src";
    private static final String SECRET = "tokens-c/secret";
    private static final String PUBLIC = "tokens-pub/app";

    @Autowired
    JdbcTemplate jdbc;

    private IamHttp http;
    private String sourceBlob;
    private String secretBlob;

    @BeforeAll
    void setUp() {
        http = http();
        for (String user : List.of(DEV, OUTSIDER, VICTIM, LOCKED)) {
            http.createUser(user);
        }
        for (String project : List.of("tokens-a", "tokens-b", "tokens-c")) {
            http.createProject(Creds.admin(), project, false);
        }
        http.createProject(Creds.admin(), "tokens-pub", true);
        http.addMember(Creds.admin(), "tokens-a", DEV, 2);
        http.addMember(Creds.admin(), "tokens-b", DEV, 2);
        http.pushImage(Creds.admin(), APP, "v1", "tokens app");
        http.pushImage(Creds.admin(), OTHER, "v1", "tokens other");
        http.pushImage(Creds.admin(), PUBLIC, "v1", "tokens public");
        http.pushImage(Creds.admin(), SECRET, "v1", "tokens secret");
        sourceBlob = http.pushBlob(Creds.admin(), SOURCE, "a blob to mount".getBytes(StandardCharsets.UTF_8));
        secretBlob = http.pushBlob(Creds.admin(), SECRET, "a secret blob".getBytes(StandardCharsets.UTF_8));
    }

    // ---- the challenge -------------------------------------------------------------------------

    @Test
    void baseWithoutCredentialsIsChallengedToTheTokenRealm() {
        Response response = http.get("/v2/", Creds.NONE);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.challenge()).isEqualTo("Bearer realm=\"" + http.base() + "/service/token\",service=\"wharf\"");
        assertThat(response.errorCode()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void repositoryRequestsWithoutCredentialsAreChallengedWithTheirScope() {
        String realm = "Bearer realm=\"" + http.base() + "/service/token\",service=\"wharf\"";
        List<Map.Entry<String, Response>> requests = List.of(
            Map.entry("repository:tokens-a/app:pull", http.getManifest(Creds.NONE, APP, "v1")),
            Map.entry("repository:tokens-a/app:pull", http.send("HEAD", "/v2/" + APP + "/manifests/v1", Creds.NONE, null)),
            Map.entry("repository:tokens-pub/app:pull", http.get("/v2/" + PUBLIC + "/tags/list", Creds.NONE)),
            Map.entry("repository:tokens-a/new/repo:pull,push", http.send("POST", "/v2/tokens-a/new/repo/blobs/uploads/", Creds.NONE, null)),
            Map.entry("repository:tokens-a/app:delete", http.send("DELETE", "/v2/" + APP + "/manifests/v1", Creds.NONE, null)),
            Map.entry("registry:catalog:*", http.get("/v2/_catalog", Creds.NONE)));
        requests.forEach(request -> {
            Response response = request.getValue();
            assertThat(response.status()).as("%s", response).isEqualTo(401);
            assertThat(response.challenge()).as("%s", response).isEqualTo(realm + ",scope=\"" + request.getKey() + "\"");
        });
        Response put = http.putManifest(Creds.NONE, APP, "v2", IamHttp.Image.of("tokens app"));
        assertThat(put.challenge()).isEqualTo(realm + ",scope=\"repository:tokens-a/app:pull,push\"");
        Response blob = http.get("/v2/" + SOURCE + "/blobs/" + sourceBlob, Creds.NONE);
        assertThat(blob.challenge()).isEqualTo(realm + ",scope=\"repository:tokens-b/src:pull\"");
    }

    @Test
    void theRealmFollowsTheRequestHost() {
        String head = http.rawGet("/v2/" + APP + "/manifests/v1", "registry.example.test:5443");
        assertThat(head).startsWith("HTTP/1.1 401");
        assertThat(head).containsIgnoringCase("WWW-Authenticate: Bearer realm=\"http://registry.example.test:5443/service/token\","
            + "service=\"wharf\",scope=\"repository:tokens-a/app:pull\"");
    }

    @Test
    void theExternalUrlOverridesTheRealm() throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(PostgresTestDatabase.arguments(PostgresTestDatabase.newSchema())));
        args.add("--wharf.data-dir=" + tempDir());
        args.add("--wharf.admin-password=" + IamHttp.ADMIN_PASSWORD);
        args.add("--wharf.external-url=https://registry.example.test/");
        args.add("--server.port=0");
        args.add("--spring.jmx.enabled=false");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ApiTestApplication.class).run(args.toArray(String[]::new))) {
            IamHttp other = new IamHttp(((WebServerApplicationContext) context).getWebServer().getPort());
            assertThat(other.get("/v2/", Creds.NONE).challenge())
                .isEqualTo("Bearer realm=\"https://registry.example.test/service/token\",service=\"wharf\"");
            assertThat(other.rawGet("/v2/library/x/tags/list", "elsewhere.example.test"))
                .contains("Bearer realm=\"https://registry.example.test/service/token\",service=\"wharf\",scope=\"repository:library/x:pull\"");
        }
    }

    // ---- /service/token ------------------------------------------------------------------------

    @Test
    void dockerLoginGetsATokenWithGoodCredentials() {
        Response response = http.get("/service/token?account=" + DEV + "&client_id=docker&offline_token=true&service=wharf",
            Creds.user(DEV));
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        JsonNode body = response.json();
        String token = body.path("token").asString();
        assertThat(token).isNotEmpty();
        assertThat(body.path("access_token").asString()).isEqualTo(token);
        assertThat(body.path("expires_in").asLong()).isEqualTo(1800);
        Instant issuedAt = Instant.parse(body.path("issued_at").asString());
        assertThat(issuedAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
        assertThat(body.path("refresh_token").asString()).as("offline_token=true").isNotEmpty();

        JsonNode header = IamHttp.jwtHeader(token);
        assertThat(header.path("alg").asString()).isEqualTo("RS256");
        assertThat(header.path("kid").asString()).isEqualTo(jdbc.queryForObject("SELECT kid FROM signing_key WHERE id = 1", String.class));
        JsonNode claims = payload(token);
        assertThat(claims.path("iss").asString()).isEqualTo("wharf-token-issuer");
        assertThat(claims.path("sub").asString()).isEqualTo(DEV);
        assertThat(claims.path("aud").toString()).contains("wharf");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(1800);
        assertThat(claims.path("jti").asString()).isNotEmpty();
        assertThat(claims.path("access").size()).isZero();

        Response withoutOffline = expect(http.tokenResponse(Creds.user(DEV)), 200);
        assertThat(withoutOffline.json().has("refresh_token")).isFalse();
    }

    @Test
    void aBadPasswordAndAnUnknownUserGetTheSame401() {
        Response badPassword = http.tokenResponse(Creds.basic(VICTIM, "Wrong-Passw0rd"), "repository:" + APP + ":pull");
        Response unknownUser = http.tokenResponse(Creds.basic("nobody-" + UUID.randomUUID(), "Wrong-Passw0rd"),
            "repository:" + APP + ":pull");
        assertThat(badPassword.status()).isEqualTo(401);
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(badPassword.text()).isEqualTo(unknownUser.text());
        assertThat(badPassword.challenge()).isEqualTo(unknownUser.challenge()).isEqualTo("Basic realm=\"wharf\"");
        assertThat(badPassword.json().has("token")).isFalse();
    }

    @Test
    void fiveFailuresLockTheNameWithTheSameAnswer() {
        Response unknown = http.tokenResponse(Creds.basic("nobody-" + UUID.randomUUID(), "Wrong-Passw0rd"));
        for (int i = 0; i < 5; i++) {
            assertThat(http.tokenResponse(Creds.basic(LOCKED, "Wrong-Passw0rd" + i)).status()).isEqualTo(401);
        }
        Response locked = http.tokenResponse(Creds.user(LOCKED));
        assertThat(locked.status()).isEqualTo(401);
        assertThat(locked.text()).isEqualTo(unknown.text());
        assertThat(http.get("/v2/", Creds.user(LOCKED)).status()).isEqualTo(401);
    }

    @Test
    void anOverlongUsernameIsAnOrdinary401() {
        Creds overlong = Creds.basic("u".repeat(300), "Wrong-Passw0rd");
        Response unknown = http.tokenResponse(Creds.basic("nobody-" + UUID.randomUUID(), "Wrong-Passw0rd"));
        Response token = http.tokenResponse(overlong);
        assertThat(token.status()).as("/service/token: %s", token).isEqualTo(401);
        assertThat(token.text()).isEqualTo(unknown.text());
        Response v2 = http.get("/v2/", overlong);
        assertThat(v2.status()).as("/v2/: %s", v2).isEqualTo(401);
        Response api = http.get("/api/v2.0/users/current", overlong);
        assertThat(api.status()).as("/api: %s", api).isEqualTo(401);
    }

    @Test
    void everyPasswordThePolicyAcceptsWorksAndIsCheckedWhole() {
        // The policy allows 8 to 128 characters; bcrypt reads only 72 bytes.
        String longPassword = "Aa1" + "x".repeat(97);
        Response created = http.json("POST", "/api/v2.0/users", Creds.admin(),
            Map.of("username", "ta-long-password", "password", longPassword));
        assertThat(created.status()).as("a 100-character password: %s", created).isIn(201, 400);
        if (created.status() == 201) {
            assertThat(http.tokenResponse(Creds.basic("ta-long-password", longPassword)).status()).isEqualTo(200);
            String sameFirst72 = longPassword.substring(0, 72) + "y".repeat(28);
            assertThat(http.tokenResponse(Creds.basic("ta-long-password", sameFirst72)).status())
                .as("a password that only shares the first 72 bytes").isEqualTo(401);
        }
        http.createUser("ta-password-change");
        Creds user = Creds.user("ta-password-change");
        long id = expect(http.get("/api/v2.0/users/current", user), 200).json().path("user_id").asLong();
        Response changed = http.json("PUT", "/api/v2.0/users/" + id + "/password", user,
            Map.of("old_password", IamHttp.USER_PASSWORD, "new_password", longPassword));
        assertThat(changed.status()).as("changing to a 100-character password: %s", changed).isIn(200, 400);
        if (changed.status() == 200) {
            assertThat(http.tokenResponse(Creds.basic("ta-password-change", longPassword)).status()).isEqualTo(200);
        }
    }

    @Test
    void aSystemRobotLosesItsAccessWhenItsProjectIsDeleted() {
        http.createProject(Creds.admin(), "tokens-gone", false);
        Response robot = http.json("POST", "/api/v2.0/robots", Creds.admin(), Map.of(
            "name", "ta-system", "level", "system", "duration", -1,
            "permissions", List.of(Map.of("kind", "project", "namespace", "tokens-gone", "access", List.of(
                Map.of("resource", "repository", "action", "pull"), Map.of("resource", "repository", "action", "push"))))));
        expect(robot, 201);
        Creds robotCreds = Creds.basic(robot.json().path("name").asString(), robot.json().path("secret").asString());
        assertThat(granted(http.token(robotCreds, "repository:tokens-gone/app:pull,push"), "tokens-gone/app"))
            .containsExactlyInAnyOrder("pull", "push");

        expect(http.send("DELETE", "/api/v2.0/projects/tokens-gone", Creds.admin(), null), 200);
        // Anyone may create a project; someone else now owns one with the old name.
        http.createProject(Creds.user(OUTSIDER), "tokens-gone", false);
        assertThat(granted(http.token(robotCreds, "repository:tokens-gone/app:pull,push"), "tokens-gone/app"))
            .as("the robot's grant for the deleted project does not carry over to a new project of the same name").isEmpty();
        Response push = http.send("POST", "/v2/tokens-gone/app/blobs/uploads/", robotCreds, null);
        assertThat(push.status()).as("Basic push by the robot: %s", push).isEqualTo(403);
    }

    @Test
    void anonymousTokensGrantOnlyPublicPulls() {
        Response response = http.tokenResponse(Creds.NONE, "repository:" + APP + ":pull,push", "repository:" + PUBLIC + ":pull,push",
            "repository:no-such-project/app:pull");
        assertThat(response.status()).isEqualTo(200);
        String token = response.json().path("token").asString();
        assertThat(response.json().has("refresh_token")).isFalse();
        assertThat(payload(token).path("sub").asString()).isEmpty();
        assertThat(granted(token, APP)).isEmpty();
        assertThat(granted(token, PUBLIC)).containsExactly("pull");
        assertThat(granted(token, "no-such-project/app")).isEmpty();
        assertInsufficientScope(http.getManifest(Creds.bearer(token), APP, "v1"));
        assertThat(http.getManifest(Creds.bearer(token), PUBLIC, "v1").status()).isEqualTo(200);
        assertInsufficientScope(http.send("POST", "/v2/" + PUBLIC + "/blobs/uploads/", Creds.bearer(token), null));
        assertThat(http.get("/v2/", Creds.bearer(token)).status()).isEqualTo(200);
    }

    @Test
    void aTokenForOneRepositoryIsUselessOnAnother() {
        String token = http.token(Creds.user(DEV), "repository:" + APP + ":pull");
        Creds bearer = Creds.bearer(token);
        assertThat(http.getManifest(bearer, APP, "v1").status()).isEqualTo(200);
        Response other = http.getManifest(bearer, OTHER, "v1");
        assertInsufficientScope(other);
        assertThat(other.challenge()).contains("scope=\"repository:tokens-a/other:pull\"");
        assertInsufficientScope(http.get("/v2/" + OTHER + "/tags/list", bearer));
        assertInsufficientScope(http.getManifest(bearer, APP + "/v1", "v1"));
        assertInsufficientScope(http.getManifest(bearer, "tokens-a/ap", "v1"));
        // ta-dev may push to tokens-a/app, but this token only says pull.
        assertInsufficientScope(http.send("POST", "/v2/" + APP + "/blobs/uploads/", bearer, null));
        assertInsufficientScope(http.send("DELETE", "/v2/" + APP + "/manifests/v1", bearer, null));
    }

    /** Tokens the test makes itself, with the server's own key unless the case says otherwise. */
    enum Forgery { CONTROL, EXPIRED, NOT_YET_VALID, TAMPERED_PAYLOAD, WRONG_AUDIENCE, WRONG_ISSUER, UNSIGNED_ALG_NONE,
        HS256_WITH_THE_PUBLIC_KEY, SIGNED_BY_ANOTHER_KEY, NO_EXPIRY, GARBAGE }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Forgery.class)
    void forgedTokensAreRejected(Forgery forgery) throws Exception {
        http.token(Creds.user(DEV));  // makes sure the signing key exists
        Map<String, Object> row = jdbc.queryForMap("SELECT kid, private_key, public_key FROM signing_key WHERE id = 1");
        RSAPrivateKey serverKey = (RSAPrivateKey) KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode((String) row.get("private_key"))));
        String kid = (String) row.get("kid");
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
            .issuer("wharf-token-issuer").subject(DEV).audience("wharf")
            .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
            .jwtID(UUID.randomUUID().toString())
            .claim("access", List.of(Map.of("type", "repository", "name", APP, "actions", List.of("pull"))));
        String token = switch (forgery) {
            case CONTROL -> rs256(claims.build(), kid, serverKey);
            case EXPIRED -> rs256(claims.issueTime(Date.from(now.minus(Duration.ofMinutes(40))))
                .notBeforeTime(Date.from(now.minus(Duration.ofMinutes(40))))
                .expirationTime(Date.from(now.minus(Duration.ofMinutes(5)))).build(), kid, serverKey);
            case NOT_YET_VALID -> rs256(claims.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(30)))).build(), kid, serverKey);
            case TAMPERED_PAYLOAD -> {
                // A real token for tokens-a/app, with the payload changed to name tokens-c/secret.
                String real = http.token(Creds.user(DEV), "repository:" + APP + ":pull");
                String[] parts = real.split("\\.");
                String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace(APP, SECRET);
                yield parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8))
                    + "." + parts[2];
            }
            case WRONG_AUDIENCE -> rs256(claims.audience("some-other-registry").build(), kid, serverKey);
            case WRONG_ISSUER -> rs256(claims.issuer("someone-else").build(), kid, serverKey);
            case UNSIGNED_ALG_NONE -> new PlainJWT(claims.build()).serialize();
            case HS256_WITH_THE_PUBLIC_KEY -> {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(JOSEObjectType.JWT).build(),
                    claims.build());
                jwt.sign(new MACSigner(Base64.getDecoder().decode((String) row.get("public_key"))));
                yield jwt.serialize();
            }
            case SIGNED_BY_ANOTHER_KEY -> {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                yield rs256(claims.build(), kid, (RSAPrivateKey) generator.generateKeyPair().getPrivate());
            }
            case NO_EXPIRY -> rs256(claims.expirationTime(null).build(), kid, serverKey);
            case GARBAGE -> "not-a-jwt";
        };
        Response response = http.getManifest(Creds.bearer(token), forgery == Forgery.TAMPERED_PAYLOAD ? SECRET : APP, "v1");
        if (forgery == Forgery.CONTROL) {
            assertThat(response.status()).as("a correctly made token is accepted: %s", response).isEqualTo(200);
        } else {
            assertThat(response.status()).as("%s", response).isEqualTo(401);
            assertThat(response.challenge()).contains("error=\"invalid_token\"");
            assertThat(http.get("/v2/", Creds.bearer(token)).status()).as("/v2/ with the token").isEqualTo(401);
        }
    }

    private static String rs256(JWTClaimsSet claims, String kid, RSAPrivateKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aRefreshTokenIsNotARegistryToken() {
        Response response = http.get("/service/token?service=wharf&offline_token=true&scope="
            + IamHttp.encode("repository:" + APP + ":pull"), Creds.user(DEV));
        String refresh = expect(response, 200).json().path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();
        Response manifest = http.getManifest(Creds.bearer(refresh), APP, "v1");
        assertThat(manifest.status()).isEqualTo(401);
        assertThat(manifest.challenge()).contains("error=\"invalid_token\"");
        assertThat(http.get("/v2/", Creds.bearer(refresh)).status()).isEqualTo(401);
        assertThat(http.getManifest(Creds.bearer(response.json().path("token").asString()), APP, "v1").status()).isEqualTo(200);
    }

    @Test
    void oauth2PasswordAndRefreshTokenGrants() {
        Map<String, String> password = new LinkedHashMap<>();
        password.put("grant_type", "password");
        password.put("username", DEV);
        password.put("password", IamHttp.USER_PASSWORD);
        password.put("service", "wharf");
        password.put("client_id", "containerd");
        password.put("scope", "repository:" + APP + ":pull");
        password.put("access_type", "offline");
        Response first = http.form("/service/token", Creds.NONE, password);
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        String access = first.json().path("access_token").asString();
        String refresh = first.json().path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();
        assertThat(granted(access, APP)).containsExactly("pull");
        assertThat(http.getManifest(Creds.bearer(access), APP, "v1").status()).isEqualTo(200);

        password.remove("access_type");
        Response online = expect(http.form("/service/token", Creds.NONE, password), 200);
        assertThat(online.json().has("refresh_token")).as("no refresh token without access_type=offline").isFalse();

        Map<String, String> refreshGrant = new LinkedHashMap<>();
        refreshGrant.put("grant_type", "refresh_token");
        refreshGrant.put("refresh_token", refresh);
        refreshGrant.put("service", "wharf");
        refreshGrant.put("client_id", "containerd");
        refreshGrant.put("scope", "repository:" + APP + ":pull,push repository:" + SECRET + ":pull");
        Response refreshed = http.form("/service/token", Creds.NONE, refreshGrant);
        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        String second = refreshed.json().path("access_token").asString();
        assertThat(payload(second).path("sub").asString()).isEqualTo(DEV);
        assertThat(granted(second, APP)).containsExactlyInAnyOrder("pull", "push");
        assertThat(granted(second, SECRET)).isEmpty();
        assertThat(http.send("POST", "/v2/" + APP + "/blobs/uploads/", Creds.bearer(second), null).status()).isEqualTo(202);

        refreshGrant.put("refresh_token", access);
        assertThat(http.form("/service/token", Creds.NONE, refreshGrant).status()).as("an access token is no refresh token").isEqualTo(401);
        refreshGrant.put("refresh_token", "garbage");
        assertThat(http.form("/service/token", Creds.NONE, refreshGrant).status()).isEqualTo(401);

        Map<String, String> wrong = new LinkedHashMap<>(password);
        wrong.put("username", VICTIM);
        wrong.put("password", "Wrong-Passw0rd");
        assertThat(http.form("/service/token", Creds.NONE, wrong).status()).isEqualTo(401);
        assertThat(http.form("/service/token", Creds.NONE, Map.of("grant_type", "client_credentials")).status()).isEqualTo(400);
    }

    // ---- Basic credentials on /v2 --------------------------------------------------------------

    @Test
    void basicCredentialsWorkOnV2AndAreDeniedWith403() {
        Creds dev = Creds.user(DEV);
        assertThat(http.get("/v2/", dev).status()).isEqualTo(200);
        assertThat(http.getManifest(dev, APP, "v1").status()).isEqualTo(200);
        http.pushImage(dev, "tokens-a/basic", "v1", "pushed with basic");
        assertThat(http.getManifest(dev, "tokens-a/basic", "v1").status()).isEqualTo(200);

        Response delete = http.send("DELETE", "/v2/" + APP + "/manifests/v1", dev, null);
        assertThat(delete.status()).as("a developer may not delete: %s", delete).isEqualTo(403);
        assertThat(delete.errorCode()).isEqualTo("DENIED");
        Response secret = http.getManifest(dev, SECRET, "v1");
        assertThat(secret.status()).isEqualTo(403);
        assertThat(secret.errorCode()).isEqualTo("DENIED");

        Creds outsider = Creds.user(OUTSIDER);
        assertThat(http.getManifest(outsider, APP, "v1").status()).isEqualTo(403);
        assertThat(http.getManifest(outsider, PUBLIC, "v1").status()).isEqualTo(200);
        Response push = http.send("POST", "/v2/" + PUBLIC + "/blobs/uploads/", outsider, null);
        assertThat(push.status()).isEqualTo(403);
        assertThat(push.errorCode()).isEqualTo("DENIED");
        Response noProject = http.send("POST", "/v2/no-such-project/app/blobs/uploads/", Creds.admin(), null);
        assertThat(noProject.status()).as("a push never creates a project, even for admin").isEqualTo(403);

        Response bad = http.getManifest(Creds.basic(VICTIM, "Wrong-Passw0rd"), PUBLIC, "v1");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.challenge()).startsWith("Bearer realm=");
    }

    // ---- mounts --------------------------------------------------------------------------------

    @Test
    void aMountNeedsPullOnTheSource() {
        String mount = "/blobs/uploads/?mount=" + sourceBlob + "&from=" + SOURCE;
        String bothScopes = http.token(Creds.user(DEV), "repository:tokens-a/mnt1:pull,push", "repository:" + SOURCE + ":pull");
        Response mounted = http.send("POST", "/v2/tokens-a/mnt1" + mount, Creds.bearer(bothScopes), null);
        assertThat(mounted.status()).as("%s", mounted).isEqualTo(201);
        assertThat(mounted.header("Location")).endsWith("/v2/tokens-a/mnt1/blobs/" + sourceBlob);
        assertThat(mounted.header("Docker-Content-Digest")).isEqualTo(sourceBlob);
        assertThat(http.send("HEAD", "/v2/tokens-a/mnt1/blobs/" + sourceBlob, Creds.bearer(bothScopes), null).status()).isEqualTo(200);

        String targetOnly = http.token(Creds.user(DEV), "repository:tokens-a/mnt2:pull,push");
        Response upload = http.send("POST", "/v2/tokens-a/mnt2" + mount, Creds.bearer(targetOnly), null);
        assertThat(upload.status()).as("no pull on the source in the token: %s", upload).isEqualTo(202);
        assertThat(upload.header("Location")).contains("/v2/tokens-a/mnt2/blobs/uploads/");
        assertThat(http.send("HEAD", "/v2/tokens-a/mnt2/blobs/" + sourceBlob, Creds.bearer(targetOnly), null).status()).isEqualTo(404);

        // Without from, the client cannot have asked for the source's scope: the caller's identity must be able to pull it.
        String mnt3 = http.token(Creds.user(DEV), "repository:tokens-a/mnt3:pull,push");
        Response noFrom = http.send("POST", "/v2/tokens-a/mnt3/blobs/uploads/?mount=" + sourceBlob, Creds.bearer(mnt3), null);
        assertThat(noFrom.status()).as("a mount without from, of a blob ta-dev may pull: %s", noFrom).isEqualTo(201);
        Response noFromSecret = http.send("POST", "/v2/tokens-a/mnt3/blobs/uploads/?mount=" + secretBlob, Creds.bearer(mnt3), null);
        assertThat(noFromSecret.status()).as("a mount without from, of a blob only in tokens-c: %s", noFromSecret).isEqualTo(202);
        assertThat(http.send("HEAD", "/v2/tokens-a/mnt3/blobs/" + secretBlob, Creds.bearer(mnt3), null).status()).isEqualTo(404);

        String notMine = http.token(Creds.user(DEV), "repository:tokens-a/mnt4:pull,push", "repository:" + SECRET + ":pull");
        assertThat(granted(notMine, SECRET)).isEmpty();
        Response denied = http.send("POST", "/v2/tokens-a/mnt4/blobs/uploads/?mount=" + secretBlob + "&from=" + SECRET,
            Creds.bearer(notMine), null);
        assertThat(denied.status()).as("no pull on the source at all: %s", denied).isEqualTo(202);

        Creds dev = Creds.user(DEV);
        assertThat(http.send("POST", "/v2/tokens-a/mnt5" + mount, dev, null).status()).as("Basic, may pull the source").isEqualTo(201);
        assertThat(http.send("POST", "/v2/tokens-a/mnt6/blobs/uploads/?mount=" + secretBlob + "&from=" + SECRET, dev, null).status())
            .as("Basic, may not pull the source").isEqualTo(202);
        assertThat(http.send("HEAD", "/v2/tokens-a/mnt6/blobs/" + secretBlob, dev, null).status()).isEqualTo(404);
    }

    // ---- the catalog ---------------------------------------------------------------------------

    @Test
    void theCatalogListsOnlyWhatTheCallerMaySee() {
        List<String> all = http.catalog(Creds.admin());
        assertThat(all).contains(APP, OTHER, SOURCE, SECRET, PUBLIC);
        Set<String> publicProjects = new HashSet<>();
        expect(http.get("/api/v2.0/projects?public=true&page_size=100", Creds.admin()), 200).json()
            .forEach(p -> publicProjects.add(p.path("name").asString()));
        assertThat(publicProjects).contains("tokens-pub", "library").doesNotContain("tokens-a", "tokens-c");

        List<String> anonymousView = all.stream().filter(r -> publicProjects.contains(project(r))).toList();
        Set<String> devProjects = new HashSet<>(publicProjects);
        devProjects.addAll(List.of("tokens-a", "tokens-b"));
        List<String> devView = all.stream().filter(r -> devProjects.contains(project(r))).toList();

        assertThat(http.catalog(Creds.bearer(http.token(Creds.NONE, "registry:catalog:*")))).isEqualTo(anonymousView)
            .contains(PUBLIC).doesNotContain(APP, SECRET);
        assertThat(http.catalog(Creds.bearer(http.token(Creds.user(OUTSIDER), "registry:catalog:*")))).isEqualTo(anonymousView);
        assertThat(http.catalog(Creds.user(OUTSIDER))).isEqualTo(anonymousView);
        assertThat(http.catalog(Creds.bearer(http.token(Creds.user(DEV), "registry:catalog:*")))).isEqualTo(devView)
            .contains(APP, SOURCE, PUBLIC).doesNotContain(SECRET);
        assertThat(http.catalog(Creds.user(DEV))).isEqualTo(devView);
        assertThat(http.catalog(Creds.bearer(http.token(Creds.admin(), "registry:catalog:*")))).isEqualTo(all);
    }

    private static String project(String repository) {
        return repository.substring(0, repository.indexOf('/'));
    }

    private static void assertInsufficientScope(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(401);
        assertThat(response.challenge()).as("%s", response).contains("error=\"insufficient_scope\"");
    }
}
