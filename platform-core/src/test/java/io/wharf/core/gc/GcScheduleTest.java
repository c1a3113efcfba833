package io.wharf.core.gc;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Harbor's schedule types and parameters, as the collector reads them. */
class GcScheduleTest {

    @Test
    void fixedTypesTakeTheirOwnCron() {
        assertThat(GcSchedule.of("Hourly", "ignored", GcParameters.DEFAULT).cron()).isEqualTo("0 0 * * * *");
        assertThat(GcSchedule.of("daily", null, GcParameters.DEFAULT).quartzCron()).isEqualTo("0 0 0 * * ?");
        assertThat(GcSchedule.of("Weekly", null, GcParameters.DEFAULT).quartzCron()).isEqualTo("0 0 0 ? * 1");
        assertThat(GcSchedule.of("None", "0 0 0 * * *", GcParameters.DEFAULT).quartzCron()).isNull();
    }

    @Test
    void customNeedsAValidCron() {
        assertThat(GcSchedule.of("Custom", " 0 15 3 * * 6 ", GcParameters.DEFAULT).quartzCron()).isEqualTo("0 15 3 ? * 7");
        for (String cron : new String[] {null, " ", "every night", "0 0 0 * * 7", "0 0 0 1 * 1"}) {
            assertThatThrownBy(() -> GcSchedule.of("Custom", cron, GcParameters.DEFAULT)).as(cron)
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
    }

    @Test
    void refusesUnknownTypesAndWorkers() {
        for (String type : new String[] {null, "", "Fortnightly", "Manual"}) {
            assertThatThrownBy(() -> GcSchedule.of(type, null, GcParameters.DEFAULT)).as(type)
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> new GcParameters(false, false, 0)).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> new GcParameters(false, false, 6)).isInstanceOf(PlatformException.class);
    }
}
