package io.metastream.core.random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeedsTest {

    @Test
    void derivationDependsOnEveryPathElementAndItsOrder() {
        assertThat(Seeds.derive(1, 2, 3)).isEqualTo(Seeds.derive(1, 2, 3))
                .isNotEqualTo(Seeds.derive(1, 3, 2))
                .isNotEqualTo(Seeds.derive(2, 2, 3))
                .isNotEqualTo(Seeds.derive(1, 2));
        assertThat(Seeds.rng(5, 1).nextLong()).isEqualTo(Seeds.rng(5, 1).nextLong());
    }

    @Test
    void purposeCodesAreStable() {
        // the codes are part of the log format: a replay must derive the same seeds
        assertThat(Purpose.TASK_SAMPLING.code()).isEqualTo(1);
        assertThat(Purpose.PRE.code()).isEqualTo(2);
        assertThat(Purpose.POST.code()).isEqualTo(3);
        assertThat(Purpose.EVAL.code()).isEqualTo(4);
    }
}
