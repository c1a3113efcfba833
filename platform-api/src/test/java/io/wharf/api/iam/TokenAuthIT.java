package io.wharf.api.iam;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.TestAccounts;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.api.ApiTestApplication;
import io.wharf.testkit.PostgresTestDatabase;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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

    /** The address {@code wharf.scanner.registry-url} names in the realm tests (a scanner's view of Wharf). */
    private static final String SCANNER_HOST = "wharf-core.internal:8080";

    @Autowired
    JdbcTemplate jdbc;

    private RegistryClient http;
    private String sourceBlob;
    private String secretBlob;

    @BeforeAll
    void setUp() {
        http = http();
        for (String user : List.of(DEV, OUTSIDER, VICTIM, LOCKED)) {
            http.asAdmin().createUser(user, TestAccounts.USER_PASSWORD);
        }
        for (String project : List.of("tokens-a", "tokens-b", "tokens-c")) {
            http.asAdmin().createProject(project, false);
        }
        http.asAdmin().createProject("tokens-pub", true);
        http.asAdmin().addMember("tokens-a", DEV, 2);
        http.asAdmin().addMember("tokens-b", DEV, 2);
        http.asAdmin().push(APP, "v1", TestImage.simple("tokens app"));
        http.asAdmin().push(OTHER, "v1", TestImage.simple("tokens other"));
        http.asAdmin().push(PUBLIC, "v1", TestImage.simple("tokens public"));
        http.asAdmin().push(SECRET, "v1", TestImage.simple("tokens secret"));
        sourceBlob = http.asAdmin().pushBlob(SOURCE, "a blob to mount".getBytes(StandardCharsets.UTF_8));
        secretBlob = http.asAdmin().pushBlob(SECRET, "a secret blob".getBytes(StandardCharsets.UTF_8));
    }

    // ---- the challenge -------------------------------------------------------------------------

    @Test
    void baseWithoutCredentialsIsChallengedToTheTokenRealm() {
        Response response = http.anonymous().get("/v2/");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.challenge()).isEqualTo("Bearer realm=\"" + http.base() + "/service/token\",service=\"wharf\"");
        assertThat(response.errorCode()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void repositoryRequestsWithoutCredentialsAreChallengedWithTheirScope() {
        String realm = "Bearer realm=\"" + http.base() + "/service/token\",service=\"wharf\"";
        List<Map.Entry<String, Response>> requests = List.of(
            Map.entry("repository:tokens-a/app:pull", http.anonymous().getManifest(APP, "v1", TestImage.OCI_MANIFEST)),
            Map.entry("repository:tokens-a/app:pull", http.anonymous().send("HEAD", "/v2/" + APP + "/manifests/v1", null)),
            Map.entry("repository:tokens-pub/app:pull", http.anonymous().get("/v2/" + PUBLIC + "/tags/list")),
            Map.entry("repository:tokens-a/new/repo:pull,push", http.anonymous().send("POST", "/v2/tokens-a/new/repo/blobs/uploads/", null)),
            Map.entry("repository:tokens-a/app:delete", http.anonymous().send("DELETE", "/v2/" + APP + "/manifests/v1", null)),
            Map.entry("registry:catalog:*", http.anonymous().get("/v2/_catalog")));
        requests.forEach(request -> {
            Response response = request.getValue();
            assertThat(response.status()).as("%s", response).isEqualTo(401);
            assertThat(response.challenge()).as("%s", response).isEqualTo(realm + ",scope=\"" + request.getKey() + "\"");
        });
        Response put = http.anonymous().putManifest(APP, "v2", TestImage.OCI_MANIFEST, TestImage.simple("tokens app").manifest());
        assertThat(put.challenge()).isEqualTo(realm + ",scope=\"repository:tokens-a/app:pull,push\"");
        Response blob = http.anonymous().get("/v2/" + SOURCE + "/blobs/" + sourceBlob);
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
        try (ConfigurableApplicationContext context = startWith("--wharf.external-url=https://registry.example.test/")) {
            RegistryClient other = RegistryClient.forPort(((WebServerApplicationContext) context).getWebServer().getPort());
            assertThat(other.anonymous().get("/v2/").challenge())
                .isEqualTo("Bearer realm=\"https://registry.example.test/service/token\",service=\"wharf\"");
            assertThat(other.rawGet("/v2/library/x/tags/list", "elsewhere.example.test"))
                .contains("Bearer realm=\"https://registry.example.test/service/token\",service=\"wharf\",scope=\"repository:library/x:pull\"");
            assertThat(other.rawGet("/v2/", SCANNER_HOST)).as("without wharf.scanner.registry-url")
                .contains("Bearer realm=\"https://registry.example.test/service/token\"");
        }
    }

    @Test
    void requestsArrivingOnTheScannerRegistryUrlAreSentToItsRealm() throws Exception {
        try (ConfigurableApplicationContext context = startWith("--wharf.external-url=https://registry.example.test/",
                 "--wharf.scanner.registry-url=http://" + SCANNER_HOST + "/")) {
            RegistryClient other = RegistryClient.forPort(((WebServerApplicationContext) context).getWebServer().getPort());
            assertThat(other.rawGet("/v2/", SCANNER_HOST)).as("an adapter's ping, as go-containerregistry sends it")
                .containsIgnoringCase("WWW-Authenticate: Bearer realm=\"http://" + SCANNER_HOST + "/service/token\",service=\"wharf\"");
            assertThat(other.rawGet("/v2/library/x/tags/list", SCANNER_HOST.toUpperCase(Locale.ROOT)))
                .contains("Bearer realm=\"http://" + SCANNER_HOST + "/service/token\",service=\"wharf\",scope=\"repository:library/x:pull\"");
            assertThat(other.anonymous().get("/v2/").challenge()).as("a client on another address")
                .isEqualTo("Bearer realm=\"https://registry.example.test/service/token\",service=\"wharf\"");
            assertThat(other.rawGet("/v2/", "wharf-core.internal")).as("the same host on another port")
                .contains("Bearer realm=\"https://registry.example.test/service/token\"");
        }
    }

    /** A second node on its own schema, with {@code extra} arguments. */
    private static ConfigurableApplicationContext startWith(String... extra) {
        List<String> args = new ArrayList<>(Arrays.asList(PostgresTestDatabase.arguments(PostgresTestDatabase.newSchema())));
        args.add("--wharf.data-dir=" + tempDir());
        args.add("--wharf.admin-password=" + TestAccounts.ADMIN_PASSWORD);
        args.addAll(Arrays.asList(extra));
        args.add("--server.port=0");
        args.add("--spring.jmx.enabled=false");
        return new SpringApplicationBuilder(ApiTestApplication.class).run(args.toArray(String[]::new));
    }

    // ---- /service/token ------------------------------------------------------------------------

    @Test
    void dockerLoginGetsATokenWithGoodCredentials() {
        Response response = http.as(Credentials.user(DEV)).get("/service/token?account=" + DEV + "&client_id=docker&offline_token=true&service=wharf");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        JsonNode body = response.json();
        String token = body.path("token").asString();
        assertThat(token).isNotEmpty();
        assertThat(body.path("access_token").asString()).isEqualTo(token);
        assertThat(body.path("expires_in").asLong()).isEqualTo(1800);
        Instant issuedAt = Instant.parse(body.path("issued_at").asString());
        assertThat(issuedAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
        assertThat(body.path("refresh_token").asString()).as("offline_token=true").isNotEmpty();

        JsonNode header = RegistryClient.jwtHeader(token);
        assertThat(header.path("alg").asString()).isEqualTo("RS256");
        assertThat(header.path("kid").asString()).isEqualTo(jdbc.queryForObject("SELECT kid FROM signing_key WHERE id = 1", String.class));
        JsonNode claims = RegistryClient.jwtPayload(token);
        assertThat(claims.path("iss").asString()).isEqualTo("wharf-token-issuer");
        assertThat(claims.path("sub").asString()).isEqualTo(DEV);
        assertThat(claims.path("aud").toString()).contains("wharf");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(1800);
        assertThat(claims.path("jti").asString()).isNotEmpty();
        assertThat(claims.path("access").size()).isZero();

        Response withoutOffline = http.as(Credentials.user(DEV)).token().expect(200);
        assertThat(withoutOffline.json().has("refresh_token")).isFalse();
    }

    @Test
    void aBadPasswordAndAnUnknownUserGetTheSame401() {
        Response badPassword = http.as(Credentials.basic(VICTIM, "Wrong-Passw0rd")).token("repository:" + APP + ":pull");
        Response unknownUser = http.as(Credentials.basic("nobody-" + UUID.randomUUID(), "Wrong-Passw0rd")).token("repository:" + APP + ":pull");
        assertThat(badPassword.status()).isEqualTo(401);
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(badPassword.text()).isEqualTo(unknownUser.text());
        assertThat(badPassword.challenge()).isEqualTo(unknownUser.challenge()).isEqualTo("Basic realm=\"wharf\"");
        assertThat(badPassword.json().has("token")).isFalse();
    }

    @Test
    void fiveFailuresLockTheNameWithTheSameAnswer() {
        Response unknown = http.as(Credentials.basic("nobody-" + UUID.randomUUID(), "Wrong-Passw0rd")).token();
        for (int i = 0; i < 5; i++) {
            assertThat(http.as(Credentials.basic(LOCKED, "Wrong-Passw0rd" + i)).token().status()).isEqualTo(401);
        }
        Response locked = http.as(Credentials.user(LOCKED)).token();
        assertThat(locked.status()).isEqualTo(401);
        assertThat(locked.text()).isEqualTo(unknown.text());
        assertThat(http.as(Credentials.user(LOCKED)).get("/v2/").status()).isEqualTo(401);
    }

    @Test
    void anOverlongUsernameIsAnOrdinary401() {
        Credentials overlong = Credentials.basic("u".repeat(300), "Wrong-Passw0rd");
        Response unknown = http.as(Credentials.basic("nobody-" + UUID.randomUUID(), "Wrong-Passw0rd")).token();
        Response token = http.as(overlong).token();
        assertThat(token.status()).as("/service/token: %s", token).isEqualTo(401);
        assertThat(token.text()).isEqualTo(unknown.text());
        Response v2 = http.as(overlong).get("/v2/");
        assertThat(v2.status()).as("/v2/: %s", v2).isEqualTo(401);
        Response api = http.as(overlong).get("/api/v2.0/users/current");
        assertThat(api.status()).as("/api: %s", api).isEqualTo(401);
    }

    @Test
    void everyPasswordThePolicyAcceptsWorksAndIsCheckedWhole() {
        // The policy allows 8 to 128 characters; bcrypt reads only 72 bytes.
        String longPassword = "Aa1" + "x".repeat(97);
        Response created = http.asAdmin().json("POST", "/api/v2.0/users", Map.of("username", "ta-long-password", "password", longPassword));
        assertThat(created.status()).as("a 100-character password: %s", created).isIn(201, 400);
        if (created.status() == 201) {
            assertThat(http.as(Credentials.basic("ta-long-password", longPassword)).token().status()).isEqualTo(200);
            String sameFirst72 = longPassword.substring(0, 72) + "y".repeat(28);
            assertThat(http.as(Credentials.basic("ta-long-password", sameFirst72)).token().status())
                .as("a password that only shares the first 72 bytes").isEqualTo(401);
        }
        http.asAdmin().createUser("ta-password-change", TestAccounts.USER_PASSWORD);
        Credentials user = Credentials.user("ta-password-change");
        long id = http.as(user).get("/api/v2.0/users/current").expect(200).json().path("user_id").asLong();
        Response changed = http.as(user).json("PUT", "/api/v2.0/users/" + id + "/password", Map.of("old_password", TestAccounts.USER_PASSWORD, "new_password", longPassword));
        assertThat(changed.status()).as("changing to a 100-character password: %s", changed).isIn(200, 400);
        if (changed.status() == 200) {
            assertThat(http.as(Credentials.basic("ta-password-change", longPassword)).token().status()).isEqualTo(200);
        }
    }

    @Test
    void aSystemRobotLosesItsAccessWhenItsProjectIsDeleted() {
        http.asAdmin().createProject("tokens-gone", false);
        Response robot = http.asAdmin().json("POST", "/api/v2.0/robots", Map.of(
            "name", "ta-system", "level", "system", "duration", -1,
            "permissions", List.of(Map.of("kind", "project", "namespace", "tokens-gone", "access", List.of(
                Map.of("resource", "repository", "action", "pull"), Map.of("resource", "repository", "action", "push"))))));
        robot.expect(201);
        Credentials robotCreds = Credentials.basic(robot.json().path("name").asString(), robot.json().path("secret").asString());
        assertThat(RegistryClient.granted(http.as(robotCreds).tokenFor("repository:tokens-gone/app:pull,push"), "repository", "tokens-gone/app"))
            .containsExactlyInAnyOrder("pull", "push");

        http.asAdmin().send("DELETE", "/api/v2.0/projects/tokens-gone", null).expect(200);
        // Anyone may create a project; someone else now owns one with the old name.
        http.as(Credentials.user(OUTSIDER)).createProject("tokens-gone", false);
        assertThat(RegistryClient.granted(http.as(robotCreds).tokenFor("repository:tokens-gone/app:pull,push"), "repository", "tokens-gone/app"))
            .as("the robot's grant for the deleted project does not carry over to a new project of the same name").isEmpty();
        Response push = http.as(robotCreds).send("POST", "/v2/tokens-gone/app/blobs/uploads/", null);
        assertThat(push.status()).as("Basic push by the robot: %s", push).isEqualTo(403);
    }

    @Test
    void anonymousTokensGrantOnlyPublicPulls() {
        Response response = http.anonymous().token("repository:" + APP + ":pull,push", "repository:" + PUBLIC + ":pull,push", "repository:no-such-project/app:pull");
        assertThat(response.status()).isEqualTo(200);
        String token = response.json().path("token").asString();
        assertThat(response.json().has("refresh_token")).isFalse();
        assertThat(RegistryClient.jwtPayload(token).path("sub").asString()).isEmpty();
        assertThat(RegistryClient.granted(token, "repository", APP)).isEmpty();
        assertThat(RegistryClient.granted(token, "repository", PUBLIC)).containsExactly("pull");
        assertThat(RegistryClient.granted(token, "repository", "no-such-project/app")).isEmpty();
        assertInsufficientScope(http.as(Credentials.bearer(token)).getManifest(APP, "v1", TestImage.OCI_MANIFEST));
        assertThat(http.as(Credentials.bearer(token)).getManifest(PUBLIC, "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertInsufficientScope(http.as(Credentials.bearer(token)).send("POST", "/v2/" + PUBLIC + "/blobs/uploads/", null));
        assertThat(http.as(Credentials.bearer(token)).get("/v2/").status()).isEqualTo(200);
    }

    @Test
    void aTokenForOneRepositoryIsUselessOnAnother() {
        String token = http.as(Credentials.user(DEV)).tokenFor("repository:" + APP + ":pull");
        Credentials bearer = Credentials.bearer(token);
        assertThat(http.as(bearer).getManifest(APP, "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        Response other = http.as(bearer).getManifest(OTHER, "v1", TestImage.OCI_MANIFEST);
        assertInsufficientScope(other);
        assertThat(other.challenge()).contains("scope=\"repository:tokens-a/other:pull\"");
        assertInsufficientScope(http.as(bearer).get("/v2/" + OTHER + "/tags/list"));
        assertInsufficientScope(http.as(bearer).getManifest(APP + "/v1", "v1", TestImage.OCI_MANIFEST));
        assertInsufficientScope(http.as(bearer).getManifest("tokens-a/ap", "v1", TestImage.OCI_MANIFEST));
        // ta-dev may push to tokens-a/app, but this token only says pull.
        assertInsufficientScope(http.as(bearer).send("POST", "/v2/" + APP + "/blobs/uploads/", null));
        assertInsufficientScope(http.as(bearer).send("DELETE", "/v2/" + APP + "/manifests/v1", null));
    }

    /** Tokens the test makes itself, with the server's own key unless the case says otherwise. */
    enum Forgery { CONTROL, EXPIRED, NOT_YET_VALID, TAMPERED_PAYLOAD, WRONG_AUDIENCE, WRONG_ISSUER, UNSIGNED_ALG_NONE,
        HS256_WITH_THE_PUBLIC_KEY, SIGNED_BY_ANOTHER_KEY, NO_EXPIRY, GARBAGE }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Forgery.class)
    void forgedTokensAreRejected(Forgery forgery) throws Exception {
        http.as(Credentials.user(DEV)).tokenFor();  // makes sure the signing key exists
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
                String real = http.as(Credentials.user(DEV)).tokenFor("repository:" + APP + ":pull");
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
        Response response = http.as(Credentials.bearer(token)).getManifest(forgery == Forgery.TAMPERED_PAYLOAD ? SECRET : APP, "v1", TestImage.OCI_MANIFEST);
        if (forgery == Forgery.CONTROL) {
            assertThat(response.status()).as("a correctly made token is accepted: %s", response).isEqualTo(200);
        } else {
            assertThat(response.status()).as("%s", response).isEqualTo(401);
            assertThat(response.challenge()).contains("error=\"invalid_token\"");
            assertThat(http.as(Credentials.bearer(token)).get("/v2/").status()).as("/v2/ with the token").isEqualTo(401);
        }
    }

    private static String rs256(JWTClaimsSet claims, String kid, RSAPrivateKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aRefreshTokenIsNotARegistryToken() {
        Response response = http.as(Credentials.user(DEV)).get("/service/token?service=wharf&offline_token=true&scope="
            + RegistryClient.encode("repository:" + APP + ":pull"));
        String refresh = response.expect(200).json().path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();
        Response manifest = http.as(Credentials.bearer(refresh)).getManifest(APP, "v1", TestImage.OCI_MANIFEST);
        assertThat(manifest.status()).isEqualTo(401);
        assertThat(manifest.challenge()).contains("error=\"invalid_token\"");
        assertThat(http.as(Credentials.bearer(refresh)).get("/v2/").status()).isEqualTo(401);
        assertThat(http.as(Credentials.bearer(response.json().path("token").asString())).getManifest(APP, "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
    }

    @Test
    void oauth2PasswordAndRefreshTokenGrants() {
        Map<String, String> password = new LinkedHashMap<>();
        password.put("grant_type", "password");
        password.put("username", DEV);
        password.put("password", TestAccounts.USER_PASSWORD);
        password.put("service", "wharf");
        password.put("client_id", "containerd");
        password.put("scope", "repository:" + APP + ":pull");
        password.put("access_type", "offline");
        Response first = http.anonymous().form("/service/token", password);
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        String access = first.json().path("access_token").asString();
        String refresh = first.json().path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();
        assertThat(RegistryClient.granted(access, "repository", APP)).containsExactly("pull");
        assertThat(http.as(Credentials.bearer(access)).getManifest(APP, "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);

        password.remove("access_type");
        Response online = http.anonymous().form("/service/token", password).expect(200);
        assertThat(online.json().has("refresh_token")).as("no refresh token without access_type=offline").isFalse();

        Map<String, String> refreshGrant = new LinkedHashMap<>();
        refreshGrant.put("grant_type", "refresh_token");
        refreshGrant.put("refresh_token", refresh);
        refreshGrant.put("service", "wharf");
        refreshGrant.put("client_id", "containerd");
        refreshGrant.put("scope", "repository:" + APP + ":pull,push repository:" + SECRET + ":pull");
        Response refreshed = http.anonymous().form("/service/token", refreshGrant);
        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        String second = refreshed.json().path("access_token").asString();
        assertThat(RegistryClient.jwtPayload(second).path("sub").asString()).isEqualTo(DEV);
        assertThat(RegistryClient.granted(second, "repository", APP)).containsExactlyInAnyOrder("pull", "push");
        assertThat(RegistryClient.granted(second, "repository", SECRET)).isEmpty();
        assertThat(http.as(Credentials.bearer(second)).send("POST", "/v2/" + APP + "/blobs/uploads/", null).status()).isEqualTo(202);

        refreshGrant.put("refresh_token", access);
        assertThat(http.anonymous().form("/service/token", refreshGrant).status()).as("an access token is no refresh token").isEqualTo(401);
        refreshGrant.put("refresh_token", "garbage");
        assertThat(http.anonymous().form("/service/token", refreshGrant).status()).isEqualTo(401);

        Map<String, String> wrong = new LinkedHashMap<>(password);
        wrong.put("username", VICTIM);
        wrong.put("password", "Wrong-Passw0rd");
        assertThat(http.anonymous().form("/service/token", wrong).status()).isEqualTo(401);
        assertThat(http.anonymous().form("/service/token", Map.of("grant_type", "client_credentials")).status()).isEqualTo(400);
    }

    // ---- Basic credentials on /v2 --------------------------------------------------------------

    @Test
    void basicCredentialsWorkOnV2AndAreDeniedWith403() {
        Credentials dev = Credentials.user(DEV);
        assertThat(http.as(dev).get("/v2/").status()).isEqualTo(200);
        assertThat(http.as(dev).getManifest(APP, "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        http.as(dev).push("tokens-a/basic", "v1", TestImage.simple("pushed with basic"));
        assertThat(http.as(dev).getManifest("tokens-a/basic", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);

        Response delete = http.as(dev).send("DELETE", "/v2/" + APP + "/manifests/v1", null);
        assertThat(delete.status()).as("a developer may not delete: %s", delete).isEqualTo(403);
        assertThat(delete.errorCode()).isEqualTo("DENIED");
        Response secret = http.as(dev).getManifest(SECRET, "v1", TestImage.OCI_MANIFEST);
        assertThat(secret.status()).isEqualTo(403);
        assertThat(secret.errorCode()).isEqualTo("DENIED");

        Credentials outsider = Credentials.user(OUTSIDER);
        assertThat(http.as(outsider).getManifest(APP, "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(403);
        assertThat(http.as(outsider).getManifest(PUBLIC, "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        Response push = http.as(outsider).send("POST", "/v2/" + PUBLIC + "/blobs/uploads/", null);
        assertThat(push.status()).isEqualTo(403);
        assertThat(push.errorCode()).isEqualTo("DENIED");
        Response noProject = http.asAdmin().send("POST", "/v2/no-such-project/app/blobs/uploads/", null);
        assertThat(noProject.status()).as("a push never creates a project, even for admin").isEqualTo(403);

        Response bad = http.as(Credentials.basic(VICTIM, "Wrong-Passw0rd")).getManifest(PUBLIC, "v1", TestImage.OCI_MANIFEST);
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.challenge()).startsWith("Bearer realm=");
    }

    // ---- mounts --------------------------------------------------------------------------------

    @Test
    void aMountNeedsPullOnTheSource() {
        String mount = "/blobs/uploads/?mount=" + sourceBlob + "&from=" + SOURCE;
        String bothScopes = http.as(Credentials.user(DEV)).tokenFor("repository:tokens-a/mnt1:pull,push", "repository:" + SOURCE + ":pull");
        Response mounted = http.as(Credentials.bearer(bothScopes)).send("POST", "/v2/tokens-a/mnt1" + mount, null);
        assertThat(mounted.status()).as("%s", mounted).isEqualTo(201);
        assertThat(mounted.headerValue("Location")).endsWith("/v2/tokens-a/mnt1/blobs/" + sourceBlob);
        assertThat(mounted.headerValue("Docker-Content-Digest")).isEqualTo(sourceBlob);
        assertThat(http.as(Credentials.bearer(bothScopes)).send("HEAD", "/v2/tokens-a/mnt1/blobs/" + sourceBlob, null).status()).isEqualTo(200);

        String targetOnly = http.as(Credentials.user(DEV)).tokenFor("repository:tokens-a/mnt2:pull,push");
        Response upload = http.as(Credentials.bearer(targetOnly)).send("POST", "/v2/tokens-a/mnt2" + mount, null);
        assertThat(upload.status()).as("no pull on the source in the token: %s", upload).isEqualTo(202);
        assertThat(upload.headerValue("Location")).contains("/v2/tokens-a/mnt2/blobs/uploads/");
        assertThat(http.as(Credentials.bearer(targetOnly)).send("HEAD", "/v2/tokens-a/mnt2/blobs/" + sourceBlob, null).status()).isEqualTo(404);

        // Without from, the client cannot have asked for the source's scope: the caller's identity must be able to pull it.
        String mnt3 = http.as(Credentials.user(DEV)).tokenFor("repository:tokens-a/mnt3:pull,push");
        Response noFrom = http.as(Credentials.bearer(mnt3)).send("POST", "/v2/tokens-a/mnt3/blobs/uploads/?mount=" + sourceBlob, null);
        assertThat(noFrom.status()).as("a mount without from, of a blob ta-dev may pull: %s", noFrom).isEqualTo(201);
        Response noFromSecret = http.as(Credentials.bearer(mnt3)).send("POST", "/v2/tokens-a/mnt3/blobs/uploads/?mount=" + secretBlob, null);
        assertThat(noFromSecret.status()).as("a mount without from, of a blob only in tokens-c: %s", noFromSecret).isEqualTo(202);
        assertThat(http.as(Credentials.bearer(mnt3)).send("HEAD", "/v2/tokens-a/mnt3/blobs/" + secretBlob, null).status()).isEqualTo(404);

        String notMine = http.as(Credentials.user(DEV)).tokenFor("repository:tokens-a/mnt4:pull,push", "repository:" + SECRET + ":pull");
        assertThat(RegistryClient.granted(notMine, "repository", SECRET)).isEmpty();
        Response denied = http.as(Credentials.bearer(notMine)).send("POST", "/v2/tokens-a/mnt4/blobs/uploads/?mount=" + secretBlob + "&from=" + SECRET, null);
        assertThat(denied.status()).as("no pull on the source at all: %s", denied).isEqualTo(202);

        Credentials dev = Credentials.user(DEV);
        assertThat(http.as(dev).send("POST", "/v2/tokens-a/mnt5" + mount, null).status()).as("Basic, may pull the source").isEqualTo(201);
        assertThat(http.as(dev).send("POST", "/v2/tokens-a/mnt6/blobs/uploads/?mount=" + secretBlob + "&from=" + SECRET, null).status())
            .as("Basic, may not pull the source").isEqualTo(202);
        assertThat(http.as(dev).send("HEAD", "/v2/tokens-a/mnt6/blobs/" + secretBlob, null).status()).isEqualTo(404);
    }

    // ---- the catalog ---------------------------------------------------------------------------

    @Test
    void theCatalogListsOnlyWhatTheCallerMaySee() {
        List<String> all = http.asAdmin().catalogNames();
        assertThat(all).contains(APP, OTHER, SOURCE, SECRET, PUBLIC);
        Set<String> publicProjects = new HashSet<>();
        http.asAdmin().get("/api/v2.0/projects?public=true&page_size=100").expect(200).json()
            .forEach(p -> publicProjects.add(p.path("name").asString()));
        assertThat(publicProjects).contains("tokens-pub", "library").doesNotContain("tokens-a", "tokens-c");

        List<String> anonymousView = all.stream().filter(r -> publicProjects.contains(project(r))).toList();
        Set<String> devProjects = new HashSet<>(publicProjects);
        devProjects.addAll(List.of("tokens-a", "tokens-b"));
        List<String> devView = all.stream().filter(r -> devProjects.contains(project(r))).toList();

        assertThat(http.as(Credentials.bearer(http.anonymous().tokenFor("registry:catalog:*"))).catalogNames()).isEqualTo(anonymousView)
            .contains(PUBLIC).doesNotContain(APP, SECRET);
        assertThat(http.as(Credentials.bearer(http.as(Credentials.user(OUTSIDER)).tokenFor("registry:catalog:*"))).catalogNames()).isEqualTo(anonymousView);
        assertThat(http.as(Credentials.user(OUTSIDER)).catalogNames()).isEqualTo(anonymousView);
        assertThat(http.as(Credentials.bearer(http.as(Credentials.user(DEV)).tokenFor("registry:catalog:*"))).catalogNames()).isEqualTo(devView)
            .contains(APP, SOURCE, PUBLIC).doesNotContain(SECRET);
        assertThat(http.as(Credentials.user(DEV)).catalogNames()).isEqualTo(devView);
        assertThat(http.as(Credentials.bearer(http.asAdmin().tokenFor("registry:catalog:*"))).catalogNames()).isEqualTo(all);
    }

    private static String project(String repository) {
        return repository.substring(0, repository.indexOf('/'));
    }

    private static void assertInsufficientScope(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(401);
        assertThat(response.challenge()).as("%s", response).contains("error=\"insufficient_scope\"");
    }
}
