package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.MonteCarloAdvantages;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigation;
import io.metastream.core.task.PointNavigationFamily;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code standardize-advantages}: BO-MRL's batches standardised exactly as the MAML family's, and only for BO-MRL. */
class StandardizedEstimateTest {

    @Test
    void boMrlStandardisesItsBatchesLikeTheMamlFamilyWhenAskedAndOnlyThen() {
        ContinuousExperimentConfig plain = MamlFixture.tiny(MetaMethod.BOMRL, 3);
        ContinuousExperimentConfig on = plain.withStandardizeAdvantages(true);
        assertThat(plain.standardizeAdvantages()).isFalse();
        assertThat(on).isNotEqualTo(plain);
        assertThat(on.toString()).endsWith(", standardizeAdvantages=true]");
        assertThat(plain.toString()).doesNotContain("standardizeAdvantages");

        ContinuousBoMrl raw = new ContinuousBoMrl(plain, 2, 2);
        ContinuousBoMrl std = new ContinuousBoMrl(on, 2, 2);
        ContinuousMaml maml = new ContinuousMaml(MamlFixture.tiny(MetaMethod.MAML_TRPO, 3), 2, 2);
        double[] phi = MamlFixture.randomPhi(raw.policy(), 5);
        ContinuousRollouts rollouts = raw.trainingRollouts();
        PointNavigation env = new PointNavigationFamily(plain.horizon())
                .newEnvironment(new PointGoal(0.3, -0.4), rollouts.environmentHorizon());
        List<ContinuousTrajectory> episodes = rollouts.collect(env, phi, MamlFixture.IDENTITY, 11, 0, 6,
                ContinuousRollouts.Mode.STOCHASTIC);

        ContinuousBatch centred = raw.estimate(episodes, MamlFixture.IDENTITY);
        assertThat(centred.advantages())
                .isEqualTo(MonteCarloAdvantages.batch(episodes, MamlFixture.IDENTITY, plain.gamma()).advantages());
        ContinuousBatch standardised = std.estimate(episodes, MamlFixture.IDENTITY);
        assertThat(standardised.advantages()).isEqualTo(MonteCarloAdvantages.standardized(centred).advantages())
                .isEqualTo(maml.estimate(episodes, MamlFixture.IDENTITY).advantages());
        assertThat(standardised.advantages()).isNotEqualTo(centred.advantages());
        assertThat(standardised.obs()).isEqualTo(centred.obs());

        // the lower level then differs: the same λ is a stronger penalty on unit-scale advantages here
        double klRaw = raw.adapt(phi, centred).meanKl();
        double klStd = std.adapt(phi, standardised).meanKl();
        assertThat(klStd).isNotEqualTo(klRaw);
    }

    @Test
    void theSwitchIsRefusedForTheMamlFamilyAndDroppedWhenCompareSwitchesMethod() {
        ContinuousExperimentConfig on = MamlFixture.tiny(MetaMethod.BOMRL, 1).withStandardizeAdvantages(true);
        for (MetaMethod m : List.of(MetaMethod.MAML_VPG, MetaMethod.MAML_TRPO, MetaMethod.PROMP, MetaMethod.E_MAML)) {
            assertThatThrownBy(() -> MamlFixture.tiny(m, 1).withStandardizeAdvantages(true))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("standardize-advantages applies to method bomrl only (" + m.label()
                            + " always standardises its advantages)");
            assertThat(on.withMethod(m).standardizeAdvantages()).isFalse();
        }
        assertThat(on.withMethod(MetaMethod.BOMRL)).isEqualTo(on);
        assertThat(on.withSeed(9).withIterations(4).withTestSteps(2).withFisherStates(10).withStepSizes(0.2, 0.01)
                .standardizeAdvantages()).isTrue();
    }
}
