package io.wharf.core.registry;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepositoryNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"library", "team-a/app/api", "a/b/c/d/e", "a.b/c_d/e__f/g--h", "x0/1y"})
    void acceptsTheSpecGrammar(String name) {
        assertThat(RepositoryName.of(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Upper/case", "a//b", "a/../b", "../a", "a/", "/a", "a/b%2Fc", "-a", "a_", "a...b", "a/b c", "a/___b"})
    void rejectsEverythingElse(String name) {
        assertThatThrownBy(() -> RepositoryName.of(name))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
    }

    @org.junit.jupiter.api.Test
    void limitsTheLengthTo255() {
        String max = "a".repeat(127) + "/" + "b".repeat(127);
        assertThat(RepositoryName.of(max).value()).hasSize(255);
        assertThatThrownBy(() -> RepositoryName.of(max + "c")).isInstanceOf(PlatformException.class);
        assertThat(RepositoryName.of("team-a/app/api").project()).isEqualTo("team-a");
    }
}
