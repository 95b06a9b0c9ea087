package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigationFamily;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** In-process meta-training of the MAML-family baselines on point navigation, and their meta-test. */
class BaselineTrainingTest {

    private static final List<MetaMethod> BASELINES = List.of(MetaMethod.MAML_VPG, MetaMethod.MAML_TRPO,
            MetaMethod.E_MAML, MetaMethod.PROMP);

    @Test
    void everyBaselineTrainsDeterministicallyAndMovesThePrior() {
        List<double[]> finals = new ArrayList<>();
        for (MetaMethod method : BASELINES) {
            ContinuousExperimentConfig c = MamlFixture.tiny(method, 11).withIterations(3);
            PointNavigationFamily family = new PointNavigationFamily(c.horizon());
            List<double[]> a = new ArrayList<>();
            List<double[]> b = new ArrayList<>();
            ContinuousMetaTrainer.Result ra = new ContinuousMetaTrainer<>(c, family).train(s -> a.add(s.phi()));
            ContinuousMetaTrainer.Result rb = new ContinuousMetaTrainer<>(c, family).train(s -> b.add(s.phi()));
            assertThat(a).hasSize(3);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i)).as(method.label() + " iteration " + i).containsExactly(b.get(i));
            }
            assertThat(ra.moments().mean()).containsExactly(rb.moments().mean());
            assertThat(ra.phi()).as(method.label()).isNotEqualTo(ra.initialPhi());
            assertThat(ra.history()).allSatisfy(s -> {
                assertThat(s.innerSteps()).isEqualTo(1);
                assertThat(s.trpoKl()).isGreaterThan(0);
                assertThat(s.gradientNorm()).isGreaterThan(0);
            });
            if (method == MetaMethod.MAML_TRPO || method == MetaMethod.E_MAML) {
                assertThat(ra.history()).allSatisfy(s -> assertThat(s.trpoKl()).isLessThanOrEqualTo(c.metaMaxKl()));
            }
            ContinuousMetaTest<PointGoal> test = new ContinuousMetaTest<>(c, family);
            List<PointGoal> goals = family.testTasks().subList(0, 2);
            ContinuousMetaTest.Returns ta = test.evaluatePrior(ra, goals);
            ContinuousMetaTest.Returns tb = new ContinuousMetaTest<>(c, family).evaluatePrior(rb, goals);
            for (int i = 0; i < goals.size(); i++) {
                assertThat(ta.stochastic()[i]).containsExactly(tb.stochastic()[i]);
                assertThat(ta.deterministic()[i]).containsExactly(tb.deterministic()[i]);
            }
            finals.add(ra.phi());
        }
        for (int i = 0; i < finals.size(); i++) {
            for (int j = i + 1; j < finals.size(); j++) {
                assertThat(finals.get(i)).as(BASELINES.get(i) + " vs " + BASELINES.get(j)).isNotEqualTo(finals.get(j));
            }
        }
    }

    /**
     * MAML-TRPO on the point-navigation preset (15 iterations, 8 tasks × (20 PRE + 100 POST)) with inner
     * step α = 0.03, seeds 1..4: the POST (post-adaptation) return of the last five iterations beats the first
     * iteration's, and on the 20 fixed test goals one inner step from the trained prior beats one from φ₀.
     * One seed is a noisy sample of a 15-iteration run: a change in the last bits of tanh moved seed 1's
     * deterministic margin from 2.35 to 0.95, and fused multiply-adds in the acting pass moved it back to 2.45. So
     * the claims hold per seed with margins below the lowest seen, and the mean deterministic margin is asserted.
     * Measured (numerics 2), seeds 1..4: first-iteration POST −9.59, −10.87, −10.08, −10.13 → last-five mean −7.05,
     * −6.92, −6.70, −7.19; test k = 1 stochastic trained −7.10, −7.19, −6.69, −7.19 vs φ₀ −10.42, −10.62, −10.44,
     * −10.89; deterministic −4.25, −5.74, −4.72, −4.56 vs −6.70, −6.99, −6.83, −6.69 (margins 2.45, 1.26, 2.11,
     * 2.13, mean 1.99; with tanh changed alone 0.95, 1.20, 2.10, 2.18, mean 1.61). With the default α = 0.1 on these unnormalised advantages the inner step overshoots
     * (φ₀'s deterministic return drops from −8.3 to −12.4 after it) and 15 iterations do not improve the test
     * return (stochastic k = 1 −9.24 vs φ₀ −8.49, numerics 1).
     */
    @Test
    void mamlTrpoImprovesThePostAdaptationReturn() {
        double marginSum = 0;
        int seeds = 4;
        for (long seed = 1; seed <= seeds; seed++) {
            ContinuousExperimentConfig c = ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, seed)
                    .withMethod(MetaMethod.MAML_TRPO).withStepSizes(0.03, 1e-3).withTestSteps(1);
            PointNavigationFamily family = new PointNavigationFamily(c.horizon());
            ContinuousMetaTrainer.Result trained = new ContinuousMetaTrainer<>(c, family).train(s -> { });
            List<ContinuousMetaTrainer.IterationStats> h = trained.history();
            double lastFive = h.subList(h.size() - 5, h.size()).stream()
                    .mapToDouble(ContinuousMetaTrainer.IterationStats::postReturn).average().orElseThrow();
            ContinuousMetaTest<PointGoal> test = new ContinuousMetaTest<>(c, family);
            ContinuousMetaTest.Returns prior = test.evaluatePrior(trained, family.testTasks());
            ContinuousMetaTest.Returns init = test.evaluate(MetaMethod.MAML_TRPO, trained.initialPhi(), trained.normalizer(),
                    family.testTasks());
            System.out.printf("MAML-TRPO point nav seed %d: POST first %.2f, last five %.2f; test k=0,1 trained det %s sto %s, "
                            + "φ₀ det %s sto %s%n", seed, h.get(0).postReturn(), lastFive,
                    Arrays.toString(prior.meanDeterministic()), Arrays.toString(prior.meanStochastic()),
                    Arrays.toString(init.meanDeterministic()), Arrays.toString(init.meanStochastic()));
            String s = "seed " + seed;
            assertThat(lastFive).as(s).isGreaterThan(h.get(0).postReturn() + 2);
            assertThat(prior.meanStochastic()[1]).as(s).isGreaterThan(init.meanStochastic()[1] + 2.5);
            double margin = prior.meanDeterministic()[1] - init.meanDeterministic()[1];
            assertThat(margin).as(s).isGreaterThan(0.75);
            assertThat(prior.meanStochastic()[1]).as(s + ": adaptation helps").isGreaterThan(prior.meanStochastic()[0] + 1.5);
            marginSum += margin;
        }
        assertThat(marginSum / seeds).as("mean deterministic margin").isGreaterThan(1.3);
    }

    @Test
    void metaTestOfAMamlPriorAdaptsWithTheInnerStepAndBoMrlIsUnchanged() {
        ContinuousExperimentConfig c = MamlFixture.tiny(MetaMethod.MAML_TRPO, 12).withTestSteps(2);
        PointNavigationFamily family = new PointNavigationFamily(c.horizon());
        ContinuousMetaTest<PointGoal> test = new ContinuousMetaTest<>(c, family);
        ContinuousMaml maml = new ContinuousMaml(c, 2, 2);
        double[] phi = maml.initialPhi();
        List<PointGoal> goals = family.testTasks().subList(0, 2);
        var normalizer = MamlFixture.IDENTITY;
        ContinuousMetaTest.Returns viaBoMrl = test.evaluate(MetaMethod.BOMRL, phi, normalizer, goals);
        ContinuousMetaTest.Returns legacy = test.evaluate(phi, normalizer, goals);
        ContinuousMetaTest.Returns viaMaml = test.evaluate(MetaMethod.MAML_TRPO, phi, normalizer, goals);
        ContinuousMetaTest.Returns viaVpg = test.evaluate(MetaMethod.MAML_VPG, phi, normalizer, goals);
        for (int i = 0; i < goals.size(); i++) {
            assertThat(viaBoMrl.stochastic()[i]).containsExactly(legacy.stochastic()[i]);
            assertThat(viaMaml.stochastic()[i][0]).as("k = 0 evaluates the prior itself")
                    .isEqualTo(viaBoMrl.stochastic()[i][0]);
            assertThat(viaMaml.stochastic()[i][1]).isNotEqualTo(viaBoMrl.stochastic()[i][1]);
            // every MAML-family method adapts with the same inner step
            assertThat(viaVpg.stochastic()[i]).containsExactly(viaMaml.stochastic()[i]);
        }
    }
}
