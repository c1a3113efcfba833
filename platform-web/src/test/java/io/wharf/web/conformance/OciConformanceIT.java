package io.wharf.web.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import io.wharf.core.iam.ProjectService;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.core.testing.TestProjects;
import io.wharf.testkit.TestAccounts;
import io.wharf.web.PlatformApplication;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.StrictJson;
import io.wharf.web.conformance.ConformanceFixture.Blob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A port of the OCI distribution-spec conformance suite (the Ginkgo suite of distribution-spec 1.1, in
 * its latest revision: sorted tag lists, {@code last} pagination, {@code Range} on every chunk) to JUnit.
 * The four workflows run in the suite's order, Pull, Push, Content Discovery, Content Management, and
 * inside each the checks run in the suite's order with the same requests and the same assertions;
 * like Ginkgo, a failed check does not stop the ones after it, which reuse whatever state was left.
 *
 * <p>By default it boots Wharf on a random port against the test PostgreSQL. Settings are read from
 * system properties first, then the environment, with the suite's names:
 * {@code OCI_ROOT_URL} (test another registry instead of the in-process one), {@code OCI_NAMESPACE}
 * (default {@code conformance/test}), {@code OCI_CROSSMOUNT_NAMESPACE} (default {@code conformance/other}),
 * {@code OCI_USERNAME}/{@code OCI_PASSWORD}/{@code OCI_AUTH_SCOPE} (against the in-process registry the
 * credentials default to its {@code admin}), {@code OCI_TEST_PULL},
 * {@code OCI_TEST_PUSH}, {@code OCI_TEST_CONTENT_DISCOVERY}, {@code OCI_TEST_CONTENT_MANAGEMENT} (each
 * workflow runs unless set to false), {@code OCI_TAG_NAME}+{@code OCI_MANIFEST_DIGEST}+{@code OCI_BLOB_DIGEST}
 * (pull existing content without set-up), {@code OCI_TAG_LIST} (discovery without set-up),
 * {@code OCI_DELETE_MANIFEST_BEFORE_BLOBS} (default true), {@code OCI_AUTOMATIC_CROSSMOUNT} (default 1:
 * expect mounting without {@code from} to succeed; 0: expect it to open an upload; {@code skip}: don't
 * check), {@code OCI_DEBUG} (print every exchange).
 *
 * <p>Like the suite run against Harbor, it runs authenticated: every request goes out without
 * credentials first, and the client answers Wharf's {@code Bearer} challenge with a token fetched from
 * the challenge's realm with Basic credentials. The in-process registry gets the projects of
 * {@code OCI_NAMESPACE} and {@code OCI_CROSSMOUNT_NAMESPACE} (their first segments) created as private
 * projects before the first check; pushing never creates a project.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
@DisplayName("OCI distribution-spec conformance")
class OciConformanceIT {

    private static final Path DATA_DIR = createDataDir();

    private static final String ROOT_URL = setting("OCI_ROOT_URL");
    private static final String NAMESPACE = settingOr("OCI_NAMESPACE", "conformance/test");
    private static final String CROSSMOUNT_NAMESPACE = settingOr("OCI_CROSSMOUNT_NAMESPACE", "conformance/other");
    private static final String USERNAME = notEmpty(ROOT_URL) ? setting("OCI_USERNAME")
        : settingOr("OCI_USERNAME", TestAccounts.ADMIN_USERNAME);
    private static final String PASSWORD = notEmpty(ROOT_URL) ? setting("OCI_PASSWORD")
        : settingOr("OCI_PASSWORD", TestAccounts.ADMIN_PASSWORD);

    private static final boolean PULL = workflowEnabled("OCI_TEST_PULL");
    private static final boolean PUSH = workflowEnabled("OCI_TEST_PUSH");
    private static final boolean CONTENT_DISCOVERY = workflowEnabled("OCI_TEST_CONTENT_DISCOVERY");
    private static final boolean CONTENT_MANAGEMENT = workflowEnabled("OCI_TEST_CONTENT_MANAGEMENT");

    private static final boolean RUN_PULL_SETUP = !(notEmpty(setting("OCI_TAG_NAME"))
        && notEmpty(setting("OCI_MANIFEST_DIGEST")) && notEmpty(setting("OCI_BLOB_DIGEST")));
    private static final boolean RUN_PUSH_SETUP = true;
    private static final boolean RUN_CONTENT_DISCOVERY_SETUP = !notEmpty(setting("OCI_TAG_LIST"));
    private static final boolean RUN_CONTENT_MANAGEMENT_SETUP = true;
    private static final boolean DELETE_MANIFEST_BEFORE_BLOBS = setting("OCI_DELETE_MANIFEST_BEFORE_BLOBS") == null
        || Boolean.TRUE.equals(parseBool(setting("OCI_DELETE_MANIFEST_BEFORE_BLOBS")));
    private static final String AUTOMATIC_CROSSMOUNT = settingOr("OCI_AUTOMATIC_CROSSMOUNT", "1");
    private static final boolean RUN_AUTOMATIC_CROSSMOUNT_TEST = !AUTOMATIC_CROSSMOUNT.equalsIgnoreCase("skip");
    private static final boolean AUTOMATIC_CROSSMOUNT_ENABLED = Boolean.TRUE.equals(parseBool(AUTOMATIC_CROSSMOUNT));

    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String MANIFEST = ConformanceFixture.MEDIA_MANIFEST;
    private static final String INDEX = ConformanceFixture.MEDIA_INDEX;
    private static final String UPLOADS = "/v2/<name>/blobs/uploads/";
    private static final String BLOB = "/v2/<name>/blobs/<digest>";
    private static final String MANIFEST_BY_REFERENCE = "/v2/<name>/manifests/<reference>";
    private static final String MANIFEST_BY_DIGEST = "/v2/<name>/manifests/<digest>";
    private static final String TAGS = "/v2/<name>/tags/list";
    private static final String REFERRERS = "/v2/<name>/referrers/<digest>";

    private static final List<String> ERROR_CODES = List.of(
        "BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN",
        "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "MANIFEST_UNVERIFIED", "NAME_INVALID", "NAME_UNKNOWN",
        "SIZE_INVALID", "TAG_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED");

    private static final ConformanceFixture DATA = new ConformanceFixture(System.nanoTime(),
        emptyToNull(setting("OCI_BLOB_DIGEST")), emptyToNull(setting("OCI_MANIFEST_DIGEST")));

    private static RegistryClient client;

    @DynamicPropertySource
    static void registryProperties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void connect(@LocalServerPort int port, @Autowired ProjectService projects) {
        if (client == null) {
            if (!notEmpty(ROOT_URL)) {
                TestProjects.ensure(projects, project(NAMESPACE), project(CROSSMOUNT_NAMESPACE));
            }
            String root = notEmpty(ROOT_URL) ? ROOT_URL : "http://127.0.0.1:" + port;
            boolean anonymous = (USERNAME == null || USERNAME.isEmpty()) && (PASSWORD == null || PASSWORD.isEmpty());
            client = RegistryClient.forUrl(root)
                .as(anonymous ? Credentials.NONE : Credentials.basic(nullToEmpty(USERNAME), nullToEmpty(PASSWORD)))
                .withTokenFlow()
                .withTokenScope(setting("OCI_AUTH_SCOPE"))
                .withDefaultName(NAMESPACE)
                .withUserAgent(USER_AGENT)
                .followingRedirects()
                .onExchange(new Transcript(Boolean.TRUE.equals(parseBool(setting("OCI_DEBUG")))));
        }
    }

    /** The project of a repository name: its first segment. */
    private static String project(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }

    // ------------------------------------------------------------------------------------------------
    // 1. Pull
    // ------------------------------------------------------------------------------------------------

