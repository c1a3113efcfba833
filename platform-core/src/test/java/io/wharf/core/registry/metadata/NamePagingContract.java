package io.wharf.core.registry.metadata;

import io.wharf.core.registry.Page;
import io.wharf.core.registry.RepositoryName;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyset paging of tags and repository names in the database, which must order by code point (the
 * OCI spec's lexical order) on every database the registry runs on: uppercase before lowercase,
 * {@code -} and {@code .} before digits. Extended once per database.
 */
@DataJpaTest(properties = "spring.flyway.locations=classpath:db/migration,classpath:db/vendor/{vendor}")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import({TagStore.class, RepositoryStore.class, io.wharf.core.TestClock.class})
abstract class NamePagingContract {

    /** Tag names the spec allows, in code-point order. */
    private static final List<String> TAGS = List.of(
        "1-0", "1.0", "1.0-rc", "10", "1_0", "9", "Latest", "V1.0", "Z", "_x", "a", "latest", "v1.0", "z");

    /** Repository names the spec allows, in code-point order. */
    private static final List<String> REPOSITORIES = List.of(
        "a-b", "a.b", "a/b", "a/b-c", "a/b/c", "a0", "a__b", "a_b", "ab", "b", "b-hidden/x", "c-hidden", "d", "e");

    @Autowired
    TagStore tags;

    @Autowired
    RepositoryStore repositories;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void pagesTagsByCodePoint() {
        long id = repositories.getOrCreate(new RepositoryName("paging/tags"));
        long manifest = manifest(id);
        // inserted in reverse so that no insertion order can pass for the sort
        for (String tag : reversed(TAGS)) {
            tags.tag(id, tag, manifest);
        }

        assertThat(tags.names(id, "", 100)).containsExactlyElementsOf(TAGS);
        assertThat(tags.names(id, "Latest", 3)).containsExactly("V1.0", "Z", "_x");
        assertThat(pages(3, (after, limit) -> tags.names(id, after, limit), tag -> true)).containsExactly(
            TAGS.subList(0, 3), TAGS.subList(3, 6), TAGS.subList(6, 9), TAGS.subList(9, 12), TAGS.subList(12, 14));
    }

    @Test
    void pagesTheCatalogByCodePointSkippingInvisibleRepositories() {
        for (String name : reversed(REPOSITORIES)) {
            repositories.getOrCreate(new RepositoryName(name));
        }
        Predicate<String> visible = name -> !name.contains("hidden");

        assertThat(repositories.names("", 100)).containsExactlyElementsOf(REPOSITORIES);
        List<List<String>> pages = pages(3, repositories::names, visible);

        assertThat(pages).containsExactly(
            List.of("a-b", "a.b", "a/b"), List.of("a/b-c", "a/b/c", "a0"), List.of("a__b", "a_b", "ab"),
            List.of("b", "d", "e"));
    }

    /** Follows the pages as a client follows {@code Link} headers, returning each page's items. */
    private static List<List<String>> pages(int n, Page.Source source, Predicate<String> keep) {
        List<List<String>> pages = new ArrayList<>();
        @Nullable String last = null;
        do {
            Page page = Page.collect(source, n, last, keep);
            pages.add(page.items());
            last = page.last();
        } while (last != null);
        return pages;
    }

    private static List<String> reversed(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private long manifest(long repositoryId) {
        String digest = "sha256:" + "0".repeat(64);
        jdbc.update("INSERT INTO blob (digest, size, created_at) VALUES (?, 2, CURRENT_TIMESTAMP)", digest);
        jdbc.update("INSERT INTO manifest (repository_id, digest, media_type, size, pushed_at) "
            + "VALUES (?, ?, 'application/vnd.oci.image.manifest.v1+json', 2, CURRENT_TIMESTAMP)", repositoryId, digest);
        return jdbc.queryForObject("SELECT id FROM manifest WHERE digest = ?", Long.class, digest);
    }
}
