package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.MetaLossSurrogate;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.random.Purpose;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigation;
import io.metastream.core.task.PointNavigationFamily;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ContinuousMetaTrainerTest {

    private static ContinuousExperimentConfig config(long seed) {
        return ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, seed);
    }

    private static PointNavigationFamily family(ContinuousExperimentConfig c) {
        return new PointNavigationFamily(c.horizon());
    }

    @Test
    void sameSeedGivesBitIdenticalMetaPriorsAndMetaTestsAndOtherSeedsDoNot() {
        ContinuousExperimentConfig c = config(7).withIterations(2).withTestSteps(1);
        List<double[]> a = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        ContinuousMetaTrainer.Result ra = new ContinuousMetaTrainer<>(c, family(c)).train(s -> a.add(s.phi()));
        ContinuousMetaTrainer.Result rb = new ContinuousMetaTrainer<>(c, family(c)).train(s -> b.add(s.phi()));
        ContinuousMetaTrainer.Result other = new ContinuousMetaTrainer<>(c.withSeed(8), family(c)).train(s -> { });
        assertThat(a).hasSize(2);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).containsExactly(b.get(i));
        }
        assertThat(ra.moments().mean()).containsExactly(rb.moments().mean());
        assertThat(ra.phi()).isNotEqualTo(ra.initialPhi());
        assertThat(ra.phi()).isNotEqualTo(other.phi());
        List<PointGoal> tasks = family(c).testTasks().subList(0, 2);
        ContinuousMetaTest<PointGoal> test = new ContinuousMetaTest<>(c, family(c));
        ContinuousMetaTest.Returns ta = test.evaluate(ContinuousMetaTest.Method.BOMRL, ra, tasks);
        ContinuousMetaTest.Returns tb = new ContinuousMetaTest<>(c, family(c)).evaluate(ContinuousMetaTest.Method.BOMRL, rb, tasks);
        for (int i = 0; i < tasks.size(); i++) {
            assertThat(ta.deterministic()[i]).containsExactly(tb.deterministic()[i]);
            assertThat(ta.stochastic()[i]).containsExactly(tb.stochastic()[i]);
        }
    }

    /** The tasks of a round on two threads give the one-thread loop's meta-priors bit for bit, for BO-MRL and MAML-TRPO. */
    @Test
    void tasksOnSeveralThreadsGiveTheSameMetaPriorsBitForBit() {
        for (ContinuousExperimentConfig c : List.of(config(3).withIterations(3),
                config(3).withIterations(3).withMethod(MetaMethod.MAML_TRPO))) {
            List<double[]> one = new ArrayList<>();
            List<double[]> two = new ArrayList<>();
            ContinuousMetaTrainer.Result r1 = new ContinuousMetaTrainer<>(c, family(c)).train(s -> one.add(s.phi()), 1);
            ContinuousMetaTrainer.Result r2 = new ContinuousMetaTrainer<>(c, family(c)).train(s -> two.add(s.phi()), 2);
            assertThat(two).hasSize(3);
            for (int i = 0; i < one.size(); i++) {
                assertThat(two.get(i)).as("%s round %d", c.method(), i).containsExactly(one.get(i));
            }
            assertThat(r2.moments().m2()).containsExactly(r1.moments().m2());
            assertThat(r2.history().get(2).postReturn()).isEqualTo(r1.history().get(2).postReturn());
        }
    }

    /**
     * The CI-sized point-navigation preset (15 iterations): after one adaptation on the 20 fixed
     * test goals, the meta-trained prior beats adapting from the untrained initialisation φ₀ (same
     * normaliser), on average over seeds 1..4. One seed is not enough: the margin of a single seed moves by
     * ±1 when the arithmetic changes only in rounding (the TRPO meta-step's CG amplifies 1e-14 differences),
     * so a per-seed threshold is a coin flip, not a test of learning. Margins BO-MRL − random init at k = 1
     * (mean undiscounted 20-step return, random init ≈ −6.8 … −7.9 deterministic) for seeds 1..12, with
     * the per-row policy passes / with the batched ones:
     * deterministic mean 1.57 / 1.71 (seeds below 0: 1 / 1 of 12), stochastic mean 0.75 / 0.90 (1 / 1 of 12).
     */
    @Test
    void metaTrainingBeatsRandomInitialisationAfterOneAdaptation() {
        int seeds = 4;
        double det = 0;
        double sto = 0;
        double gain = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            ContinuousExperimentConfig c = config(seed).withTestSteps(1);
            ContinuousMetaTrainer.Result trained = new ContinuousMetaTrainer<>(c, family(c)).train(s -> { });
            ContinuousMetaTest<PointGoal> test = new ContinuousMetaTest<>(c, family(c));
            ContinuousMetaTest.Returns bomrl = test.evaluate(ContinuousMetaTest.Method.BOMRL, trained, family(c).testTasks());
            ContinuousMetaTest.Returns random = test.evaluate(ContinuousMetaTest.Method.RANDOM_INIT, trained,
                    family(c).testTasks());
            System.out.printf("point nav seed %d, k=0,1: BO-MRL det %s sto %s, random init det %s sto %s%n", seed,
                    java.util.Arrays.toString(bomrl.meanDeterministic()), java.util.Arrays.toString(bomrl.meanStochastic()),
                    java.util.Arrays.toString(random.meanDeterministic()), java.util.Arrays.toString(random.meanStochastic()));
            det += (bomrl.meanDeterministic()[1] - random.meanDeterministic()[1]) / seeds;
            sto += (bomrl.meanStochastic()[1] - random.meanStochastic()[1]) / seeds;
            gain += (bomrl.meanStochastic()[1] - bomrl.meanStochastic()[0]) / seeds;
        }
        System.out.printf("point nav, mean over seeds 1..%d: margin det %.3f sto %.3f, adaptation gain sto %.3f%n", seeds,
                det, sto, gain);
        assertThat(det).as("deterministic margin over random init").isGreaterThan(0.5);
        assertThat(sto).as("stochastic margin over random init").isGreaterThan(0.4);
        assertThat(gain).as("adaptation helps").isGreaterThan(1.0);
    }

    @Test
    void metaSurrogateGradientAtThePriorIsTheMeanTaskMetaGradient() {
        ContinuousExperimentConfig c = config(3);
        Round round = oneRound(c, 3);
        MetaLossSurrogate m = round.bomrl.metaLoss(round.results);
        double[] g = new double[round.phi.length];
        m.gradient(round.phi, g);
        double[] mean = ContinuousBoMrl.mean(round.results.stream().map(ContinuousBoMrl.TaskResult::metaGradient).toList());
        double scale = io.metastream.core.linalg.Dense.norm(mean);
        assertThat(scale).isGreaterThan(0);
        for (int i = 0; i < g.length; i++) {
            assertThat(g[i]).isCloseTo(mean[i], within(1e-12 * scale));
        }
        ContinuousBoMrl.MetaUpdate update = round.bomrl.metaUpdate(round.phi, round.results);
        assertThat(update.meanMetaGradient()).containsExactly(mean);
        assertThat(update.trpo().kl()).isLessThanOrEqualTo(c.metaMaxKl());
        if (update.trpo().accepted()) {
            assertThat(m.value(update.phi())).isLessThan(m.value(round.phi));
        }
    }

    @Test
    void taskResultCarriesThePreMomentsReturnsAndAnEvenlySpacedStateSubsample() {
        ContinuousExperimentConfig c = config(4).withFisherStates(50);
        Round round = oneRound(c, 1);
        ContinuousBoMrl.TaskResult r = round.results.get(0);
        List<ContinuousTrajectory> pre = round.pre.get(0);
        RunningMoments expected = RunningMoments.ofTrajectories(pre, 2);
        assertThat(r.preMoments().count()).isEqualTo((long) c.preRollouts() * c.horizon());
        assertThat(r.preMoments().mean()).containsExactly(expected.mean());
        assertThat(r.preReturn()).isEqualTo(ContinuousRollouts.meanUndiscountedReturn(pre));
        assertThat(r.klAdaptedPrior()).isGreaterThan(0);
        assertThat(r.fisherRows()).isEqualTo(50);
        ContinuousBatch batch = round.bomrl.estimate(pre, ObservationNormalizer.identity(2));
        int n = batch.n();
        for (int i = 0; i < 50; i++) {
            int src = i * n / 50;
            assertThat(r.fisherStates()[2 * i]).isEqualTo(batch.obs()[2 * src]);
            assertThat(r.fisherStates()[2 * i + 1]).isEqualTo(batch.obs()[2 * src + 1]);
        }
        RunningMoments merged = ContinuousBoMrl.mergeMoments(RunningMoments.empty(2), round.results);
        assertThat(merged.count()).isEqualTo(r.preMoments().count());
    }

    @Test
    void invalidConfigNamesTheKeyAndPresetsFollowTheSpec() {
        ContinuousExperimentConfig ant = ContinuousExperimentConfig.paper("ant-dir", ContinuousAlgorithm.ALG2, 1);
        assertThat(ant.preRollouts()).isEqualTo(40);
        assertThat(ant.tasksPerIteration()).isEqualTo(4);
        assertThat(ant.metaMaxKl()).isEqualTo(0.03);
        ContinuousExperimentConfig vel = ContinuousExperimentConfig.paper("halfcheetah-vel", ContinuousAlgorithm.ALG1, 1);
        assertThat(vel.hidden()).containsExactly(128, 128);
        assertThat(vel.lowerLevel()).isEqualTo(io.metastream.core.continuous.LowerLevelConfig.paper(ContinuousAlgorithm.ALG1));
        assertThat(List.of(vel.preRollouts(), vel.postRollouts(), vel.tasksPerIteration(), vel.horizon(), vel.iterations(),
                vel.testSteps())).containsExactly(20, 100, 10, 200, 500, 3);
        assertThat(vel.metaMaxKl()).isEqualTo(0.01);
        assertThatThrownBy(() -> ContinuousExperimentConfig.paper("hopper", ContinuousAlgorithm.ALG1, 1))
                .hasMessageContaining("hopper");
        assertThatThrownBy(() -> new ContinuousExperimentConfig("pointnav", ContinuousAlgorithm.ALG1, new int[] {8}, -0.7,
                0.01, 0.5, 50, 1e-3, 3, 20, 20, 8, 1.5, 20, 0, 10, 1e-5, 0.01, 5, 1, 1, 100, true,
                MetaMethod.BOMRL, 0.1, 1e-3, 5, 0.3, 5e-4, 0, false))
                .hasMessageContaining("gamma");
        assertThatThrownBy(() -> new ContinuousExperimentConfig("pointnav", ContinuousAlgorithm.ALG1, new int[] {8}, -0.7,
                0.01, -0.5, 50, 1e-3, 3, 20, 20, 8, 0.99, 20, 0, 10, 1e-5, 0.01, 5, 1, 1, 100, true,
                MetaMethod.BOMRL, 0.1, 1e-3, 5, 0.3, 5e-4, 0, false))
                .hasMessageContaining("lambda");
        assertThatThrownBy(() -> new ContinuousMetaTrainer<>(vel, new PointNavigationFamily()))
                .hasMessageContaining("halfcheetah-vel");
    }

    /** Round 0 of training (identity normaliser) for the first {@code slots} tasks, done by hand. */
    private static Round oneRound(ContinuousExperimentConfig c, int slots) {
        PointNavigationFamily family = family(c);
        ContinuousBoMrl bomrl = new ContinuousBoMrl(c, 2, 2);
        ContinuousRollouts rollouts = bomrl.trainingRollouts();
        double[] phi = bomrl.initialPhi();
        ObservationNormalizer norm = bomrl.normalizer(RunningMoments.empty(2));
        List<PointGoal> tasks = ContinuousMetaTrainer.tasksOf(c, family, 0).subList(0, slots);
        List<ContinuousBoMrl.TaskResult> results = new ArrayList<>();
        List<List<ContinuousTrajectory>> pres = new ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
            PointNavigation env = family.newEnvironment(tasks.get(slot), rollouts.environmentHorizon());
            long preSeed = TabularBoMrl.collectionSeed(c.seed(), Purpose.PRE, 0, slot);
            List<ContinuousTrajectory> pre = rollouts.collect(env, phi, norm, preSeed, 0, c.preRollouts(),
                    ContinuousRollouts.Mode.STOCHASTIC);
            double[] theta = bomrl.adapt(phi, bomrl.estimate(pre, norm)).theta();
            List<ContinuousTrajectory> post = rollouts.collect(env, theta, norm, TabularBoMrl.postSeed(preSeed), 0,
                    c.postRollouts(), ContinuousRollouts.Mode.STOCHASTIC);
            results.add(bomrl.taskResult(phi, theta, pre, post, norm));
            pres.add(pre);
        }
        return new Round(bomrl, phi, results, pres);
    }

    private record Round(ContinuousBoMrl bomrl, double[] phi, List<ContinuousBoMrl.TaskResult> results,
                         List<List<ContinuousTrajectory>> pre) {
    }
}
