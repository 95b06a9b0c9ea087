package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.estimate.AdvantageBaseline;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.MonteCarloAdvantages;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigation;
import io.metastream.core.task.PointNavigationFamily;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code advantage-baseline}: every method's batches centred by the chosen baseline; the default is BOMRL.md's batch mean. */
class AdvantageBaselineEstimateTest {

    @Test
    void everyMethodCentresItsBatchesByTheConfiguredBaseline() {
        ContinuousExperimentConfig plain = MamlFixture.tiny(MetaMethod.BOMRL, 3);
        ContinuousExperimentConfig lfb = plain.withAdvantageBaseline(AdvantageBaseline.LINEAR_FEATURE);
        assertThat(plain.advantageBaseline()).isEqualTo(AdvantageBaseline.BATCH_MEAN);
        assertThat(plain.toString()).doesNotContain("advantageBaseline");   // configs made before the key still match
        assertThat(lfb.toString()).endsWith(", advantageBaseline=linear-feature]");
        assertThat(lfb).isNotEqualTo(plain);

        ContinuousBoMrl bomrl = new ContinuousBoMrl(lfb, 2, 2);
        double[] phi = MamlFixture.randomPhi(bomrl.policy(), 5);
        ContinuousRollouts rollouts = bomrl.trainingRollouts();
        PointNavigation env = new PointNavigationFamily(plain.horizon())
                .newEnvironment(new PointGoal(0.3, -0.4), rollouts.environmentHorizon());
        List<ContinuousTrajectory> episodes = rollouts.collect(env, phi, MamlFixture.IDENTITY, 11, 0, 6,
                ContinuousRollouts.Mode.STOCHASTIC);
        ContinuousBatch expected = MonteCarloAdvantages.linearFeatureBaseline(episodes, MamlFixture.IDENTITY, plain.gamma());
        ContinuousBatch mean = new ContinuousBoMrl(plain, 2, 2).estimate(episodes, MamlFixture.IDENTITY);
        assertThat(bomrl.estimate(episodes, MamlFixture.IDENTITY).advantages()).isEqualTo(expected.advantages())
                .isNotEqualTo(mean.advantages());
        assertThat(new ContinuousBoMrl(lfb.withStandardizeAdvantages(true), 2, 2).estimate(episodes, MamlFixture.IDENTITY)
                .advantages()).isEqualTo(MonteCarloAdvantages.standardized(expected).advantages());

        // the MAML family: the linear-feature residuals, then standardised (garage's MAML-TRPO estimator)
        for (MetaMethod m : List.of(MetaMethod.MAML_VPG, MetaMethod.MAML_TRPO, MetaMethod.PROMP, MetaMethod.E_MAML)) {
            ContinuousExperimentConfig c = lfb.withMethod(m);
            assertThat(c.advantageBaseline()).isEqualTo(AdvantageBaseline.LINEAR_FEATURE);
            assertThat(new ContinuousMaml(c, 2, 2).estimate(episodes, MamlFixture.IDENTITY).advantages())
                    .isEqualTo(MonteCarloAdvantages.standardized(expected).advantages());
        }
        assertThat(lfb.withSeed(9).withIterations(4).withTestSteps(2).withFisherStates(10).withStepSizes(0.2, 0.01)
                .withStandardizeAdvantages(true).advantageBaseline()).isEqualTo(AdvantageBaseline.LINEAR_FEATURE);
    }
}
