package io.metastream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanKlTest {

    @Test
    void klOfThePriorWithItselfIsZero() {
        double[] phi = {0.3, -1.0, 2.0, 0.0, 1.0, 1.0};
        assertThat(MetaGradientProcessor.meanKlAdaptedPrior(phi, phi, 2, 3)).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void klIsTheStateAverageOfSumPiThetaLogRatio() {
        double[] theta = {Math.log(0.75), Math.log(0.25), 0.0, 0.0};
        double[] phi = {0.0, 0.0, 0.0, 0.0};
        double state0 = 0.75 * Math.log(0.75 / 0.5) + 0.25 * Math.log(0.25 / 0.5);
        assertThat(MetaGradientProcessor.meanKlAdaptedPrior(theta, phi, 2, 2)).isCloseTo(state0 / 2, within(1e-12));
    }
}
