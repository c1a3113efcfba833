package io.wharf.api.v2;

import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code wharf.registry.delete-enabled=false}, every delete is 405 {@code UNSUPPORTED} and changes nothing. */
@TestPropertySource(properties = "wharf.registry.delete-enabled=false")
class DeleteDisabledIT extends RegistryIntegrationTest {

    @Test
    void refusesEveryDelete() {
        TestImage image = client.pushImage("nodelete/app", "v1", "no-delete");
        var before = state();
        for (String path : new String[] {"/manifests/v1", "/manifests/" + image.manifestDigest(), "/blobs/" + image.layerDigest()}) {
            Response response = client.send("DELETE", "/v2/nodelete/app" + path);
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"code\":\"UNSUPPORTED\"");
        }
        assertThat(state()).isEqualTo(before);
        assertThat(client.get("/v2/nodelete/app/manifests/v1").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesEveryDeleteThroughTheApiToo() {
        TestImage image = client.pushImage("nodelete/api", "v1", "no-delete through the API");
        String repository = "/api/v2.0/projects/nodelete/repositories/api";
        var before = state();
        for (String path : new String[] {"/artifacts/v1", "/artifacts/" + image.manifestDigest(),
            "/artifacts/" + image.manifestDigest() + "/tags/v1", ""}) {
            Response response = client.delete(repository + path);
            assertThat(response.statusCode()).as("%s", response).isEqualTo(405);
            assertThat(response.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
        }
        assertThat(state()).isEqualTo(before);
    }
}
