package io.wharf.core.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangeTest {

    @Test
    void resolvesSingleRangesAgainstTheBlobSize() {
        assertSlice("bytes=0-9", 100, 0, 10);
        assertSlice("bytes=90-200", 100, 90, 10);
        assertSlice("bytes=-10", 100, 90, 10);
        assertSlice("bytes=-500", 100, 0, 100);
        assertSlice("bytes=5-", 100, 5, 95);
    }

    @Test
    void servesTheWholeBlobForRangesItDoesNotServePartially() {
        assertThat(ByteRange.parse("bytes=0-1,5-6")).isNull();
        assertThat(ByteRange.parse(null)).isNull();
        assertThat(ByteRange.parse("items=0-1")).isNull();
        assertThat(ByteRange.parse("bytes=-")).isNull();
        assertThat(ByteRange.parse("bytes=9-3")).isNull();
        assertThat(ByteRange.parse("bytes=0-99999999999999999999")).isNull();
    }

    @Test
    void rejectsRangesOutsideTheBlob() {
        assertThat(ByteRange.parse("bytes=100-").satisfiable(100)).isFalse();
        assertThat(ByteRange.parse("bytes=-0").satisfiable(100)).isFalse();
        assertThat(ByteRange.parse("bytes=-5").satisfiable(0)).isFalse();
        assertThat(ByteRange.parse("bytes=0-").satisfiable(0)).isFalse();
    }

    private static void assertSlice(String header, long size, long offset, long length) {
        ByteRange range = ByteRange.parse(header);
        assertThat(range).isNotNull();
        assertThat(range.satisfiable(size)).isTrue();
        assertThat(range.offset(size)).isEqualTo(offset);
        assertThat(range.length(size)).isEqualTo(length);
    }
}
