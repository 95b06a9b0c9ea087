package io.metastream.core.meta;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The three evaluation modes the meta-test reports, from the per-task returns. */
class ContinuousMetaTestReturnsTest {

    @Test
    void maxTakesTheBetterEvaluationTaskByTaskBeforeTheMean() {
        // task 0 is better deterministic at k = 0 and stochastic at k = 1; task 1 the other way round
        ContinuousMetaTest.Returns r = new ContinuousMetaTest.Returns(
                new double[][]{{-10, -8}, {-20, -4}},
                new double[][]{{-12, -6}, {-16, -5}});
        assertThat(r.meanDeterministic()).containsExactly(-15, -6);
        assertThat(r.meanStochastic()).containsExactly(-14, -5.5);
        assertThat(r.meanMax()).containsExactly(-13, -5);   // (−10 − 16) / 2, (−6 − 4) / 2
        assertThat(r.meansByMode()).isDeepEqualTo(new double[][]{r.meanDeterministic(), r.meanStochastic(), r.meanMax()});
    }
}
