package io.wharf.core;

import io.wharf.core.artifact.Artifact;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HarborQueryTest {

    @Test
    void exactAndFuzzyCriteriaBecomeEscapedLikePatterns() {
        HarborQuery q = HarborQuery.parse("name=~a_b,tags=v1%", Set.of("name", "tags"));
        assertThat(q.match("name")).isEqualTo(new TextMatch("%a!_b%", null));
        assertThat(q.match("tags")).isEqualTo(new TextMatch("v1!%", null));
        assertThat(q.get("tags").fuzzy()).isFalse();
        assertThat(HarborQuery.parse(null, Set.of("name")).match("name")).isEqualTo(TextMatch.ANY);
    }

    @Test
    void aUnionListMatchesAnyOfItsValuesWithQuotesAndExtraSpacesDropped() {
        HarborQuery q = HarborQuery.parse("operation={create  delete 'push' create}", Set.of("operation"));
        assertThat(q.get("operation")).isEqualTo(new HarborQuery.Criterion(HarborQuery.Criterion.Form.ANY_OF,
            List.of("create", "delete", "push", "create")));
        TextMatch match = q.match("operation");
        assertThat(match.pattern()).isEqualTo("%");
        assertThat(match.oneOf()).containsExactly("create", "delete", "push");
        assertThat(match.anyValue()).isFalse();
        assertThat(match.values()).isEqualTo(match.oneOf());
    }

    @Test
    void anIntersectionListOnASingleValuedKeyMatchesOnlyWhenAllValuesAreTheSame() {
        assertThat(HarborQuery.parse("name=(a a)", Set.of("name")).match("name")).isEqualTo(TextMatch.exactly("a"));
        // the column must equal a and b: IN (a) and LIKE 'b' together match nothing
        assertThat(HarborQuery.parse("name=(a b c)", Set.of("name")).match("name")).isEqualTo(new TextMatch("b", List.of("a")));
        assertThat(HarborQuery.parse("name=(a_b)", Set.of("name")).get("name").form()).isEqualTo(HarborQuery.Criterion.Form.ALL_OF);
    }

    @Test
    void aLeadingBackslashMakesTheRestAnExactValue() {
        assertThat(HarborQuery.parse("name=\\{a b}", Set.of("name")).get("name")).isEqualTo(HarborQuery.Criterion.of("{a b}", false));
        assertThat(HarborQuery.parse("name=\\~a", Set.of("name")).match("name")).isEqualTo(TextMatch.exactly("~a"));
    }

    @Test
    void anyMatchesEverythingAndNeverUsesAnEmptyInList() {
        assertThat(TextMatch.ANY.anyValue()).isTrue();
        assertThat(TextMatch.ANY.values()).hasSize(1);
        assertThatThrownBy(() -> new TextMatch("%", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsUnsupportedKeysAndForms() {
        assertThatThrownBy(() -> HarborQuery.parse("color=red", Set.of("name")))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        for (String q : new String[] {"name", "name=(a b", "name={a b)", "name={}", "name=( )", "name=[a~b]"}) {
            assertThatThrownBy(() -> HarborQuery.parse(q, Set.of("name"))).as(q)
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
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
            Set.of("resource"), Set.of("op_time"));
        assertThat(query.get("op_time").rangeEnds()).containsExactly("2024-01-01 00:00:00", "");
        assertThat(query.get("resource")).isEqualTo(HarborQuery.Criterion.of("team/", true));
        assertThatThrownBy(() -> HarborQuery.parse("op_time=2024", Set.of(), Set.of("op_time"))).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> HarborQuery.parse("op_time={a b}", Set.of(), Set.of("op_time"))).isInstanceOf(PlatformException.class);
    }
}