    @Nested
    @Order(1)
    @DisplayName("1. Pull")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Pull {

        private static String tag = "";

        @Test
        @Order(1)
        @DisplayName("setup: monolithic POST+PUT of config[0] succeeds")
        void pullSetupUploadsConfig0() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            pushBlobMonolithic(DATA.configs.get(ConformanceFixture.PULL));
        }

        @Test
        @Order(2)
        @DisplayName("setup: monolithic POST+PUT of config[1] succeeds")
        void pullSetupUploadsConfig1() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            pushBlobMonolithic(DATA.configs.get(ConformanceFixture.PUSH));
        }

        @Test
        @Order(3)
        @DisplayName("setup: monolithic POST+PUT of the layer succeeds")
        void pullSetupUploadsLayer() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            pushBlobMonolithic(DATA.layer);
        }

        @Test
        @Order(4)
        @DisplayName("setup: PUT manifest[0] by tag succeeds")
        void pullSetupPushesManifest0ByTag() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            tag = ConformanceFixture.TEST_TAG;
            expect2xx(putManifest(tag, MANIFEST, DATA.manifests.get(0)));
        }

        @Test
        @Order(5)
        @DisplayName("setup: PUT manifest[1] by digest succeeds")
        void pullSetupPushesManifest1ByDigest() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            expect2xx(putManifest(DATA.manifests.get(1).digest(), MANIFEST, DATA.manifests.get(1)));
        }

        @Test
        @Order(6)
        @DisplayName("setup: without set-up the tag comes from OCI_TAG_NAME")
        void pullSetupTakesTagFromEnvironment() {
            skipIfDisabled(PULL);
            runOnlyIf(!RUN_PULL_SETUP);
            String fromEnvironment = setting("OCI_TAG_NAME");
            if (notEmpty(fromEnvironment)) {
                tag = fromEnvironment;
            }
        }

        @Test
        @Order(10)
        @DisplayName("blobs: HEAD of a nonexistent blob returns 404")
        void headOfNonexistentBlobReturns404() {
            skipIfDisabled(PULL);
            expectStatus(client.request("HEAD", BLOB).digest(DATA.dummyDigest).send(), 404);
        }

        @Test
        @Order(11)
        @DisplayName("blobs: HEAD of an existing blob returns 200 and its Docker-Content-Digest if any")
        void headOfExistingBlobReturns200() {
            skipIfDisabled(PULL);
            String digest = DATA.configs.get(0).digest();
            Response resp = client.request("HEAD", BLOB).digest(digest).send();
            expectStatus(resp, 200);
            expectOptionalHeader(resp, "Docker-Content-Digest", digest);
        }

        @Test
        @Order(12)
        @DisplayName("blobs: GET of a nonexistent blob returns 404")
        void getOfNonexistentBlobReturns404() {
            skipIfDisabled(PULL);
            expectStatus(client.request("GET", BLOB).digest(DATA.dummyDigest).send(), 404);
        }

        @Test
        @Order(13)
        @DisplayName("blobs: GET of an existing blob returns 200")
        void getOfExistingBlobReturns200() {
            skipIfDisabled(PULL);
            expectStatus(client.request("GET", BLOB).digest(DATA.configs.get(0).digest()).send(), 200);
        }

        @Test
        @Order(20)
        @DisplayName("manifests: HEAD of a nonexistent manifest returns 404")
        void headOfNonexistentManifestReturns404() {
            skipIfDisabled(PULL);
            expectStatus(client.request("HEAD", MANIFEST_BY_REFERENCE)
                .reference(ConformanceFixture.NONEXISTENT_MANIFEST).send(), 404);
        }

        @Test
        @Order(21)
        @DisplayName("manifests: HEAD of manifest[0] by digest returns 200 and its Docker-Content-Digest if any")
        void headOfManifest0ByDigestReturns200() {
            skipIfDisabled(PULL);
            headManifestByDigest(DATA.manifests.get(0).digest());
        }

        @Test
        @Order(22)
        @DisplayName("manifests: HEAD of manifest[1] by digest returns 200 and its Docker-Content-Digest if any")
        void headOfManifest1ByDigestReturns200() {
            skipIfDisabled(PULL);
            headManifestByDigest(DATA.manifests.get(1).digest());
        }

        private void headManifestByDigest(String digest) {
            Response resp = client.request("HEAD", MANIFEST_BY_DIGEST).digest(digest)
                .header("Accept", MANIFEST).send();
            expectStatus(resp, 200);
            expectOptionalHeader(resp, "Docker-Content-Digest", digest);
        }

        @Test
        @Order(23)
        @DisplayName("manifests: HEAD by tag returns 200 and manifest[0]'s Docker-Content-Digest if any")
        void headOfManifestByTagReturns200() {
            skipIfDisabled(PULL);
            if (tag.isEmpty()) {
                fail("no tag: the set-up did not push one and OCI_TAG_NAME is empty");
            }
            Response resp = client.request("HEAD", MANIFEST_BY_REFERENCE).reference(tag)
                .header("Accept", MANIFEST).send();
            expectStatus(resp, 200);
            expectOptionalHeader(resp, "Docker-Content-Digest", DATA.manifests.get(0).digest());
        }

        @Test
        @Order(24)
        @DisplayName("manifests: GET of a nonexistent manifest returns 404")
        void getOfNonexistentManifestReturns404() {
            skipIfDisabled(PULL);
            expectStatus(client.request("GET", MANIFEST_BY_REFERENCE)
                .reference(ConformanceFixture.NONEXISTENT_MANIFEST).send(), 404);
        }

        @Test
        @Order(25)
        @DisplayName("manifests: GET of manifest[0] by digest returns 200")
        void getOfManifest0ByDigestReturns200() {
            skipIfDisabled(PULL);
            expectStatus(client.request("GET", MANIFEST_BY_DIGEST).digest(DATA.manifests.get(0).digest())
                .header("Accept", MANIFEST).send(), 200);
        }

        @Test
        @Order(26)
        @DisplayName("manifests: GET of manifest[1] by digest returns 200")
        void getOfManifest1ByDigestReturns200() {
            skipIfDisabled(PULL);
            expectStatus(client.request("GET", MANIFEST_BY_DIGEST).digest(DATA.manifests.get(1).digest())
                .header("Accept", MANIFEST).send(), 200);
        }

        @Test
        @Order(27)
        @DisplayName("manifests: GET by tag returns 200")
        void getOfManifestByTagReturns200() {
            skipIfDisabled(PULL);
            if (tag.isEmpty()) {
                fail("no tag: the set-up did not push one and OCI_TAG_NAME is empty");
            }
            expectStatus(client.request("GET", MANIFEST_BY_REFERENCE).reference(tag)
                .header("Accept", MANIFEST).send(), 200);
        }

        @Test
        @Order(30)
        @DisplayName("errors: GET of an invalid digest returns 404, or 400 with an OCI error code in the body")
        void invalidDigestYieldsOciErrorBody() {
            skipIfDisabled(PULL);
            // the suite also sets a junk body, which its HTTP client never sends on a GET
            Response resp = client.request("GET", MANIFEST_BY_REFERENCE).reference("sha256:totallywrong")
                .header("Content-Type", MANIFEST).send();
            expectStatus(resp, 400, 404);
            if (resp.status() == 400) {
                List<String> codes = errorCodes(resp);
                check(ERROR_CODES.contains(codes.get(0)), "first error code " + codes.get(0) + " is not an OCI code", resp);
            }
        }

        @Test
        @Order(40)
        @DisplayName("teardown: DELETE of manifest[0] returns 2xx or 405 (before blobs)")
        void pullTeardownDeletesManifest0BeforeBlobs() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            runOnlyIf(DELETE_MANIFEST_BEFORE_BLOBS);
            expect2xxOr(deleteManifest(DATA.manifests.get(0).digest()), 405);
        }

        @Test
        @Order(41)
        @DisplayName("teardown: DELETE of manifest[1] returns 2xx or 405 (before blobs)")
        void pullTeardownDeletesManifest1BeforeBlobs() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            runOnlyIf(DELETE_MANIFEST_BEFORE_BLOBS);
            expect2xxOr(deleteManifest(DATA.manifests.get(1).digest()), 405);
        }

        @Test
        @Order(42)
        @DisplayName("teardown: DELETE of config[0] returns 2xx, 404 or 405")
        void pullTeardownDeletesConfig0() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            expect2xxOr(deleteBlob(DATA.configs.get(0).digest()), 404, 405);
        }

        @Test
        @Order(43)
        @DisplayName("teardown: DELETE of config[1] returns 2xx, 404 or 405")
        void pullTeardownDeletesConfig1() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            expect2xxOr(deleteBlob(DATA.configs.get(1).digest()), 404, 405);
        }

        @Test
        @Order(44)
        @DisplayName("teardown: DELETE of the layer returns 2xx, 404 or 405")
        void pullTeardownDeletesLayer() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            expect2xxOr(deleteBlob(DATA.layer.digest()), 404, 405);
        }

        @Test
        @Order(45)
        @DisplayName("teardown: DELETE of manifest[0] returns 2xx or 405 (after blobs)")
        void pullTeardownDeletesManifest0AfterBlobs() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            runOnlyIf(!DELETE_MANIFEST_BEFORE_BLOBS);
            expect2xxOr(deleteManifest(DATA.manifests.get(0).digest()), 405);
        }

        @Test
        @Order(46)
        @DisplayName("teardown: DELETE of manifest[1] returns 2xx or 405 (after blobs)")
        void pullTeardownDeletesManifest1AfterBlobs() {
            skipIfDisabled(PULL);
            runOnlyIf(RUN_PULL_SETUP);
            runOnlyIf(!DELETE_MANIFEST_BEFORE_BLOBS);
            expect2xxOr(deleteManifest(DATA.manifests.get(1).digest()), 405);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // 2. Push
    // ------------------------------------------------------------------------------------------------

    @Nested
    @Order(2)
    @DisplayName("2. Push")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Push {

        private static Response lastResponse;
        private static Response prevResponse;
        private static String emptyLayerManifestRef = "";

        @Test
        @Order(1)
        @DisplayName("streamed: POST opens a session and PATCH with the whole blob returns 202")
        void streamedPatchOfWholeBlobReturns202() {
            skipIfDisabled(PUSH);
            Response post = client.request("POST", UPLOADS).send();
            expectNotEmpty(post.headerValue("Location"), "Location of POST", post);
            Response resp = client.request("PATCH", post.relativeLocation())
                .header("Content-Type", OCTET_STREAM)
                .body(DATA.blobA.content()).send();
            expectStatus(resp, 202);
            lastResponse = resp;
        }

        @Test
        @Order(2)
        @DisplayName("streamed: PUT with digest and no body closes the session with 201 and a Location")
        void streamedPutWithDigestReturns201() {
            skipIfDisabled(PUSH);
            requirePrevious(lastResponse);
            Response resp = client.request("PUT", lastResponse.relativeLocation())
                .query("digest", DATA.blobA.digest())
                .header("Content-Type", OCTET_STREAM)
                .header("Content-Length", DATA.blobA.length()).send();
            expectStatus(resp, 201);
            expectNotEmpty(resp.headerValue("Location"), "Location", resp);
        }

        @Test
        @Order(10)
        @DisplayName("monolithic: GET of a nonexistent blob returns 404")
        void monolithicGetOfNonexistentBlobReturns404() {
            skipIfDisabled(PUSH);
            expectStatus(client.request("GET", BLOB).digest(DATA.dummyDigest).send(), 404);
        }

        @Test
        @Order(11)
        @DisplayName("monolithic: POST with digest and body returns 201 or 202 with a Location")
        void monolithicPostWithDigestReturns201Or202() {
            skipIfDisabled(PUSH);
            Blob config = DATA.configs.get(1);
            Response resp = client.request("POST", UPLOADS)
                .header("Content-Length", config.length())
                .header("Content-Type", OCTET_STREAM)
                .query("digest", config.digest())
                .body(config.content()).send();
            expectNotEmpty(resp.headerValue("Location"), "Location", resp);
            expectStatus(resp, 201, 202);
            lastResponse = resp;
        }

        @Test
        @Order(12)
        @DisplayName("monolithic: the blob exists after a 201 POST and does not after a 202 POST")
        void monolithicBlobExistsOnlyIfPostReturned201() {
            skipIfDisabled(PUSH);
            requirePrevious(lastResponse);
            Response resp = client.request("GET", BLOB).digest(DATA.configs.get(1).digest()).send();
            if (lastResponse.status() == 202) {
                expectStatus(resp, 404);
            } else {
                expectStatus(resp, 200);
            }
        }

        @Test
        @Order(13)
        @DisplayName("monolithic: POST without body returns 202 (a session)")
        void postWithoutBodyOpensSession() {
            skipIfDisabled(PUSH);
            Response resp = client.request("POST", UPLOADS).send();
            expectStatus(resp, 202);
            lastResponse = resp;
        }

        @Test
        @Order(14)
        @DisplayName("monolithic: PUT of the whole blob with digest returns 201 with a Location")
        void monolithicPutOfBlobReturns201() {
            skipIfDisabled(PUSH);
            requirePrevious(lastResponse);
            Blob config = DATA.configs.get(1);
            Response resp = client.request("PUT", lastResponse.relativeLocation())
                .header("Content-Length", config.length())
                .header("Content-Type", OCTET_STREAM)
                .query("digest", config.digest())
                .body(config.content()).send();
            expectNotEmpty(resp.headerValue("Location"), "Location", resp);
            expectStatus(resp, 201);
        }

        @Test
        @Order(15)
        @DisplayName("monolithic: GET of the uploaded blob returns 200")
        void getOfUploadedBlobReturns200() {
            skipIfDisabled(PUSH);
            expectStatus(client.request("GET", BLOB).digest(DATA.configs.get(1).digest()).send(), 200);
        }

        @Test
        @Order(16)
        @DisplayName("monolithic: POST then PUT of the layer with digest returns 201 with a Location")
        void monolithicPutOfLayerReturns201() {
            skipIfDisabled(PUSH);
            Response post = client.request("POST", UPLOADS).send();
            Response resp = client.request("PUT", post.relativeLocation())
                .header("Content-Length", DATA.layer.length())
                .header("Content-Type", OCTET_STREAM)
                .query("digest", DATA.layer.digest())
                .body(DATA.layer.content()).send();
            expectNotEmpty(resp.headerValue("Location"), "Location", resp, post);
            expectStatus(resp, 201, post);
        }

        @Test
        @Order(17)
        @DisplayName("monolithic: GET of the uploaded layer returns 200")
        void getOfUploadedLayerReturns200() {
            skipIfDisabled(PUSH);
            expectStatus(client.request("GET", BLOB).digest(DATA.layer.digest()).send(), 200);
        }

        @Test
        @Order(20)
        @DisplayName("chunked: a first chunk that does not start at 0 returns 416")
        void outOfOrderChunkReturns416() {
            skipIfDisabled(PUSH);
            Response post = client.request("POST", UPLOADS).header("Content-Length", "0").send();
            expectNotEmpty(post.headerValue("Location"), "Location of POST", post);
            String minLength = post.headerValue("OCI-Chunk-Min-Length");
            if (!minLength.isEmpty()) {
                int min;
                try {
                    min = Integer.parseInt(minLength);
                } catch (NumberFormatException e) {
                    fail("OCI-Chunk-Min-Length is not a number: " + minLength + "\n" + post.describe());
                    return;
                }
                if (min > DATA.blobBChunk1.length) {
                    DATA.setupChunkedBlob(min * 2 - 2);
                }
            }
            Response resp = client.request("PATCH", post.relativeLocation())
                .header("Content-Type", OCTET_STREAM)
                .header("Content-Length", Integer.toString(DATA.blobBChunk2.length))
                .header("Content-Range", DATA.blobBChunk2Range)
                .body(DATA.blobBChunk2).send();
            expectStatus(resp, 416, post);
        }

        @Test
        @Order(21)
        @DisplayName("chunked: PATCH of the first chunk returns 202 with Range 0-<end>")
        void firstChunkReturns202WithRange() {
            skipIfDisabled(PUSH);
            Response post = client.request("POST", UPLOADS).header("Content-Length", "0").send();
            expectNotEmpty(post.headerValue("Location"), "Location of POST", post);
            prevResponse = post;
            Response resp = client.request("PATCH", post.relativeLocation())
                .header("Content-Type", OCTET_STREAM)
                .header("Content-Length", Integer.toString(DATA.blobBChunk1.length))
                .header("Content-Range", DATA.blobBChunk1Range)
                .body(DATA.blobBChunk1).send();
            expectStatus(resp, 202, post);
            expectHeader(resp, "Range", DATA.blobBChunk1Range);
            lastResponse = resp;
        }

        @Test
        @Order(22)
        @DisplayName("chunked: repeating the first chunk on the POST's Location returns 416")
        void retriedChunkReturns416() {
            skipIfDisabled(PUSH);
            requirePrevious(prevResponse);
            Response resp = client.request("PATCH", prevResponse.relativeLocation())
                .header("Content-Type", OCTET_STREAM)
                .header("Content-Length", Integer.toString(DATA.blobBChunk1.length))
                .header("Content-Range", DATA.blobBChunk1Range)
                .body(DATA.blobBChunk1).send();
            expectStatus(resp, 416);
        }

        @Test
        @Order(23)
        @DisplayName("chunked: GET of the upload returns 204 with a Location and Range 0-<end>")
        void uploadStatusReturns204WithRangeAndLocation() {
            skipIfDisabled(PUSH);
            requirePrevious(prevResponse);
            Response resp = client.request("GET", prevResponse.relativeLocation()).send();
            expectStatus(resp, 204);
            expectNotEmpty(resp.headerValue("Location"), "Location", resp);
            expectHeader(resp, "Range", DATA.blobBChunk1Range);
            lastResponse = resp;
        }

        @Test
        @Order(24)
        @DisplayName("chunked: PATCH of the second chunk returns 202 with Range 0-<size-1> and a Location")
        void secondChunkReturns202WithFullRange() {
            skipIfDisabled(PUSH);
            requirePrevious(lastResponse);
            Response resp = client.request("PATCH", lastResponse.relativeLocation())
                .header("Content-Length", Integer.toString(DATA.blobBChunk2.length))
                .header("Content-Range", DATA.blobBChunk2Range)
                .header("Content-Type", OCTET_STREAM)
                .body(DATA.blobBChunk2).send();
            expectStatus(resp, 202);
            expectHeader(resp, "Range", "0-" + (DATA.blobB.content().length - 1));
            expectNotEmpty(resp.headerValue("Location"), "Location", resp);
            lastResponse = resp;
        }

        @Test
        @Order(25)
        @DisplayName("chunked: PUT with digest and no body returns 201 with a Location")
        void chunkedPutWithDigestReturns201() {
            skipIfDisabled(PUSH);
            requirePrevious(lastResponse);
            Response resp = client.request("PUT", lastResponse.relativeLocation())
                .header("Content-Length", "0")
                .header("Content-Type", OCTET_STREAM)
                .query("digest", DATA.blobB.digest()).send();
            expectStatus(resp, 201);
            expectNotEmpty(resp.headerValue("Location"), "Location", resp);
        }

        @Test
        @Order(30)
        @DisplayName("mount: mount of an unknown blob without from returns 202 with a Location")
        void mountOfUnknownBlobWithoutFromOpensSession() {
            skipIfDisabled(PUSH);
            Response resp = client.request("POST", UPLOADS).name(CROSSMOUNT_NAMESPACE)
                .query("mount", DATA.dummyDigest).send();
            expectStatus(resp, 202);
            expectNotEmpty(resp.absoluteLocation(), "Location", resp);
        }

        @Test
        @Order(31)
        @DisplayName("mount: mount of another repository's blob with from returns 201 or 202")
        void mountFromOtherRepositoryReturns201Or202() {
            skipIfDisabled(PUSH);
            Response resp = client.request("POST", UPLOADS).name(CROSSMOUNT_NAMESPACE)
                .query("mount", DATA.blobA.digest())
                .query("from", client.defaultName()).send();
            expectStatus(resp, 201, 202);
            lastResponse = resp;
        }

        @Test
        @Order(32)
        @DisplayName("mount: after a 201 the Location is the mounted blob's URL and GET on it returns 200")
        void mountedBlobIsReadableInTargetRepository() {
            skipIfDisabled(PUSH);
            requirePrevious(lastResponse);
            runOnlyIf(lastResponse.status() == 201);
            expectEquals("/v2/" + CROSSMOUNT_NAMESPACE + "/blobs/" + DATA.blobA.digest(),
                lastResponse.relativeLocation(), "relative Location of the mount", lastResponse);
            expectStatus(client.request("GET", lastResponse.relativeLocation()).send(), 200);
        }

        @Test
        @Order(33)
        @DisplayName("mount: after a 202 the Location is an upload session in the target repository")
        void unmountedBlobYieldsSessionInTargetRepository() {
            skipIfDisabled(PUSH);
            requirePrevious(lastResponse);
            runOnlyIf(lastResponse.status() == 202);
            String prefix = "/v2/" + CROSSMOUNT_NAMESPACE + "/blobs/uploads/";
            check(lastResponse.relativeLocation().startsWith(prefix),
                "relative Location should start with " + prefix + " but was " + lastResponse.relativeLocation(), lastResponse);
        }

        @Test
        @Order(34)
        @DisplayName("mount: with automatic cross-mount enabled, mount without from returns 201")
        void automaticCrossmountEnabledMountsWithoutFrom() {
            skipIfDisabled(PUSH);
            runOnlyIf(RUN_AUTOMATIC_CROSSMOUNT_TEST);
            requirePrevious(lastResponse);
            runOnlyIf(lastResponse.status() == 201);
            runOnlyIf(AUTOMATIC_CROSSMOUNT_ENABLED);
            expectStatus(client.request("POST", UPLOADS).name(CROSSMOUNT_NAMESPACE)
                .query("mount", DATA.blobA.digest()).send(), 201);
        }

        @Test
        @Order(35)
        @DisplayName("mount: with automatic cross-mount disabled, mount without from returns 202")
        void automaticCrossmountDisabledOpensSessionWithoutFrom() {
            skipIfDisabled(PUSH);
            runOnlyIf(RUN_AUTOMATIC_CROSSMOUNT_TEST);
            requirePrevious(lastResponse);
            runOnlyIf(lastResponse.status() == 201);
            runOnlyIf(!AUTOMATIC_CROSSMOUNT_ENABLED);
            expectStatus(client.request("POST", UPLOADS).name(CROSSMOUNT_NAMESPACE)
                .query("mount", DATA.blobA.digest()).send(), 202);
        }

        @Test
        @Order(40)
        @DisplayName("manifests: GET of a nonexistent manifest returns 404")
        void manifestGetOfNonexistentReturns404() {
            skipIfDisabled(PUSH);
            expectStatus(client.request("GET", MANIFEST_BY_REFERENCE)
                .reference(ConformanceFixture.NONEXISTENT_MANIFEST).send(), 404);
        }

        @Test
        @Order(41)
        @DisplayName("manifests: PUT of manifest[1] as tags test0..test3 returns 201 with a Location each")
        void manifestPutByTagReturns201() {
            skipIfDisabled(PUSH);
            for (int i = 0; i < 4; i++) {
                Response resp = putManifest("test" + i, MANIFEST, DATA.manifests.get(1));
                expectNotEmpty(resp.headerValue("Location"), "Location", resp);
                expectStatus(resp, 201);
            }
        }

        @Test
        @Order(42)
        @DisplayName("manifests: PUT of a manifest without layers returns 201 with a Location (or is tolerated)")
        void manifestWithoutLayersIsAccepted() {
            skipIfDisabled(PUSH);
            Response resp = putManifest(ConformanceFixture.EMPTY_LAYER_TAG, MANIFEST, DATA.emptyLayerManifest);
            if (resp.status() == 201) {
                emptyLayerManifestRef = resp.headerValue("Location");
                expectNotEmpty(emptyLayerManifestRef, "Location", resp);
            } else {
                System.err.println("WARNING: image manifest with no layers is not supported\n" + resp.describe());
            }
        }

        @Test
        @Order(43)
        @DisplayName("manifests: GET of manifest[1] by digest returns 200")
        void manifestGetByDigestReturns200() {
            skipIfDisabled(PUSH);
            expectStatus(client.request("GET", MANIFEST_BY_DIGEST).digest(DATA.manifests.get(1).digest())
                .header("Accept", MANIFEST).send(), 200);
        }

        @Test
        @Order(50)
        @DisplayName("teardown: DELETE of the pushed manifests returns 2xx or 405 (before blobs)")
        void pushTeardownDeletesManifestsBeforeBlobs() {
            skipIfDisabled(PUSH);
            runOnlyIf(RUN_PUSH_SETUP);
            runOnlyIf(DELETE_MANIFEST_BEFORE_BLOBS);
            deletePushedManifests();
        }

        @Test
        @Order(51)
        @DisplayName("teardown: DELETE of config[1] returns 2xx, 404 or 405")
        void pushTeardownDeletesConfig() {
            skipIfDisabled(PUSH);
            runOnlyIf(RUN_PUSH_SETUP);
            expect2xxOr(deleteBlob(DATA.configs.get(1).digest()), 404, 405);
        }

        @Test
        @Order(52)
        @DisplayName("teardown: DELETE of the layer returns 2xx, 404 or 405")
        void pushTeardownDeletesLayer() {
            skipIfDisabled(PUSH);
            runOnlyIf(RUN_PUSH_SETUP);
            expect2xxOr(deleteBlob(DATA.layer.digest()), 404, 405);
        }

        @Test
        @Order(53)
        @DisplayName("teardown: DELETE of the pushed manifests returns 2xx or 405 (after blobs)")
        void pushTeardownDeletesManifestsAfterBlobs() {
            skipIfDisabled(PUSH);
            runOnlyIf(RUN_PUSH_SETUP);
            runOnlyIf(!DELETE_MANIFEST_BEFORE_BLOBS);
            deletePushedManifests();
        }

        private void deletePushedManifests() {
            expect2xxOr(deleteManifest(DATA.manifests.get(1).digest()), 405);
            if (!emptyLayerManifestRef.isEmpty()) {
                expect2xxOr(client.request("DELETE", MANIFEST_BY_REFERENCE)
                    .reference(DATA.emptyLayerManifest.digest()).send(), 405);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // 3. Content discovery
    // ------------------------------------------------------------------------------------------------

    @Nested
    @Order(3)
    @DisplayName("3. Content discovery")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class ContentDiscovery {

        private static int numTags = 4;
        private static List<String> tagList = new ArrayList<>();

        @Test
        @Order(1)
        @DisplayName("setup: monolithic POST+PUT of config[2] succeeds")
        void discoverySetupUploadsConfig() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(RUN_CONTENT_DISCOVERY_SETUP);
            pushBlobMonolithic(DATA.configs.get(ConformanceFixture.DISCOVERY));
        }

        @Test
        @Order(2)
        @DisplayName("setup: monolithic POST+PUT of the layer succeeds")
        void discoverySetupUploadsLayer() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(RUN_CONTENT_DISCOVERY_SETUP);
            pushBlobMonolithic(DATA.layer);
        }

        @Test
        @Order(3)
        @DisplayName("setup: PUT of manifest[2] as tags test0..3 and TEST0..3 succeeds")
        void discoverySetupPushesTags() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(RUN_CONTENT_DISCOVERY_SETUP);
            for (int i = 0; i < numTags; i++) {
                for (String tag : List.of("test" + i, "TEST" + i)) {
                    tagList.add(tag);
                    expect2xx(putManifest(tag, MANIFEST, DATA.manifests.get(2)));
                }
            }
            tagList = tagsOf(client.request("GET", TAGS).send());
        }

        @Test
        @Order(4)
        @DisplayName("setup: without set-up the tags come from OCI_TAG_LIST")
        void discoverySetupTakesTagsFromEnvironment() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(!RUN_CONTENT_DISCOVERY_SETUP);
            tagList = Arrays.asList(settingOr("OCI_TAG_LIST", "").split(",", -1));
        }

        @Test
        @Order(5)
        @DisplayName("setup: referrers (some pushed before their subject, one to a missing subject) are accepted with OCI-Subject")
        void discoverySetupPushesReferrers() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(RUN_CONTENT_DISCOVERY_SETUP);
            String subject = DATA.manifests.get(ConformanceFixture.SUBJECT).digest();
            expectEquals(ConformanceFixture.EMPTY_JSON_DIGEST, DATA.emptyJson.digest(), "digest of {}", null);

            pushBlobMonolithic(DATA.emptyJson);
            pushBlobMonolithic(DATA.refBlobA);

            Response resp = putManifest(DATA.refsManifestAConfig.digest(), MANIFEST, DATA.refsManifestAConfig);
            expect2xx(resp);
            expectHeader(resp, "OCI-Subject", subject);

            resp = putManifest(DATA.refsManifestALayer.digest(), MANIFEST, DATA.refsManifestALayer);
            expect2xx(resp);
            expectHeader(resp, "OCI-Subject", subject);

            resp = putManifest(DATA.refsIndex.digest(), INDEX, DATA.refsIndex);
            expect2xx(resp);
            expectHeader(resp, "OCI-Subject", subject);

            pushBlobMonolithic(DATA.configs.get(ConformanceFixture.SUBJECT));
            pushBlobMonolithic(DATA.layer);
            expect2xx(putManifest(ConformanceFixture.TEST_TAG, MANIFEST, DATA.manifests.get(ConformanceFixture.SUBJECT)));

            pushBlobMonolithic(DATA.refBlobB);

            resp = putManifest(DATA.refsManifestBConfig.digest(), MANIFEST, DATA.refsManifestBConfig);
            expect2xx(resp);
            expectHeader(resp, "OCI-Subject", subject);

            resp = putManifest(DATA.refsManifestBLayer.digest(), MANIFEST, DATA.refsManifestBLayer);
            expect2xx(resp);
            expectHeader(resp, "OCI-Subject", subject);

            resp = putManifest(DATA.refsManifestCLayer.digest(), MANIFEST, DATA.refsManifestCLayer);
            expect2xx(resp);
            expectHeader(resp, "OCI-Subject", DATA.manifests.get(ConformanceFixture.MANAGEMENT).digest());
        }

        @Test
        @Order(10)
        @DisplayName("tags: GET of the tag list returns 200 in lexical or byte order")
        void tagListIsSorted() {
            skipIfDisabled(CONTENT_DISCOVERY);
            Response resp = client.request("GET", TAGS).send();
            expectStatus(resp, 200);
            tagList = tagsOf(resp);
            numTags = tagList.size();
            List<String> lexical = new ArrayList<>(tagList);
            lexical.sort(Comparator.comparing(s -> s.toLowerCase(Locale.ROOT)));
            List<String> bytewise = new ArrayList<>(tagList);
            bytewise.sort(Comparator.naturalOrder());
            check(tagList.equals(lexical) || tagList.equals(bytewise),
                "tags are neither in lexical nor in byte order: " + tagList, resp);
        }

        @Test
        @Order(11)
        @DisplayName("tags: n limits the number of tags returned")
        void tagListIsLimitedByN() {
            skipIfDisabled(CONTENT_DISCOVERY);
            int numResults = numTags / 2;
            Response resp = client.request("GET", TAGS).query("n", Integer.toString(numResults)).send();
            expectStatus(resp, 200);
            tagList = tagsOf(resp);
            expectEquals(numResults, tagList.size(), "number of tags", resp);
        }

        @Test
        @Order(12)
        @DisplayName("tags: last starts the page after the given tag")
        void tagListStartsAfterLast() {
            skipIfDisabled(CONTENT_DISCOVERY);
            int numResults = numTags / 2;
            Response first = client.request("GET", TAGS).query("n", Integer.toString(numResults)).send();
            expectStatus(first, 200);
            tagList = tagsOf(first);
            if (numResults < 1 || tagList.size() < numResults) {
                fail("first page has " + tagList.size() + " tags, needed " + numResults + "\n" + first.describe());
            }
            String last = tagList.get(numResults - 1);
            Response resp = client.request("GET", TAGS)
                .query("n", Integer.toString(numResults))
                .query("last", last).send();
            expectStatus(resp, 200);
            tagList = tagsOf(resp);
            check(tagList.size() <= numResults, "more than " + numResults + " tags: " + tagList, resp);
            check(!tagList.contains(last), "page after " + last + " still contains it: " + tagList, resp);
        }

        @Test
        @Order(20)
        @DisplayName("referrers: of an unknown digest returns 200 with an empty image index")
        void referrersOfUnknownDigestIsEmptyIndex() {
            skipIfDisabled(CONTENT_DISCOVERY);
            Response resp = client.request("GET", REFERRERS).digest(DATA.dummyDigest).send();
            expectStatus(resp, 200);
            expectHeader(resp, "Content-Type", INDEX);
            expectEquals(0, referrers(resp).size(), "number of referrers", resp);
        }

        @Test
        @Order(21)
        @DisplayName("referrers: of the subject lists all 5 referrers with their annotations")
        void referrersOfSubjectListsAll() {
            skipIfDisabled(CONTENT_DISCOVERY);
            Response resp = client.request("GET", REFERRERS).digest(DATA.manifests.get(ConformanceFixture.SUBJECT).digest()).send();
            expectStatus(resp, 200);
            expectHeader(resp, "Content-Type", INDEX);
            List<StrictJson> manifests = referrers(resp);
            expectEquals(5, manifests.size(), "number of referrers", resp);
            check(!manifests.get(0).get("digest").toString().equals(manifests.get(1).get("digest").toString()),
                "first two referrers have the same digest", resp);
            expectAnnotations(manifests, resp);
        }

        @Test
        @Order(22)
        @DisplayName("referrers: artifactType filter returns the 2 matches with OCI-Filters-Applied (or all 5 without)")
        void referrersFilteredByArtifactType() {
            skipIfDisabled(CONTENT_DISCOVERY);
            Response resp = client.request("GET", REFERRERS).digest(DATA.manifests.get(ConformanceFixture.SUBJECT).digest())
                .query("artifactType", DATA.artifactTypeA).send();
            expectStatus(resp, 200);
            expectHeader(resp, "Content-Type", INDEX);
            List<StrictJson> manifests = referrers(resp);
            if (!resp.headerValue("OCI-Filters-Applied").isEmpty()) {
                expectEquals(2, manifests.size(), "number of filtered referrers", resp);
                expectHeader(resp, "OCI-Filters-Applied", ConformanceFixture.ARTIFACT_TYPE_FILTER);
                expectAnnotations(manifests, resp);
            } else {
                expectEquals(5, manifests.size(), "number of referrers (filter not applied)", resp);
                expectAnnotations(manifests, resp);
                System.err.println("WARNING: filtering by artifact-type is not implemented");
            }
        }

        @Test
        @Order(23)
        @DisplayName("referrers: of a manifest that was never pushed returns 200 with its one referrer")
        void referrersOfMissingSubject() {
            skipIfDisabled(CONTENT_DISCOVERY);
            Response resp = client.request("GET", REFERRERS).digest(DATA.manifests.get(ConformanceFixture.MANAGEMENT).digest()).send();
            expectStatus(resp, 200);
            expectHeader(resp, "Content-Type", INDEX);
            List<StrictJson> manifests = referrers(resp);
            expectEquals(1, manifests.size(), "number of referrers", resp);
            expectEquals(DATA.refsManifestCLayer.digest(), manifests.get(0).get("digest").asString(""), "referrer digest", resp);
        }

        private void expectAnnotations(List<StrictJson> manifests, Response resp) {
            for (StrictJson descriptor : manifests) {
                String digest = descriptor.get("digest").asString("");
                Map<String, StrictJson> annotations = descriptor.get("annotations").members();
                expectEquals(1, annotations.size(), "number of annotations of " + digest, resp);
                String expected = DATA.annotationValues.getOrDefault(digest, "");
                expectEquals(expected, descriptor.get("annotations").get(DATA.annotationKey).asString(""),
                    "annotation " + DATA.annotationKey + " of " + digest, resp);
            }
        }

        private List<String> discoveryManifests() {
            return List.of(
                DATA.refsIndex.digest(),
                DATA.manifests.get(ConformanceFixture.DISCOVERY).digest(),
                DATA.manifests.get(ConformanceFixture.SUBJECT).digest(),
                DATA.refsManifestAConfig.digest(),
                DATA.refsManifestALayer.digest(),
                DATA.refsManifestBConfig.digest(),
                DATA.refsManifestBLayer.digest(),
                DATA.refsManifestCLayer.digest());
        }

        @Test
        @Order(30)
        @DisplayName("teardown: DELETE of the pushed manifests returns 2xx, 404 or 405 (before blobs)")
        void discoveryTeardownDeletesManifestsBeforeBlobs() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(RUN_CONTENT_DISCOVERY_SETUP);
            runOnlyIf(DELETE_MANIFEST_BEFORE_BLOBS);
            for (String digest : discoveryManifests()) {
                expect2xxOr(deleteManifest(digest), 404, 405);
            }
        }

        @Test
        @Order(31)
        @DisplayName("teardown: DELETE of config[2] returns 2xx, 404 or 405")
        void discoveryTeardownDeletesConfig() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(RUN_CONTENT_DISCOVERY_SETUP);
            expect2xxOr(deleteBlob(DATA.configs.get(ConformanceFixture.DISCOVERY).digest()), 404, 405);
        }

        @Test
        @Order(32)
        @DisplayName("teardown: DELETE of the layer returns 2xx, 404 or 405")
        void discoveryTeardownDeletesLayer() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(RUN_CONTENT_DISCOVERY_SETUP);
            expect2xxOr(deleteBlob(DATA.layer.digest()), 404, 405);
        }

        @Test
        @Order(33)
        @DisplayName("teardown: DELETE of the pushed manifests returns 2xx, 404 or 405 (after blobs)")
        void discoveryTeardownDeletesManifestsAfterBlobs() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(RUN_CONTENT_DISCOVERY_SETUP);
            runOnlyIf(!DELETE_MANIFEST_BEFORE_BLOBS);
            for (String digest : discoveryManifests()) {
                expect2xxOr(deleteManifest(digest), 405, 404);
            }
        }

        @Test
        @Order(34)
        @DisplayName("teardown: DELETE of the referrers and their blobs returns 2xx, 404 or 405")
        void discoveryTeardownDeletesReferrers() {
            skipIfDisabled(CONTENT_DISCOVERY);
            runOnlyIf(RUN_CONTENT_DISCOVERY_SETUP);
            List<String> referrerManifests = List.of(
                DATA.refsIndex.digest(),
                DATA.refsManifestAConfig.digest(),
                DATA.refsManifestALayer.digest(),
                DATA.manifests.get(ConformanceFixture.SUBJECT).digest(),
                DATA.refsManifestBConfig.digest(),
                DATA.refsManifestBLayer.digest());
            if (DELETE_MANIFEST_BEFORE_BLOBS) {
                referrerManifests.forEach(d -> expect2xxOr(deleteManifest(d), 404, 405));
            }
            expect2xxOr(deleteBlob(DATA.configs.get(ConformanceFixture.SUBJECT).digest()), 404, 405);
            expect2xxOr(deleteBlob(DATA.refBlobA.digest()), 404, 405);
            expect2xxOr(deleteBlob(DATA.refBlobB.digest()), 404, 405);
            expect2xxOr(deleteBlob(DATA.emptyJson.digest()), 404, 405);
            if (!DELETE_MANIFEST_BEFORE_BLOBS) {
                referrerManifests.forEach(d -> expect2xxOr(deleteManifest(d), 404, 405));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // 4. Content management
    // ------------------------------------------------------------------------------------------------

    @Nested
    @Order(4)
    @DisplayName("4. Content management")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class ContentManagement {

        private static String tagToDelete = "";
        private static int numTags;
        private static boolean blobDeleteAllowed = true;

        @Test
        @Order(1)
        @DisplayName("setup: monolithic POST+PUT of config[3] succeeds")
        void managementSetupUploadsConfig() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            runOnlyIf(RUN_CONTENT_MANAGEMENT_SETUP);
            pushBlobMonolithic(DATA.configs.get(ConformanceFixture.MANAGEMENT));
        }

        @Test
        @Order(2)
        @DisplayName("setup: monolithic POST+PUT of the layer succeeds")
        void managementSetupUploadsLayer() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            runOnlyIf(RUN_CONTENT_MANAGEMENT_SETUP);
            pushBlobMonolithic(DATA.layer);
        }

        @Test
        @Order(3)
        @DisplayName("setup: PUT of manifest[3] by tag succeeds")
        void managementSetupPushesTag() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            runOnlyIf(RUN_CONTENT_MANAGEMENT_SETUP);
            tagToDelete = ConformanceFixture.TEST_TAG;
            expect2xx(putManifest(tagToDelete, MANIFEST, DATA.manifests.get(ConformanceFixture.MANAGEMENT)));
        }

        @Test
        @Order(4)
        @DisplayName("setup: GET of the tag list returns 200 with a JSON body (tags counted)")
        void managementSetupCountsTags() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            runOnlyIf(RUN_CONTENT_MANAGEMENT_SETUP);
            Response resp = client.request("GET", TAGS).send();
            expectStatus(resp, 200);
            numTags = strictTagsOf(resp).size();
        }

        @Test
        @Order(10)
        @DisplayName("manifests: DELETE by tag returns 202, or 400 UNSUPPORTED / 405 when tag deletion is not allowed")
        void deleteByTagReturns202() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            Response resp = client.request("DELETE", MANIFEST_BY_REFERENCE).reference(tagToDelete).send();
            expectStatus(resp, 400, 202, 405);
            if (resp.status() == 400) {
                expectEquals("UNSUPPORTED", errorCodes(resp).get(0), "first error code", resp);
            }
        }

        @Test
        @Order(11)
        @DisplayName("manifests: DELETE by digest returns 202, or 404 when already gone")
        void deleteByDigestReturns202() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            expectStatus(deleteManifest(DATA.manifests.get(ConformanceFixture.MANAGEMENT).digest()), 202, 404);
        }

        @Test
        @Order(12)
        @DisplayName("manifests: GET of the deleted manifest returns 404 (200 if deletion is disallowed)")
        void deletedManifestIsGone() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            expectStatus(client.request("GET", MANIFEST_BY_DIGEST)
                .digest(DATA.manifests.get(ConformanceFixture.MANAGEMENT).digest()).send(), 404, 200);
        }

        @Test
        @Order(13)
        @DisplayName("manifests: the tag list has one tag less (404 only if now empty)")
        void tagListReflectsDeletion() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            Response resp = client.request("GET", TAGS).send();
            expectStatus(resp, 404, 200);
            int expectTags = numTags - 1;
            if (resp.status() == 200) {
                expectEquals(expectTags, strictTagsOf(resp).size(), "number of tags", resp);
            }
            if (resp.status() == 404) {
                expectEquals(0, expectTags, "tags expected after the deletion (the list answered 404)", resp);
            }
        }

        @Test
        @Order(20)
        @DisplayName("blobs: DELETE of config and layer returns 202 (404 or 405 tolerated)")
        void deleteBlobsReturns202() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            runOnlyIf(RUN_CONTENT_MANAGEMENT_SETUP);
            expectStatus(deleteBlob(DATA.configs.get(ConformanceFixture.MANAGEMENT).digest()), 202, 404, 405);
            Response resp = deleteBlob(DATA.layer.digest());
            expectStatus(resp, 202, 404, 405);
            if (resp.status() == 405) {
                blobDeleteAllowed = false;
            }
        }

        @Test
        @Order(21)
        @DisplayName("blobs: GET of the deleted blob returns 404")
        void deletedBlobIsGone() {
            skipIfDisabled(CONTENT_MANAGEMENT);
            runOnlyIf(RUN_CONTENT_MANAGEMENT_SETUP);
            runOnlyIf(blobDeleteAllowed);
            expectStatus(client.request("GET", BLOB).digest(DATA.configs.get(ConformanceFixture.MANAGEMENT).digest()).send(), 404);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Shared requests
    // ------------------------------------------------------------------------------------------------

    /** POST an upload session, then PUT the whole blob to its Location; the PUT must be 2xx. */
    private static void pushBlobMonolithic(Blob blob) {
        Response post = client.request("POST", UPLOADS).send();
        Response put = client.request("PUT", post.relativeLocation())
            .query("digest", blob.digest())
            .header("Content-Type", OCTET_STREAM)
            .header("Content-Length", blob.length())
            .body(blob.content()).send();
        if (put.status() < 200 || put.status() >= 300) {
            fail("expected 2xx\n" + put.describe() + "\nafter\n" + post.describe());
        }
    }

    private static Response putManifest(String reference, String contentType, Blob manifest) {
        return client.request("PUT", MANIFEST_BY_REFERENCE).reference(reference)
            .header("Content-Type", contentType)
            .body(manifest.content()).send();
    }

    private static Response deleteManifest(String digest) {
        return client.request("DELETE", MANIFEST_BY_DIGEST).digest(digest).send();
    }

    private static Response deleteBlob(String digest) {
        return client.request("DELETE", BLOB).digest(digest).send();
    }

    /** The suite's lenient tag list reading: anything unparseable is an empty list. */
    private static List<String> tagsOf(Response resp) {
        try {
            return stringList(StrictJson.parse(resp.body()));
        } catch (IllegalArgumentException e) {
            return new ArrayList<>();
        }
    }

    /** Tag list reading where an unparseable body fails the check. */
    private static List<String> strictTagsOf(Response resp) {
        try {
            StrictJson json = StrictJson.parse(resp.text().strip());
            StrictJson tags = json.get("tags");
            if (!json.isObject() && !json.isNull() || !(tags.isMissing() || tags.isNull() || tags.isArray())) {
                throw new IllegalArgumentException("not a tag list");
            }
            return stringList(json);
        } catch (IllegalArgumentException e) {
            fail("tag list body does not parse: " + e.getMessage() + "\n" + resp.describe());
            return List.of();
        }
    }

    private static List<String> stringList(StrictJson json) {
        StrictJson tags = json.get("tags");
        if (tags.isMissing() || tags.isNull()) {
            return new ArrayList<>();
        }
        if (!tags.isArray()) {
            throw new IllegalArgumentException("tags is not an array");
        }
        List<String> out = new ArrayList<>();
        for (StrictJson tag : tags.elements()) {
            if (!tag.isString()) {
                throw new IllegalArgumentException("tag is not a string");
            }
            out.add(tag.asString(""));
        }
        return out;
    }

    /** The {@code manifests} of an image index body, failing the check when the body does not parse as one. */
    private static List<StrictJson> referrers(Response resp) {
        try {
            StrictJson index = StrictJson.parse(resp.body());
            if (!index.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            StrictJson manifests = index.get("manifests");
            if (manifests.isMissing() || manifests.isNull()) {
                return List.of();
            }
            if (!manifests.isArray()) {
                throw new IllegalArgumentException("manifests is not an array");
            }
            for (StrictJson descriptor : manifests.elements()) {
                StrictJson annotations = descriptor.get("annotations");
                if (!descriptor.isObject() || !(annotations.isMissing() || annotations.isNull() || annotations.isObject())) {
                    throw new IllegalArgumentException("malformed descriptor " + descriptor);
                }
            }
            return manifests.elements();
        } catch (IllegalArgumentException e) {
            fail("referrers body is not an image index: " + e.getMessage() + "\n" + resp.describe());
            return List.of();
        }
    }

    /** The codes of an OCI error body; fails when the body is not one or lists no errors. */
    private static List<String> errorCodes(Response resp) {
        try {
            StrictJson body = StrictJson.parse(resp.text().strip());
            List<String> codes = body.get("errors").elements().stream()
                .map(e -> e.get("code").asString(""))
                .collect(Collectors.toList());
            if (codes.isEmpty()) {
                throw new IllegalArgumentException("body was valid json but could not be parsed");
            }
            return codes;
        } catch (IllegalArgumentException e) {
            fail("error body does not parse: " + e.getMessage() + "\n" + resp.describe());
            return List.of();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Assertions (each failure message carries the exchange)
    // ------------------------------------------------------------------------------------------------

    private static void expectStatus(Response resp, int... allowed) {
        expectStatus(resp, allowed, null);
    }

    private static void expectStatus(Response resp, int allowed, Response before) {
        expectStatus(resp, new int[] {allowed}, before);
    }

    private static void expectStatus(Response resp, int allowed1, int allowed2, Response before) {
        expectStatus(resp, new int[] {allowed1, allowed2}, before);
    }

    private static void expectStatus(Response resp, int[] allowed, Response before) {
        if (Arrays.stream(allowed).noneMatch(s -> s == resp.status())) {
            fail("expected status " + Arrays.toString(allowed) + " but got " + resp.status() + "\n" + resp.describe()
                + (before == null ? "" : "\nafter\n" + before.describe()));
        }
    }

    private static void expect2xx(Response resp) {
        expect2xxOr(resp);
    }

    private static void expect2xxOr(Response resp, int... others) {
        boolean ok = resp.status() >= 200 && resp.status() < 300 || Arrays.stream(others).anyMatch(s -> s == resp.status());
        if (!ok) {
            fail("expected 2xx" + (others.length == 0 ? "" : " or " + Arrays.toString(others)) + " but got "
                + resp.status() + "\n" + resp.describe());
        }
    }

    private static void expectHeader(Response resp, String header, String expected) {
        expectEquals(expected, resp.headerValue(header), "header " + header, resp);
    }

    private static void expectOptionalHeader(Response resp, String header, String expected) {
        if (!resp.headerValue(header).isEmpty()) {
            expectHeader(resp, header, expected);
        }
    }

    private static void expectNotEmpty(String value, String what, Response resp) {
        expectNotEmpty(value, what, resp, null);
    }

    private static void expectNotEmpty(String value, String what, Response resp, Response before) {
        if (value == null || value.isEmpty()) {
            fail(what + " should not be empty\n" + resp.describe() + (before == null ? "" : "\nafter\n" + before.describe()));
        }
    }

    private static void expectEquals(Object expected, Object actual, String what, Response resp) {
        if (!Objects.equals(expected, actual)) {
            fail(what + ": expected <" + expected + "> but was <" + actual + ">" + (resp == null ? "" : "\n" + resp.describe()));
        }
    }

    private static void check(boolean condition, String message, Response resp) {
        if (!condition) {
            fail(message + "\n" + resp.describe());
        }
    }

    private static void requirePrevious(Response previous) {
        if (previous == null) {
            fail("no response from the previous step to continue from");
        }
    }

    private static void skipIfDisabled(boolean workflowEnabled) {
        Assumptions.assumeTrue(workflowEnabled, "workflow disabled by its OCI_TEST_* setting");
    }

    private static void runOnlyIf(boolean condition) {
        Assumptions.assumeTrue(condition, "not applicable with these settings or after the previous answer");
    }

    // ------------------------------------------------------------------------------------------------
    // Settings
    // ------------------------------------------------------------------------------------------------

    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }

    private static String settingOr(String name, String fallback) {
        String value = setting(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static boolean workflowEnabled(String name) {
        String value = setting(name);
        return value == null || Boolean.TRUE.equals(parseBool(value));
    }

    /** Go's {@code strconv.ParseBool}; null when the value is not a boolean. */
    private static Boolean parseBool(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static boolean notEmpty(String value) {
        return value != null && !value.isEmpty();
    }

    private static String emptyToNull(String value) {
        return notEmpty(value) ? value : null;
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("wharf-conformance-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String USER_AGENT = "distribution-spec-conformance-tests";

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    /**
     * Numbers the exchanges in the test output, so their order can be followed across test reports, prints them
     * whole with {@code OCI_DEBUG}, and appends them to {@code target/oci-conformance-transcript.log} (relative to
     * the module, where Maven runs tests), which each run starts afresh; no file when there is no {@code target}.
     */
    private static final class Transcript implements java.util.function.Consumer<Response> {

        private final java.util.concurrent.atomic.AtomicInteger sequence = new java.util.concurrent.atomic.AtomicInteger();
        private final boolean debug;
        private boolean started;

        Transcript(boolean debug) {
            this.debug = debug;
        }

        @Override
        public synchronized void accept(Response response) {
            int n = sequence.incrementAndGet();
            System.out.println("[oci " + n + "] " + response.method() + " " + response.uri() + " -> " + response.status());
            if (debug) {
                System.out.println(response.describe());
            }
            Path target = Path.of("target");
            if (!Files.isDirectory(target)) {
                return;
            }
            try {
                Files.writeString(target.resolve("oci-conformance-transcript.log"), "#" + n + " " + response.describe() + "\n\n",
                    java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    started ? java.nio.file.StandardOpenOption.APPEND : java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.StandardOpenOption.WRITE);
                started = true;
            } catch (IOException e) {
                // the transcript is a convenience; the assertion messages carry the exchanges anyway
            }
        }
    }
}
