package io.wharf.replication.upstream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Docker Hub name normalisation (R18, UPSTREAMS.md §1.3). */
class UpstreamNamesTest {

    @ParameterizedTest
    @CsvSource({
        "nginx, library/nginx",
        "library/nginx, library/nginx",
        "docker.io/nginx, library/nginx",
        "docker.io/library/nginx, library/nginx",
        "index.docker.io/library/nginx, library/nginx",
        "index.docker.io/nginx, library/nginx",
        "registry-1.docker.io/library/nginx, library/nginx",
        "registry-1.docker.io/bitnami/redis, bitnami/redis",
        "bitnami/redis, bitnami/redis",
        "hub.docker.com/_/nginx, library/nginx",
        "https://hub.docker.com/_/nginx/tags, library/nginx",
        "hub.docker.com/r/bitnami/redis, bitnami/redis",
        "https://hub.docker.com/r/bitnami/redis/tags?page=1, bitnami/redis",
        "'  nginx  ', library/nginx",
        "docker.io/a/b/c, a/b/c",
    })
    void normalisesLikeDistributionReference(String input, String canonical) {
        assertThat(UpstreamClient.normalize(input)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nginx:latest", "library/nginx@sha256:abc", "ghcr.io/owner/app", "localhost/app",
        "localhost:5000/app", "hub.docker.com/u/bitnami", "hub.docker.com/_/"})
    void refusesWhatIsNotADockerHubRepositoryName(String input) {
        assertThatThrownBy(() -> UpstreamClient.normalize(input)).isInstanceOf(IllegalArgumentException.class);
    }
}
