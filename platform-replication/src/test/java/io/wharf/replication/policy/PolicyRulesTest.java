package io.wharf.replication.policy;

import io.wharf.core.schedule.CronSchedule;
import io.wharf.core.error.PlatformException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Name and tag patterns, destination naming and cron translation. */
class PolicyRulesTest {

    @Test
    void globsFollowHarborsDoublestarRules() {
        assertThat(Glob.of("library/**").matches("library/nginx")).isTrue();
        assertThat(Glob.of("library/**").matches("library/a/b")).isTrue();
        assertThat(Glob.of("library/**").matches("other/nginx")).isFalse();
        assertThat(Glob.of("library/*").matches("library/a/b")).as("* stays within a component").isFalse();
        assertThat(Glob.of("team/app-*").matches("team/app-web")).isTrue();
        assertThat(Glob.of("1.2?").matches("1.25")).isTrue();
        assertThat(Glob.of("{1.25,1.26}*").matches("1.26.3")).isTrue();
        assertThat(Glob.of("{1.25,1.26}*").matches("1.27")).isFalse();
        assertThat(Glob.of("[0-9]*").matches("latest")).isFalse();
        assertThat(Glob.of("regex:^1\\.2[5-6](\\.\\d+)?$").matches("1.25.1")).isTrue();
        assertThat(Glob.of("regex:^1\\.2[5-6](\\.\\d+)?$").matches("1.27")).isFalse();
        assertThat(Glob.of("a.b").matches("axb")).as("dots are literal").isFalse();
        assertThatThrownBy(() -> Glob.of("[unclosed")).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> Glob.of("{a,b")).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> Glob.of("regex:(")).isInstanceOf(PlatformException.class);
    }

    @Test
    void literalPrefixesNameWhatAListerCanEnumerate() {
        assertThat(Glob.of("library/**").literalPrefix()).isEqualTo("library");
        assertThat(Glob.of("library/nginx").literalPrefix()).isEqualTo("library/nginx");
        assertThat(Glob.of("bitnami/{redis,kafka}").literalPrefix()).isEqualTo("bitnami");
        assertThat(Glob.of("**").literalPrefix()).isEmpty();
        assertThat(Glob.of("regex:library/.*").literalPrefix()).isEmpty();
    }

    @Test
    void destinationNamesFollowHarborsReplaceCount() {
        assertThat(NameRewrite.apply("library/nginx", null, -1)).isEqualTo("library/nginx");
        assertThat(NameRewrite.apply("library/nginx", "mirror", -1)).isEqualTo("mirror/nginx");
        assertThat(NameRewrite.apply("a/b/c", "mirror", -1)).as("flatten all").isEqualTo("mirror/c");
        assertThat(NameRewrite.apply("library/nginx", "mirror", 0)).isEqualTo("mirror/library/nginx");
        assertThat(NameRewrite.apply("a/b/c", "mirror", 1)).isEqualTo("mirror/b/c");
        assertThat(NameRewrite.apply("a/b/c", "mirror/hub", 2)).isEqualTo("mirror/hub/c");
        assertThatThrownBy(() -> NameRewrite.apply("a/b", "mirror", 2)).isInstanceOf(PlatformException.class);
    }

    @Test
    void cronExpressionsInHarborsDialectRunInQuartz() {
        assertThat(CronSchedule.toQuartz("0 0 3 * * *")).isEqualTo("0 0 3 * * ?");
        assertThat(CronSchedule.toQuartz("*/30 * * * * *")).isEqualTo("*/30 * * * * ?");
        assertThat(CronSchedule.toQuartz("0 30 2 * * 0")).as("Sunday is 0 in Harbor, 1 in Quartz").isEqualTo("0 30 2 ? * 1");
        assertThat(CronSchedule.toQuartz("0 0 1 * * 1-5")).isEqualTo("0 0 1 ? * 2-6");
        assertThat(CronSchedule.toQuartz("0 0 1 1 * *")).isEqualTo("0 0 1 1 * ?");
        assertThat(CronSchedule.toQuartz("15 4 * * *")).as("five fields get second 0").isEqualTo("0 15 4 * * ?");
        assertThatThrownBy(() -> CronSchedule.toQuartz("every day")).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> CronSchedule.toQuartz("0 0 1 1 * 1")).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> CronSchedule.toQuartz("0 0 1 * * 7")).isInstanceOf(PlatformException.class);
    }

    @Test
    void filtersValidateTheirValues() {
        assertThat(PolicyFilter.of("tag", "1.*", "excludes").excludes()).isTrue();
        assertThat(PolicyFilter.platforms("linux/amd64, linux/arm64/v8")).containsExactly("linux/amd64", "linux/arm64/v8");
        assertThatThrownBy(() -> PolicyFilter.of("label", "x", null)).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> PolicyFilter.of("tag", "x", "sometimes")).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> PolicyFilter.of("resource", "chart", null)).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> PolicyFilter.of("platform", "amd64", null)).isInstanceOf(PlatformException.class);
    }
}
