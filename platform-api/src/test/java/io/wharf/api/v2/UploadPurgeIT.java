package io.wharf.api.v2;

import io.wharf.core.registry.BlobUploadService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Abandoned uploads are purged with their data; live ones are kept. */
class UploadPurgeIT extends RegistryIntegrationTest {

    @Autowired
    BlobUploadService uploads;

    @Test
    void purgesStaleUploadsAndOrphanedUploadData() throws Exception {
        String stale = client.send("POST", "/v2/purge/test/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        client.send("PATCH", stale, "abandoned".getBytes(StandardCharsets.UTF_8), Map.of());
        String live = client.send("POST", "/v2/purge/test/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        client.send("PATCH", live, "in progress".getBytes(StandardCharsets.UTF_8), Map.of());
        UUID staleId = UUID.fromString(stale.substring(stale.lastIndexOf('/') + 1));
        UUID liveId = UUID.fromString(live.substring(live.lastIndexOf('/') + 1));
        jdbc.update("UPDATE upload_session SET updated_at = updated_at - INTERVAL '2 days' WHERE id = ?", staleId);
        UUID orphan = UUID.randomUUID();
        driver.write("uploads/" + orphan + "/0000000000000000000-x", new ByteArrayInputStream(new byte[] {1, 2, 3}));

        int purged = uploads.purgeStaleUploads();

        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(client.get(stale).statusCode()).isEqualTo(404);
        assertThat(driver.list("uploads/" + staleId)).isEmpty();
        assertThat(driver.list("uploads/" + orphan)).isEmpty();
        assertThat(client.get(live).statusCode()).isEqualTo(204);
        assertThat(driver.list("uploads/" + liveId)).hasSize(1);
    }
}
