package io.wharf.api.v2;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.wharf.testkit.TestImage.OCI_MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the hot paths cost the database (issue 13), counted on the JDBC connections of the request
 * threads ({@link SqlTransactions}), for a client that authenticates as docker does (a Bearer token
 * from the realm) and one that sends Basic credentials: a monolithic blob push (POST, then PUT with the
 * content) commits at most two transactions that write, of which only the one that commits the blob
 * waits for PostgreSQL to flush its log; a manifest PUT commits one; reads of blobs and manifests none
 * (pull counts and the audit log are written later, in batches, by other threads).
 */
@Import(TransactionBudgetIT.Counting.class)
class TransactionBudgetIT extends RegistryIntegrationTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Counting {
        @Bean
        static SqlTransactions sqlTransactions() {
            return new SqlTransactions();
        }
    }

    @Autowired
    SqlTransactions sql;

    @Test
    void aMonolithicPushCommitsTwoWritesAManifestPutOneAndReadsNone() {
        for (RegistryClient registry : List.of(client.withTokenFlow(), client)) {
            // the repository exists and the caches are warm, as for any push but a repository's first
            TestImage warm = registry.pushImage("proto/budget", "warm", "warm " + System.nanoTime());
            registry.getManifest("proto/budget", "warm", OCI_MANIFEST).expect(200);
            registry.getBlob("proto/budget", warm.layerDigest()).expect(200);

            byte[] blob = ("a blob " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
            List<SqlTransactions.Transaction> push = writes(() -> registry.pushBlob("proto/budget", blob));
            assertThat(push).as("a monolithic blob push").hasSizeLessThanOrEqualTo(2);
            assertThat(push).as("a monolithic blob push waits for one WAL flush (the upload session's commit does not)")
                .filteredOn(SqlTransactions.Transaction::durable).hasSize(1);

            TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), System.nanoTime(), 100);
            registry.pushBlob("proto/budget", image.config());
            registry.pushBlob("proto/budget", image.layer());
            assertThat(writes(() -> registry.putManifest("proto/budget", "t1", OCI_MANIFEST, image.manifest()).expect(201)))
                .as("a manifest PUT").hasSize(1);

            assertThat(writes(() -> registry.getManifest("proto/budget", "t1", OCI_MANIFEST).expect(200))).as("manifest GET by tag").isEmpty();
            assertThat(writes(() -> registry.headManifest("proto/budget", "t1", OCI_MANIFEST).expect(200))).as("manifest HEAD").isEmpty();
            assertThat(writes(() -> registry.getManifest("proto/budget", image.manifestDigest(), OCI_MANIFEST).expect(200)))
                .as("manifest GET by digest").isEmpty();
            assertThat(writes(() -> registry.getBlob("proto/budget", image.layerDigest()).expect(200))).as("blob GET").isEmpty();
            assertThat(writes(() -> registry.head("/v2/proto/budget/blobs/" + image.layerDigest()).expect(200))).as("blob HEAD").isEmpty();
        }
        assertThat(writes(() -> client.token("repository:proto/budget:pull,push"))).as("a token").isEmpty();
    }

    @Test
    void aPullReadsTheManifestIndexInOneQuery() {
        RegistryClient registry = client.withTokenFlow();
        TestImage image = registry.pushImage("proto/reads", "t1", "reads " + System.nanoTime());
        registry.getManifest("proto/reads", "t1", OCI_MANIFEST).expect(200);
        registry.getBlob("proto/reads", image.layerDigest()).expect(200);

        // the repository, the tag and the manifest in one join; the project's pull policy in a second
        assertThat(statements(() -> registry.getManifest("proto/reads", "t1", OCI_MANIFEST).expect(200))).as("manifest GET by tag")
            .hasSize(2).anySatisfy(sql -> assertThat(sql).containsPattern("\\btag\\s+\\w+").containsPattern("\\brepository\\s+\\w+")
                .containsPattern("\\bmanifest\\s+\\w+"));
        assertThat(statements(() -> registry.getManifest("proto/reads", image.manifestDigest(), OCI_MANIFEST).expect(200)))
            .as("manifest GET by digest").hasSize(2);
        assertThat(statements(() -> registry.headManifest("proto/reads", "t1", OCI_MANIFEST).expect(200))).as("manifest HEAD by tag").hasSize(1);
        assertThat(statements(() -> registry.head("/v2/proto/reads/blobs/" + image.layerDigest()).expect(200))).as("blob HEAD").hasSize(1);
        // a miss asks once more, to tell an unknown repository from an unknown manifest
        assertThat(registry.getManifest("proto/reads", "nothing", OCI_MANIFEST).expect(404).text()).contains("MANIFEST_UNKNOWN");
        assertThat(registry.getManifest("proto/no-such-repository", "t1", OCI_MANIFEST).expect(404).text()).contains("NAME_UNKNOWN");
    }

    @Test
    void aManifestPutChecksItsBlobsInOneQueryWhateverTheNumberOfLayers() {
        RegistryClient registry = client.withTokenFlow();
        registry.pushImage("proto/layers", "warm", "layers " + System.nanoTime());
        TestImage one = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), System.nanoTime(), 100);
        TestImage five = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), System.nanoTime(),
            100, 200, 300, 400, 500);
        for (TestImage image : List.of(one, five)) {
            registry.pushBlob("proto/layers", image.config());
            image.layers().forEach(layer -> registry.pushBlob("proto/layers", layer));
        }
        List<String> putOne = statements(() -> registry.putManifest("proto/layers", "one", OCI_MANIFEST, one.manifest()).expect(201));
        List<String> putFive = statements(() -> registry.putManifest("proto/layers", "five", OCI_MANIFEST, five.manifest()).expect(201));
        // one row of manifest_reference a blob, and otherwise the same statements
        assertThat(putFive.stream().filter(sql -> !sql.toLowerCase(java.util.Locale.ROOT).startsWith("insert into manifest_reference")))
            .as("a manifest PUT of five layers").hasSameSizeAs(
                putOne.stream().filter(sql -> !sql.toLowerCase(java.util.Locale.ROOT).startsWith("insert into manifest_reference")).toList());
    }

    /** The statements the request threads ran while {@code action} ran. */
    private List<String> statements(Runnable action) {
        writes(action);
        return sql.requestStatements();
    }

    /** The transactions that wrote, of the request threads, while {@code action} ran (with their statements, for the message). */
    private List<SqlTransactions.Transaction> writes(Runnable action) {
        requests.clear();
        sql.clear();
        action.run();
        try {
            requests.awaitFinished(Duration.ofSeconds(30)); // what a request thread does after the answer counts too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return sql.requestWrites();
    }
}
