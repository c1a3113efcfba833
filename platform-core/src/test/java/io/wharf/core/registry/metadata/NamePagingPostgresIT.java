package io.wharf.core.registry.metadata;

import io.wharf.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NamePagingContract} on PostgreSQL. Its default collation is usually linguistic (not
 * code-point order), so the name columns must carry collation "C"; that is checked directly too,
 * because a test server created with a "C" default would pass the ordering tests without it.
 */
class NamePagingPostgresIT extends NamePagingContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @Test
    void nameColumnsCompareByCodePoint() {
        assertThat(jdbc.queryForList("SELECT table_name || '.' || column_name || ' ' || collation_name "
            + "FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'name' "
            + "AND table_name IN ('repository', 'tag') ORDER BY table_name", String.class))
            .containsExactly("repository.name C", "tag.name C");
    }
}
