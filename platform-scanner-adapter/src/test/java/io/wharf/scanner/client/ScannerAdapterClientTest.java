package io.wharf.scanner.client;

import io.wharf.testkit.scanner.ScannerAdapterEmulator;
import io.wharf.testkit.scanner.ScannerAdapterEmulator.ScanRequestRecord;
import io.wharf.testkit.scanner.ScannerAdapterEmulator.Vulnerability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The adapter protocol client against the emulator: metadata versions, scans, report polling, errors, auth, timeouts. */
class ScannerAdapterClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ScannerAdapterEmulator adapter = ScannerAdapterEmulator.start().pullOnScan(false); // the protocol only: no registry behind the requests
    private final ScannerAdapterClients clients = new ScannerAdapterClients(ScannerProperties.defaults());

    @AfterEach
    void stop() {
        adapter.close();
    }

    private ScannerAdapterClient client() {
        return client(AuthType.NONE, null);
    }

    private ScannerAdapterClient client(AuthType auth, String credential) {
        return clients.client(new AdapterEndpoint(adapter.url(), auth, credential, false));
    }

    private static ScanRequest request() {
        return new ScanRequest("http://wharf.test:8080", "Basic c2Nhbm5lcjpzM2NyZXQ=", "team/app",
            "sha256:" + "a".repeat(64), "1.0", "application/vnd.oci.image.manifest.v1+json", List.of());
    }

    @Test
    void readsMetadataOfVersion11() {
        adapter.scanner("Trivy", "Aqua Security", "0.50.1").sbom(true);

        AdapterMetadata metadata = client().metadata();

        assertThat(metadata.scanner()).isEqualTo(new AdapterMetadata.Scanner("Trivy", "Aqua Security", "0.50.1"));
        assertThat(metadata.produces(AdapterMetadata.VULNERABILITY_REPORT)).isTrue();
        assertThat(metadata.offersSbom()).isTrue();
        assertThat(metadata.produces(AdapterMetadata.SBOM_REPORT)).isTrue();
        assertThat(metadata.properties()).containsKey("harbor.scanner-adapter/scanner-type");
        assertThat(adapter.requests().get(0).header("Accept"))
            .contains("application/vnd.scanner.adapter.metadata+json; version=1.1")
            .contains("application/vnd.scanner.adapter.metadata+json; version=1.0");
    }

    @Test
    void acceptsMetadataOfVersion10WithoutCapabilityTypes() {
        adapter.metadataVersion("1.0");

        AdapterMetadata metadata = client().metadata();

        assertThat(metadata.capabilities()).singleElement().satisfies(c -> assertThat(c.type()).isNull());
        assertThat(metadata.offersSbom()).isFalse();
    }

    @Test
    void refusesMetadataOfAnUnknownVersion() {
        adapter.metadataVersion("2.0");

        assertThatThrownBy(() -> client().metadata()).isInstanceOf(ScannerAdapterException.class)
            .hasMessageContaining("version=2.0")
            .satisfies(e -> assertThat(((ScannerAdapterException) e).reason()).isEqualTo(ScannerAdapterException.Reason.BAD_RESPONSE));
    }

    @Test
    void sendsAScanRequestOfVersion11AndReadsTheId() {
        String id = client().scan(new ScanRequest("http://wharf.test:8080", "Basic c2Nhbm5lcjpzM2NyZXQ=", "team/app",
            "sha256:" + "a".repeat(64), "1.0", "application/vnd.oci.image.manifest.v1+json",
            List.of(new ScanRequest.EnabledCapability("vulnerability", List.of(AdapterMetadata.VULNERABILITY_REPORT)))));

        ScanRequestRecord received = adapter.scanRequests().get(0);
        assertThat(id).isEqualTo(received.id());
        assertThat(received.contentType()).isEqualTo("application/vnd.scanner.adapter.scan.request+json; version=1.1");
        assertThat(received.registryUrl()).isEqualTo("http://wharf.test:8080");
        assertThat(received.authorization()).isEqualTo("Basic c2Nhbm5lcjpzM2NyZXQ=");
        assertThat(received.repository()).isEqualTo("team/app");
        assertThat(received.tag()).isEqualTo("1.0");
        assertThat(received.mimeType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(received.body().path("enabled_capabilities").path(0).path("type").asString()).isEqualTo("vulnerability");
    }

    @Test
    void aRefusedScanRequestCarriesTheAdaptersMessage() {
        adapter.failWith(500, "database not loaded");

        assertThatThrownBy(() -> client().scan(request())).isInstanceOf(ScannerAdapterException.class)
            .hasMessageContaining("500").hasMessageContaining("database not loaded");
    }

    @Test
    void aReportIsNotReadyWithRefreshAfterThenReady() {
        adapter.refreshAfter(7).vulnerabilities(List.of(new Vulnerability("CVE-2024-1", "openssl", "3.0.1", "3.0.2", "Critical")));
        ScannerAdapterClient client = client();
        String id = client.scan(request());

        assertThat(client.report(id, AdapterMetadata.VULNERABILITY_REPORT)).isEqualTo(new ScanReport.NotReady(Duration.ofSeconds(7)));
        adapter.markReady(id);
        ScanReport report = client.report(id, AdapterMetadata.VULNERABILITY_REPORT);

        assertThat(report).isInstanceOf(ScanReport.Ready.class);
        ScanReport.Ready ready = (ScanReport.Ready) report;
        assertThat(ready.mimeType()).isEqualTo(AdapterMetadata.VULNERABILITY_REPORT);
        JsonNode json = JSON.readTree(ready.json());
        assertThat(json.path("severity").asString()).isEqualTo("Critical");
        assertThat(json.path("vulnerabilities").path(0).path("fix_version").asString()).isEqualTo("3.0.2");
        assertThat(adapter.requests().get(adapter.requests().size() - 1).header("Accept"))
            .startsWith(AdapterMetadata.VULNERABILITY_REPORT);
    }

    @Test
    void withoutRefreshAfterTheDefaultApplies() {
        adapter.refreshAfter(null).readyAfterPolls(1);
        ScannerAdapterClient client = client();
        String id = client.scan(request());

        assertThat(client.report(id, AdapterMetadata.VULNERABILITY_REPORT))
            .isEqualTo(new ScanReport.NotReady(ScannerProperties.defaults().defaultRefreshAfter()));
        assertThat(client.report(id, AdapterMetadata.VULNERABILITY_REPORT)).isInstanceOf(ScanReport.Ready.class);
    }

    @Test
    void aFailedScanIsAFailedReportWithTheAdaptersMessage() {
        ScannerAdapterClient client = client();
        String id = client.scan(request());
        adapter.reportFailure("cannot pull the image: 401");

        assertThat(client.report(id, AdapterMetadata.VULNERABILITY_REPORT))
            .isEqualTo(new ScanReport.Failed(500, "cannot pull the image: 401", true));
        assertThat(client.report("no-such-id", AdapterMetadata.VULNERABILITY_REPORT))
            .isInstanceOf(ScanReport.Failed.class).extracting(r -> ((ScanReport.Failed) r).status()).isEqualTo(404);

        adapter.reportFailure(null).reportStatus(502);
        assertThat(client.report(id, AdapterMetadata.VULNERABILITY_REPORT))
            .as("no error body: not the adapter's word").isEqualTo(new ScanReport.Failed(502, "HTTP 502", false));
    }

    @Test
    void aReportLargerThanTheCapIsRefused() {
        ScannerAdapterClient small = new ScannerAdapterClients(new ScannerProperties(Duration.ofSeconds(5), Duration.ofSeconds(30),
            DataSize.ofBytes(100), Duration.ofSeconds(10))).client(new AdapterEndpoint(adapter.url(), AuthType.NONE, null, false));
        String id = small.scan(request());
        adapter.markReady(id);

        assertThatThrownBy(() -> small.report(id, AdapterMetadata.VULNERABILITY_REPORT))
            .isInstanceOf(ScannerAdapterException.class).hasMessageContaining("more than 100 bytes");
    }

    @Test
    void sendsEachAuthTypesHeader() {
        adapter.requireAuth("Basic", "wharf:s3cret");
        client(AuthType.BASIC, "wharf:s3cret").metadata();
        assertThat(last().header("Authorization"))
            .isEqualTo("Basic " + Base64.getEncoder().encodeToString("wharf:s3cret".getBytes(StandardCharsets.UTF_8)));

        adapter.requireAuth("Bearer", "tok3n");
        client(AuthType.BEARER, "tok3n").metadata();
        assertThat(last().header("Authorization")).isEqualTo("Bearer tok3n");

        adapter.requireAuth("X-ScannerAdapter-API-Key", "k3y");
        client(AuthType.API_KEY, "k3y").metadata();
        assertThat(last().header("X-ScannerAdapter-API-Key")).isEqualTo("k3y");
        assertThat(last().header("Authorization")).isEmpty();

        adapter.requireAuth("", "");
        client().metadata();
        assertThat(last().headers()).doesNotContainKeys("authorization", "x-scanneradapter-api-key");
    }

    @Test
    void aRefusedCredentialIsUnauthorized() {
        adapter.requireAuth("Bearer", "right");

        assertThatThrownBy(() -> client(AuthType.BEARER, "wrong").metadata()).isInstanceOf(ScannerAdapterException.class)
            .satisfies(e -> assertThat(((ScannerAdapterException) e).reason()).isEqualTo(ScannerAdapterException.Reason.UNAUTHORIZED))
            .hasMessageContaining("401");
    }

    @Test
    void aSlowAdapterTimesOut() {
        adapter.hang(Duration.ofSeconds(30));
        ScannerAdapterClient client = new ScannerAdapterClients(new ScannerProperties(Duration.ofSeconds(2),
            Duration.ofMillis(300), DataSize.ofMegabytes(1), Duration.ofSeconds(10)))
            .client(new AdapterEndpoint(adapter.url(), AuthType.NONE, null, false));

        assertThatThrownBy(client::metadata).isInstanceOf(ScannerAdapterException.class)
            .satisfies(e -> assertThat(((ScannerAdapterException) e).reason()).isEqualTo(ScannerAdapterException.Reason.TIMEOUT));
    }

    @Test
    void anUnreachableAdapterIsUnreachable() {
        URI closed = adapter.url();
        adapter.close();

        assertThatThrownBy(() -> clients.client(new AdapterEndpoint(closed, AuthType.NONE, null, false)).metadata())
            .isInstanceOf(ScannerAdapterException.class)
            .satisfies(e -> assertThat(((ScannerAdapterException) e).reason()).isEqualTo(ScannerAdapterException.Reason.UNREACHABLE));
    }

    @Test
    void aRedirectToAnotherOriginNeverCarriesTheCredential() {
        try (ScannerAdapterEmulator other = ScannerAdapterEmulator.start()) {
            other.scanner("Elsewhere", "x", "1");
            adapter.redirectMetadataTo(other.url());

            AdapterMetadata metadata = client(AuthType.BEARER, "s3cret").metadata();

            assertThat(metadata.scanner().name()).isEqualTo("Elsewhere");
            assertThat(last().header("Authorization")).isEqualTo("Bearer s3cret");
            assertThat(other.requests()).singleElement().satisfies(r -> assertThat(r.header("Authorization")).isEmpty());
        }
    }

    @Test
    void theCredentialNeverShowsInToString() {
        assertThat(new AdapterEndpoint(adapter.url(), AuthType.BEARER, "s3cret", false).toString()).doesNotContain("s3cret");
        assertThat(request().toString()).doesNotContain("c2Nhbm5lcjpzM2NyZXQ=");
    }

    private ScannerAdapterEmulator.LoggedRequest last() {
        List<ScannerAdapterEmulator.LoggedRequest> requests = adapter.requests();
        return requests.get(requests.size() - 1);
    }
}
