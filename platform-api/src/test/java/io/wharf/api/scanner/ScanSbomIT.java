package io.wharf.api.scanner;

import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.scanner.ScannerAdapterEmulator;
import io.wharf.testkit.scanner.ScannerAdapterEmulator.ScanRequestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SBOM scans (Harbor's {@code scan_type: sbom}, the adapter spec 1.2's {@code sbom} capability): the
 * request names the capability, the SBOM media type and the SBOM report type; the report is stored
 * beside (never instead of) the vulnerability report and shown as {@code sbom_overview} and
 * {@code additions/sbom}; an adapter without the capability ends the scan as an error saying so.
 */
class ScanSbomIT extends ScanningIntegrationTest {

    static final String SBOM = ScannerAdapterEmulator.SBOM_REPORT;

    @AfterEach
    void noSbom() {
        adapter.sbom(false);
    }

    @Test
    void anSbomScanIsItsOwnJobAndReport() {
        adapter.sbom(true);
        String project = project(true);
        String repository = project + "/app";
        String digest = http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("sbom")));
        scanToEnd();
        assertThat(status(digest)).isEqualTo("Success");

        Response asked = http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of("scan_type", "sbom"));
        assertThat(asked.status()).as("%s", asked).isEqualTo(202);
        assertThat(http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of("scan_type", "sbom")).status())
            .as("deduplicated, still accepted").isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scan_job WHERE digest = ? AND scan_type = 'sbom'", Integer.class, digest))
            .isEqualTo(1);
        JsonNode pending = http.as(ADMIN).get(artifactPath(repository, "1.0") + "?with_sbom_overview=true").expect(200).json();
        assertThat(pending.path("sbom_overview").path("scan_status").asString()).isEqualTo("Pending");

        scanToEnd();
        ScanRequestRecord request = requestsFor(digest).get(requestsFor(digest).size() - 1);
        JsonNode capability = request.body().path("enabled_capabilities").path(0);
        assertThat(capability.path("type").asString()).isEqualTo("sbom");
        assertThat(capability.path("produces_mime_types").path(0).asString()).isEqualTo(SBOM);
        assertThat(capability.path("parameters").path("sbom_media_types").path(0).asString()).isEqualTo("application/spdx+json");

        JsonNode artifact = http.as(ADMIN).get(artifactPath(repository, "1.0") + "?with_sbom_overview=true&with_scan_overview=true")
            .expect(200).json();
        assertThat(artifact.path("sbom_overview").path("scan_status").asString()).isEqualTo("Success");
        assertThat(artifact.path("sbom_overview").path("scanner").path("name").asString()).isEqualTo("Emulated Trivy");
        assertThat(artifact.path("scan_overview").path(REPORT).path("severity").asString())
            .as("the vulnerability overview is still the vulnerability scan's").isEqualTo("High");
        assertThat(http.as(ADMIN).get(artifactPath(repository, "1.0")).json().has("sbom_overview")).isFalse();

        JsonNode sbom = http.as(ADMIN).get(artifactPath(repository, digest) + "/additions/sbom").expect(200).json();
        assertThat(sbom.path(SBOM).path("media_type").asString()).isEqualTo("application/spdx+json");
        assertThat(sbom.path(SBOM).path("sbom").path("spdxVersion").asString()).isEqualTo("SPDX-2.3");
        JsonNode vulnerabilities = http.as(ADMIN).get(artifactPath(repository, digest) + "/additions/vulnerabilities").expect(200).json();
        assertThat(vulnerabilities.has(SBOM)).isFalse();
        assertThat(vulnerabilities.path(REPORT).path("vulnerabilities").size()).isEqualTo(2);
    }

    @Test
    void theSbomIsReadByWhoeverMayPullThePrivateProject() {
        adapter.sbom(true);
        String project = project(false);
        String repository = project + "/app";
        http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("sbom")));
        http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of("scan_type", "sbom")).expect(202);
        scanToEnd();
        String guest = unique("guest");
        String outsider = unique("outsider");
        createUser(guest);
        createUser(outsider);
        addMember(project, guest, 3);
        String sbom = artifactPath(repository, "1.0") + "/additions/sbom";

        assertThat(http.as(user(guest)).get(sbom).expect(200).json().path(SBOM).path("sbom").path("spdxVersion").asString())
            .isEqualTo("SPDX-2.3");
        assertHarborError(http.anonymous().get(sbom), 401, "UNAUTHORIZED");
        assertThat(http.as(user(outsider)).get(sbom).status()).isIn(403, 404);
    }

    @Test
    void anAdapterWithoutSbomsEndsTheScanAsAnErrorAndBadTypesAreRefused() {
        String project = project(false);
        String repository = project + "/app";
        String digest = http.as(ADMIN).push(repository, "1.0", TestImage.simple(unique("nosbom")));
        http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of("scan_type", "sbom")).expect(202);
        worker.runDueJobs();
        assertThat(jdbc.queryForObject("SELECT status FROM scan_job WHERE digest = ? AND scan_type = 'sbom'", String.class, digest))
            .isEqualTo("Error");
        assertThat(jdbc.queryForObject("SELECT log FROM scan_job WHERE digest = ? AND scan_type = 'sbom'", String.class, digest))
            .contains("produces no SBOM");
        assertThat(http.as(ADMIN).get(artifactPath(repository, "1.0") + "?with_sbom_overview=true").json()
            .path("sbom_overview").path("scan_status").asString()).isEqualTo("Error");

        assertHarborError(http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan", Map.of("scan_type", "license")),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(artifactPath(repository, "1.0") + "/scan/stop", Map.of("scan_type", "sbom")),
            404, "NOT_FOUND");
    }
}
