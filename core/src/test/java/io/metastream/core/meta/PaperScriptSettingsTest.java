package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.random.Purpose;
import io.metastream.core.random.Seeds;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigation;
import io.metastream.core.task.PointNavigationFamily;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two settings of the authors' scripts that config format 2 added (EXPERIMENTS.md): the observation normaliser
 * warmed with rollouts of φ₀ before iteration 0, and the meta-step's Fisher on the PRE states of the first K tasks.
 */
class PaperScriptSettingsTest {

    private static ContinuousExperimentConfig small() {
        return ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, 3).withIterations(2);
    }

    private static PointNavigationFamily family(ContinuousExperimentConfig c) {
        return new PointNavigationFamily(c.horizon());
    }

    @Test
    void warmUpMomentsAreTheStatesOfNRolloutsOfTheInitialPolicyOnTheirOwnSampledTasks() {
        ContinuousExperimentConfig c = small().withNormalizerAndFisher(6, false, 0);
        PointNavigationFamily family = family(c);
        double[] phi0 = ContinuousMethod.of(c, family.obsDim(), family.actDim()).initialPhi();
        RunningMoments warm = NormalizerWarmUp.moments(c, family, phi0);
        assertThat(warm.count()).isEqualTo(6L * c.horizon());

        // by hand: task i of the NORMALIZER_WARMUP draw, episode seed (seed, NORMALIZER_WARMUP, i), raw observations
        List<PointGoal> tasks = family.sampleTasks(6, Seeds.rng(c.seed(), Purpose.NORMALIZER_WARMUP.code()));
        ContinuousRollouts rollouts = new ContinuousRollouts(new ContinuousBoMrl(c, family.obsDim(), family.actDim()).policy(),
                c.horizon(), 0, c.gamma());
        List<ContinuousTrajectory> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            PointNavigation env = (PointNavigation) family.newEnvironment(tasks.get(i), rollouts.environmentHorizon());
            all.addAll(rollouts.collect(env, phi0, ObservationNormalizer.identity(family.obsDim()),
                    Seeds.derive(c.seed(), Purpose.NORMALIZER_WARMUP.code(), i), 0, 1, ContinuousRollouts.Mode.STOCHASTIC));
        }
        RunningMoments byHand = RunningMoments.ofTrajectories(all, family.obsDim());
        assertThat(warm.count()).isEqualTo(byHand.count());
        for (int d = 0; d < family.obsDim(); d++) {
            assertThat(warm.mean()[d]).isCloseTo(byHand.mean()[d], org.assertj.core.api.Assertions.within(1e-12));
        }
        assertThat(NormalizerWarmUp.moments(c, family, phi0).m2()).containsExactly(warm.m2());
        assertThat(NormalizerWarmUp.moments(small(), family, phi0).count()).isZero();
    }

    @Test
    void aWarmedRunStartsNormalisedAndEndsWithTheWarmUpInItsMoments() {
        ContinuousExperimentConfig plain = small();
        ContinuousExperimentConfig warmed = plain.withNormalizerAndFisher(5, false, 0);
        ContinuousMetaTrainer.Result a = new ContinuousMetaTrainer<>(plain, family(plain)).train(s -> { });
        ContinuousMetaTrainer.Result b = new ContinuousMetaTrainer<>(warmed, family(warmed)).train(s -> { });
        assertThat(b.moments().count()).isEqualTo(a.moments().count() + 5L * plain.horizon());
        // round 0 already ran normalised, so the first meta-step differs
        assertThat(b.history().get(0).phi()).isNotEqualTo(a.history().get(0).phi());
        ContinuousMetaTrainer.Result again = new ContinuousMetaTrainer<>(warmed, family(warmed)).train(s -> { }, 2);
        assertThat(again.phi()).containsExactly(b.phi());
        // normalizer-post: every round's POST observations join its PRE ones, so round 1 runs with another normaliser
        ContinuousExperimentConfig post = plain.withNormalizerAndFisher(5, true, 0);
        ContinuousMetaTrainer.Result c = new ContinuousMetaTrainer<>(post, family(post)).train(s -> { });
        long perRound = (long) plain.tasksPerIteration() * (plain.preRollouts() + plain.postRollouts()) * plain.horizon();
        assertThat(c.moments().count()).isEqualTo(5L * plain.horizon() + plain.iterations() * perRound);
        assertThat(c.history().get(0).phi()).containsExactly(b.history().get(0).phi());
        assertThat(c.history().get(1).phi()).isNotEqualTo(b.history().get(1).phi());
    }

    @Test
    void fisherOnTheFirstTasksChangesTheStepAndEveryTaskMeansAll() {
        ContinuousExperimentConfig all = small().withIterations(1);
        int n = all.tasksPerIteration();
        double[] every = new ContinuousMetaTrainer<>(all, family(all)).train(s -> { }).phi();
        double[] first2 = new ContinuousMetaTrainer<>(all.withNormalizerAndFisher(0, false, 2), family(all)).train(s -> { }).phi();
        double[] firstN = new ContinuousMetaTrainer<>(all.withNormalizerAndFisher(0, false, n), family(all)).train(s -> { }).phi();
        double[] more = new ContinuousMetaTrainer<>(all.withNormalizerAndFisher(0, false, n + 5), family(all)).train(s -> { }).phi();
        assertThat(firstN).containsExactly(every);
        assertThat(more).containsExactly(every);
        assertThat(first2).isNotEqualTo(every);
        // the same for the MAML family's TRPO outer step
        ContinuousExperimentConfig maml = all.withMethod(MetaMethod.MAML_TRPO);
        assertThat(new ContinuousMetaTrainer<>(maml.withNormalizerAndFisher(0, false, 2), family(maml)).train(s -> { }).phi())
                .isNotEqualTo(new ContinuousMetaTrainer<>(maml, family(maml)).train(s -> { }).phi());
    }
}
