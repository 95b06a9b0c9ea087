package io.metastream.trainer;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.MetaMethod;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The continuous learner's resumable state: the observation moments, then the outer optimiser's state. */
class ContinuousMetaLearnerTest {

    private static final int OBS = 2;

    @Test
    void mamlVpgStateCarriesAdamAfterTheMomentsAndRestoresExactly() {
        ContinuousExperimentConfig exp = ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, 0)
                .withMethod(MetaMethod.MAML_VPG);
        ContinuousMetaLearner learner = new ContinuousMetaLearner(exp);
        int p = learner.initialPhi().length;
        assertThat(learner.state()).as("moments, then Adam before its first step: [0]").hasSize(1 + 2 * OBS + 1);

        double[] recorded = new double[1 + 2 * OBS + 1 + 2 * p];
        recorded[0] = 40;                                   // 40 observations
        for (int i = 1; i < recorded.length; i++) {
            recorded[i] = 0.25 * i;
        }
        recorded[1 + 2 * OBS] = 7;                          // Adam's step count
        ContinuousMetaLearner resumed = new ContinuousMetaLearner(exp);
        resumed.restore(recorded);
        assertThat(resumed.state()).containsExactly(recorded);
        assertThat(resumed.moments().count()).isEqualTo(40);
        assertThat(resumed.moments().mean()).containsExactly(0.25, 0.5);
    }

    @Test
    void trpoMethodsHaveOnlyTheMomentsAndRefuseForeignOptimizerState() {
        for (MetaMethod m : new MetaMethod[] {MetaMethod.BOMRL, MetaMethod.MAML_TRPO, MetaMethod.E_MAML}) {
            ContinuousMetaLearner learner = new ContinuousMetaLearner(ContinuousExperimentConfig
                    .pointNav(ContinuousAlgorithm.ALG1, 0).withMethod(m));
            assertThat(learner.state()).as(m.label()).hasSize(1 + 2 * OBS);
            double[] withExtra = Arrays.copyOf(learner.state(), 1 + 2 * OBS + 3);
            assertThatThrownBy(() -> learner.restore(withExtra)).as(m.label())
                    .hasMessageContaining("meta-step has no state");
        }
    }

    @Test
    void prompIsRefusedByTheStreamingTrainerWithTheReason() {
        assertThatThrownBy(() -> new ContinuousMetaLearner(ContinuousExperimentConfig
                .pointNav(ContinuousAlgorithm.ALG1, 0).withMethod(MetaMethod.PROMP)))
                .hasMessageContaining("promp needs every task's PRE and POST batches");
    }
}
