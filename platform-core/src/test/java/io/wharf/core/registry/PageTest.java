package io.wharf.core.registry;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PageTest {

    /** A sorted list behind a keyset query, recording each query's limit. */
    private static final class ListSource implements Page.Source {
        private final List<String> sorted;
        private final List<Integer> limits = new ArrayList<>();

        ListSource(List<String> sorted) {
            this.sorted = sorted;
        }

        @Override
        public List<String> after(String after, int limit) {
            limits.add(limit);
            assertThat(limit).isPositive();
            return sorted.stream().filter(s -> s.compareTo(after) > 0).limit(limit).toList();
        }
    }

    private final ListSource source = new ListSource(List.of("a", "b", "c", "d", "e"));

    @Test
    void cutsPagesAfterLast() {
        assertThat(Page.collect(source, null, null, s -> true)).isEqualTo(new Page(List.of("a", "b", "c", "d", "e"), null));
        assertThat(Page.collect(source, 2, null, s -> true)).isEqualTo(new Page(List.of("a", "b"), "b"));
        assertThat(Page.collect(source, 2, "b", s -> true)).isEqualTo(new Page(List.of("c", "d"), "d"));
        assertThat(Page.collect(source, 2, "d", s -> true)).isEqualTo(new Page(List.of("e"), null));
        assertThat(Page.collect(source, 10, "bb", s -> true)).isEqualTo(new Page(List.of("c", "d", "e"), null));
        assertThat(Page.collect(source, 5, null, s -> true)).isEqualTo(new Page(List.of("a", "b", "c", "d", "e"), null));
        assertThat(Page.collect(source, 0, null, s -> true)).isEqualTo(new Page(List.of(), null));
    }

    @Test
    void asksForOneRowMoreThanThePageToKnowWhetherAnotherFollows() {
        Page.collect(source, 2, null, s -> true);

        assertThat(source.limits).containsExactly(3);
    }

    @Test
    void readsOnUntilEnoughAcceptedNamesAreFoundAndSkipsRejectedOnesBetweenPages() {
        ListSource names = new ListSource(List.of("a", "b-hidden", "c", "d-hidden", "e-hidden", "f", "g"));

        Page first = Page.collect(names, 2, null, s -> !s.endsWith("hidden"));
        Page second = Page.collect(names, 2, first.last(), s -> !s.endsWith("hidden"));

        assertThat(first).isEqualTo(new Page(List.of("a", "c"), "c"));
        assertThat(second).isEqualTo(new Page(List.of("f", "g"), null));
    }

    @Test
    void hasNoNextPageWhenOnlyRejectedNamesFollow() {
        ListSource names = new ListSource(List.of("a", "b", "c-hidden", "d-hidden"));

        assertThat(Page.collect(names, 2, null, s -> !s.endsWith("hidden"))).isEqualTo(new Page(List.of("a", "b"), null));
    }

    @Test
    void readsEverythingInBatchesWhenNoSizeIsGiven() {
        List<String> many = IntStream.range(0, 1234).mapToObj(i -> String.format("r%05d", i)).toList();
        ListSource names = new ListSource(many);

        Page all = Page.collect(names, null, null, s -> true);

        assertThat(all).isEqualTo(new Page(many, null));
        assertThat(names.limits).hasSize(3).allMatch(limit -> limit == Page.BATCH);
    }

    @Test
    void hugePageSizesDoNotOverflow() {
        assertThat(Page.collect(source, Integer.MAX_VALUE, "c", s -> true)).isEqualTo(new Page(List.of("d", "e"), null));
        assertThat(source.limits).containsExactly(Page.BATCH);
    }
}
