package io.wharf.core.quota;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaRulesTest {

    @Test
    void theWarningLevelIsComparedExactlyEvenForHugeLimits() {
        assertThat(QuotaGuard.reached(849, 1000, 85)).isFalse();
        assertThat(QuotaGuard.reached(850, 1000, 85)).isTrue();
        assertThat(QuotaGuard.reached(Long.MAX_VALUE / 2, Long.MAX_VALUE, 50)).isFalse();
        assertThat(QuotaGuard.reached(Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE, 50)).isTrue();
    }

    @Test
    void limitsAreMinusOneOrPositive() {
        assertThat(Quotas.checked("storage", -1)).isEqualTo(-1);
        assertThat(Quotas.checked("storage", 1)).isEqualTo(1);
        for (long bad : new long[] {0, -2, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> Quotas.checked("storage", bad)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
    }

    @Test
    void settingsAreValidated() {
        assertThat(new QuotaProperties(-1, 85).warningPercent()).isEqualTo(85);
        assertThatThrownBy(() -> new QuotaProperties(0, 85)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuotaProperties(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuotaProperties(-1, 101)).isInstanceOf(IllegalArgumentException.class);
    }
}
