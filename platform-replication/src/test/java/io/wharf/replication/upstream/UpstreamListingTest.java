package io.wharf.replication.upstream;

import io.wharf.replication.upstream.UpstreamRegistry.Kind;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Repository and tag listings (UPSTREAMS.md §1.7, R26). */
@Timeout(60)
class UpstreamListingTest {

    private final UpstreamFixture fixture = new UpstreamFixture();
    private final TestImage image = TestImage.simple("listing");

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void dockerHubRepositoriesComeFromTheHubApiPageByPage() {
        List<String> expected = seedRepositories("acme", 250);
        fixture.hub.push("other/thing", "latest", image);

        List<String> listed = fixture.anonymous().repositories("acme");

        assertThat(listed).containsExactlyElementsOf(expected);
        assertThat(fixture.hub.requests(Role.HUB)).hasSize(3)
            .allSatisfy(r -> assertThat(r.path()).isEqualTo("/v2/repositories/acme/"))
            .extracting(r -> r.query())
            .containsExactly("page=1&page_size=100", "page=2&page_size=100", "page=3&page_size=100");
        assertThat(fixture.hub.count("GET", "/v2/_catalog")).isZero();
    }

    @Test
    void theDocumentedHubPathIsTheFallback() {
        List<String> expected = seedRepositories("acme", 120);
        fixture.hub.legacyHubListing(false);

        assertThat(fixture.anonymous().repositories("acme")).containsExactlyElementsOf(expected);
        assertThat(fixture.hub.requests(Role.HUB)).extracting(r -> r.path() + " " + r.status()).containsExactly(
            "/v2/repositories/acme/ 404", "/v2/namespaces/acme/repositories 200", "/v2/namespaces/acme/repositories 200");
    }

    @Test
    void dockerHubNeedsOneNamespace() {
        assertThatThrownBy(() -> fixture.anonymous().repositories(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fixture.anonymous().repositories("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(fixture.hub.requests()).isEmpty();
    }

    @Test
    void otherRegistriesAreListedThroughTheCatalogFilteredByNamespace() {
        fixture.hub.catalog(true);
        List<String> expected = seedRepositories("acme", 150);
        fixture.hub.push("acmeish/x", "latest", image);
        fixture.hub.push("zeta/x", "latest", image);
        UpstreamClient client = fixture.client(Kind.DOCKER_REGISTRY, null, null);

        assertThat(client.repositories("acme")).containsExactlyElementsOf(expected);
        assertThat(client.repositories(null)).hasSize(152);
        assertThat(fixture.hub.requests(Role.HUB)).isEmpty();
    }

    @Test
    void aRefusedCatalogIsAnError() {
        fixture.hub.push("acme/x", "latest", image);

        assertThatThrownBy(() -> fixture.client(Kind.DOCKER_REGISTRY, null, null).repositories("acme"))
            .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void tagsFollowLinkPages() {
        String digest = fixture.hub.push("library/nginx", "seed", image);
        IntStream.range(0, 249).forEach(i -> fixture.hub.tag("library/nginx", String.format("t%03d", i), digest));

        List<String> tags = fixture.anonymous().tags("nginx");

        assertThat(tags).hasSize(250).isSorted().contains("seed", "t000", "t248");
        assertThat(fixture.hub.requests(Role.REGISTRY)).filteredOn(r -> r.status() == 200)
            .extracting(r -> r.query()).containsExactly("n=100", "n=100&last=t098", "n=100&last=t198");
    }

    @Test
    void aMissingRepositoryHasNoTagsToList() {
        assertThatThrownBy(() -> fixture.anonymous().tags("nobody/missing")).isInstanceOf(UpstreamException.class);
    }

    private List<String> seedRepositories(String namespace, int count) {
        List<String> names = IntStream.range(0, count).mapToObj(i -> String.format("%s/repo-%03d", namespace, i)).toList();
        names.forEach(name -> fixture.hub.push(name, "latest", image));
        return names;
    }
}
