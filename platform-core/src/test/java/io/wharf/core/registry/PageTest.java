package io.wharf.core.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PageTest {

    private final List<String> sorted = List.of("a", "b", "c", "d", "e");

    @Test
    void cutsPagesAfterLast() {
        assertThat(Page.of(sorted, null, null)).isEqualTo(new Page(sorted, null));
        assertThat(Page.of(sorted, 2, null)).isEqualTo(new Page(List.of("a", "b"), "b"));
        assertThat(Page.of(sorted, 2, "b")).isEqualTo(new Page(List.of("c", "d"), "d"));
        assertThat(Page.of(sorted, 2, "d")).isEqualTo(new Page(List.of("e"), null));
        assertThat(Page.of(sorted, 10, "bb")).isEqualTo(new Page(List.of("c", "d", "e"), null));
        assertThat(Page.of(sorted, 0, null)).isEqualTo(new Page(List.of(), null));
    }
}
