package io.wharf.core;

import io.wharf.core.artifact.Artifact;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HarborQueryTest {

    @Test
    void exactAndFuzzyCriteriaBecomeEscapedLikePatterns() {
        HarborQuery q = HarborQuery.parse("name=~a_b,tags=v1%", Set.of("name", "tags"));
        assertThat(q.likePattern("name")).isEqualTo("%a!_b%");
        assertThat(q.likePattern("tags")).isEqualTo("v1!%");
        assertThat(q.get("tags").fuzzy()).isFalse();
        assertThat(HarborQuery.parse(null, Set.of("name")).likePattern("name")).isEqualTo("%");
    }

    @Test
    void rejectsUnsupportedKeysAndForms() {
        assertThatThrownBy(() -> HarborQuery.parse("color=red", Set.of("name")))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> HarborQuery.parse("name=(a b)", Set.of("name"))).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> HarborQuery.parse("name", Set.of("name"))).isInstanceOf(PlatformException.class);
    }

    @Test
    void sortKeysMapToPropertiesWithTheFallbackAsTieBreaker() {
        Sort sort = HarborQuery.sort("-update_time,name", Map.of("name", "name", "update_time", "updatedAt"), Sort.by("id"));
        assertThat(sort).containsExactly(Sort.Order.desc("updatedAt"), Sort.Order.asc("name"), Sort.Order.asc("id"));
        assertThat(HarborQuery.sort(null, Map.of(), Sort.by("id"))).isEqualTo(Sort.by("id"));
        assertThatThrownBy(() -> HarborQuery.sort("size", Map.of("name", "name"), Sort.by("id"))).isInstanceOf(PlatformException.class);
    }

    @Test
    void platformsAreParsedFromTheIndexedForm() {
        assertThat(Artifact.Platform.parse("linux/arm/v7")).isEqualTo(new Artifact.Platform("linux", "arm", "v7"));
        assertThat(Artifact.Platform.parse("linux/amd64")).isEqualTo(new Artifact.Platform("linux", "amd64", null));
        assertThat(Artifact.Platform.parse("linux")).isNull();
        assertThat(Artifact.Platform.parse(null)).isNull();
    }

    @Test
    void rangeKeysTakeTheRangeFormWithOpenEndsAndQuotedValuesAreUnquoted() {
        HarborQuery query = HarborQuery.parse("op_time=[2024-01-01 00:00:00~],resource=~\"team/\"",
            java.util.Set.of("resource"), java.util.Set.of("op_time"));
        org.assertj.core.api.Assertions.assertThat(query.get("op_time").rangeEnds()).containsExactly("2024-01-01 00:00:00", "");
        org.assertj.core.api.Assertions.assertThat(query.get("resource")).isEqualTo(new HarborQuery.Criterion("team/", true));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HarborQuery.parse("op_time=2024", java.util.Set.of(),
            java.util.Set.of("op_time"))).isInstanceOf(io.wharf.core.error.PlatformException.class);
    }
}
