package io.wharf.api.v2;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.api.ApiTestApplication;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.iam.ProjectService;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.S3ProxyServer;
import io.wharf.core.testing.TestProjects;
import io.wharf.testkit.TestAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;

import static io.wharf.testkit.TestImage.OCI_MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;

/** The registry with {@code wharf.storage.driver=minio} against a real S3-compatible server (s3proxy). */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MinioRegistryIT {

    private static final String BUCKET = "wharf-registry";
    private static final S3ProxyServer S3 = start();

    @LocalServerPort
    int port;

    @Autowired
    ProjectService projects;

    RegistryClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", () -> createTemp("wharf-minio-data"));
        registry.add("wharf.storage.driver", () -> "minio");
        registry.add("wharf.storage.minio.endpoint", S3::endpoint);
        registry.add("wharf.storage.minio.bucket", () -> BUCKET);
        registry.add("wharf.storage.minio.access-key", () -> S3ProxyServer.ACCESS_KEY);
        registry.add("wharf.storage.minio.secret-key", () -> S3ProxyServer.SECRET_KEY);
        registry.add("wharf.storage.minio.region", () -> "us-east-1");
        registry.add("wharf.storage.minio.part-size", () -> String.valueOf(5 * 1024 * 1024));
        registry.add("wharf.storage.minio.redirect", () -> "true");
    }

    @AfterAll
    static void stop() throws Exception {
        S3.close();
    }

    @BeforeEach
    void client() {
        TestProjects.ensure(projects, "minio");
        client = RegistryClient.forPort(port).asAdmin();
    }

    @Test
    void pushesChunkedAndPullsThroughARedirect() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + (i >> 9));
        }
        Digest digest = Digest.sha256(content);
        String location = client.send("POST", "/v2/minio/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        int third = content.length / 3;
        for (int start = 0; start < content.length; start += third) {
            int end = Math.min(content.length, start + third);
            Response patch = client.send("PATCH", location, Arrays.copyOfRange(content, start, end),
                Map.of("Content-Range", start + "-" + (end - 1)));
            assertThat(patch.statusCode()).isEqualTo(202);
        }
        assertThat(client.send("PUT", location + "?digest=" + digest, null, Map.of()).statusCode()).isEqualTo(201);

        Response redirect = client.get("/v2/minio/app/blobs/" + digest);
        assertThat(redirect.statusCode()).isEqualTo(307);
        assertThat(redirect.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());
        String url = redirect.headers().firstValue("Location").orElseThrow();
        Response fetched = client.anonymous().get(url);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(content);
        assertThat(S3.blobStore().list(BUCKET, org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix("blobs/").recursive()))
            .isNotEmpty();
        assertThat(S3.blobStore().list(BUCKET, org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix("uploads/").recursive()))
            .isEmpty();
    }

    @Test
    void pushesAndPullsAnImageAndDeletesIt() {
        TestImage image = client.pushImage("minio/image", "v1", "minio");
        Response manifest = client.get("/v2/minio/image/manifests/v1", "Accept", OCI_MANIFEST);
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(new String(manifest.body(), StandardCharsets.UTF_8)).isEqualTo(image.manifestText());
        assertThat(client.send("POST", "/v2/minio/other/blobs/uploads/?mount=" + image.layerDigest() + "&from=minio/image").statusCode())
            .isEqualTo(201);
        assertThat(client.send("DELETE", "/v2/minio/image/manifests/" + image.manifestDigest()).statusCode()).isEqualTo(202);
        assertThat(client.get("/v2/minio/image/manifests/v1").statusCode()).isEqualTo(404);
    }

    @Test
    void aWrongDigestLeavesNothingInTheBucket() {
        byte[] content = "will not match".getBytes(StandardCharsets.UTF_8);
        Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        Response post = client.send("POST", "/v2/minio/wrong/blobs/uploads/?digest=" + wrong, content, Map.of());
        assertThat(post.statusCode()).isEqualTo(400);
        assertThat(S3.blobStore().blobExists(BUCKET, "blobs/sha256/" + wrong.hex().substring(0, 2) + "/" + wrong.hex() + "/data")).isFalse();
        assertThat(S3.blobStore().list(BUCKET, org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix("uploads/").recursive()))
            .isEmpty();
    }

    private static S3ProxyServer start() {
        try {
            return S3ProxyServer.start(Files.createTempDirectory("wharf-s3"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String createTemp(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
