package io.wharf.api.v2;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.api.WharfNodes;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.testing.TestProjects;
import io.wharf.testkit.TestAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Wharf nodes that share one PostgreSQL schema and one store, as behind a load balancer: the
 * requests of one upload may land on either node.
 */
class TwoNodeUploadIT {

    private static WharfNodes nodes;
    private static RegistryClient nodeA;
    private static RegistryClient nodeB;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        nodes = WharfNodes.start(2, TestAccounts.argument());
        TestProjects.ensure(nodes.node(0).getBean(ProjectService.class), "nodes");
        nodeA = RegistryClient.forPort(nodes.port(0)).asAdmin();
        nodeB = RegistryClient.forPort(nodes.port(1)).asAdmin();
    }

    @AfterAll
    static void stopNodes() {
        nodes.close();
    }

    @Test
    void continuesAChunkedUploadOnAnotherNode() {
        byte[] content = "chunk one on node A|chunk two on node B|chunk three on A".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        String location = nodeA.send("POST", "/v2/nodes/chunked/blobs/uploads/").headers().firstValue("Location").orElseThrow();

        assertThat(nodeA.send("PATCH", location, Arrays.copyOfRange(content, 0, 20), Map.of("Content-Range", "0-19")).statusCode()).isEqualTo(202);
        Response onB = nodeB.send("PATCH", location, Arrays.copyOfRange(content, 20, 40), Map.of("Content-Range", "20-39"));
        assertThat(onB.statusCode()).isEqualTo(202);
        assertThat(onB.headers().firstValue("Range")).contains("0-39");
        assertThat(nodeA.get(location).headers().firstValue("Range")).contains("0-39");
        assertThat(nodeA.send("PATCH", location, Arrays.copyOfRange(content, 40, content.length),
            Map.of("Content-Range", "40-" + (content.length - 1))).statusCode()).isEqualTo(202);

        Response put = nodeB.send("PUT", location + "?digest=" + digest, null, Map.of());
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(nodeA.get("/v2/nodes/chunked/blobs/" + digest).body()).isEqualTo(content);
        assertThat(nodeB.get("/v2/nodes/chunked/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void lettingOnlyOneOfTwoRacingChunksWin() throws Exception {
        String location = nodeA.send("POST", "/v2/nodes/race/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        byte[] fromA = "AAAAAAAAAA".getBytes(StandardCharsets.UTF_8);
        byte[] fromB = "BBBBBBBBBB".getBytes(StandardCharsets.UTF_8);
        CyclicBarrier barrier = new CyclicBarrier(2);
        CompletableFuture<Response> a = CompletableFuture.supplyAsync(() -> {
            await(barrier);
            return nodeA.send("PATCH", location, fromA, Map.of("Content-Range", "0-9"));
        });
        CompletableFuture<Response> b = CompletableFuture.supplyAsync(() -> {
            await(barrier);
            return nodeB.send("PATCH", location, fromB, Map.of("Content-Range", "0-9"));
        });
        List<Integer> statuses = List.of(a.get().statusCode(), b.get().statusCode());
        assertThat(statuses).containsExactlyInAnyOrder(202, 416);
        byte[] winner = a.get().statusCode() == 202 ? fromA : fromB;

        Response put = nodeB.send("PUT", location + "?digest=" + Digest.sha256(winner), null, Map.of());
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(nodeA.get("/v2/nodes/race/blobs/" + Digest.sha256(winner)).body()).isEqualTo(winner);
    }

    @Test
    void seesManifestsPushedThroughTheOtherNode() {
        TestImage image = nodeA.pushImage("nodes/image", "v1", "two-nodes");
        Response get = nodeB.get("/v2/nodes/image/manifests/v1");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(image.manifestDigest());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
