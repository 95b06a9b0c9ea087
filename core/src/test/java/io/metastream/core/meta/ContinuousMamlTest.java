package io.metastream.core.meta;

import io.metastream.core.Numerics;
import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.DiagonalGaussianKl;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.continuous.PolicyGradient;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.task.PointGoal;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static io.metastream.core.meta.MamlFixture.axpy;
import static io.metastream.core.meta.MamlFixture.logProbs;
import static io.metastream.core.meta.MamlFixture.weightedScore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The MAML-family per-task meta-gradients against central finite differences of their frozen-data
 * objectives, written here independently of {@link ContinuousMaml} (per-row weights on the policy's
 * surrogate gradient), and the outer steps.
 */
class ContinuousMamlTest {

    private static final double H = 1e-5;

    /** ∇_θ L_pre(θ) = ∇_θ[−mean_i Â_i ρ(π_θ/π_b)], ρ(r) = 2σ(2(r − 1)), ρ'(r) = 4σ(u)σ(−u), u = 2(r − 1). */
    private static double[] boundedGradient(GaussianMlpPolicy policy, double[] theta, double[] b, ContinuousBatch pre) {
        double[] lt = logProbs(policy, theta, pre);
        double[] lb = logProbs(policy, b, pre);
        double[] w = new double[pre.n()];
        for (int i = 0; i < pre.n(); i++) {
            double r = Math.exp(lt[i] - lb[i]);
            double s = 1 / (1 + Math.exp(-2 * (r - 1)));
            w[i] = -pre.advantages()[i] * 4 * s * (1 - s) * r / pre.n();
        }
        return weightedScore(policy, theta, pre, w);
    }

    /** F(ψ) of each method with the data and the denominators π_φ frozen (L_post = −mean Â log π_θ on POST). */
    private static ToDoubleFunction<double[]> objective(MetaMethod method, GaussianMlpPolicy policy, double alpha,
                                                       MamlFixture.TaskData d) {
        double gain = ContinuousRollouts.meanUndiscountedReturn(d.postEpisodes())
                - ContinuousRollouts.meanUndiscountedReturn(d.preEpisodes());
        double[] exploration = new double[d.pre().n()];
        Arrays.fill(exploration, -gain / d.preEpisodes().size());
        return psi -> {
            double[] innerGrad = new double[psi.length];
            if (method == MetaMethod.MAML_VPG) {
                PolicyGradient.lossGradient(policy, psi, d.pre(), innerGrad);
            } else {
                innerGrad = boundedGradient(policy, psi, d.phi(), d.pre());
            }
            double f = PolicyGradient.loss(policy, axpy(psi, -alpha, innerGrad), d.post());
            if (method == MetaMethod.E_MAML) {
                f += policy.surrogate(psi, d.pre().obs(), d.pre().actions(), exploration, d.pre().n());
            }
            return f;
        };
    }

    @Test
    void perTaskMetaGradientsMatchFiniteDifferencesOfTheirFrozenDataObjectives() {
        List<String> report = new ArrayList<>();
        for (MetaMethod method : List.of(MetaMethod.MAML_VPG, MetaMethod.MAML_TRPO, MetaMethod.E_MAML, MetaMethod.PROMP)) {
            ContinuousExperimentConfig c = MamlFixture.tiny(method, 5);
            ContinuousMaml maml = new ContinuousMaml(c, 2, 2);
            GaussianMlpPolicy policy = new GaussianMlpPolicy(2, c.hidden(), 2);
            double worst = 0;
            for (long seed = 1; seed <= 3; seed++) {
                double[] phi = MamlFixture.randomPhi(policy, seed);
                MamlFixture.TaskData d = MamlFixture.collect(maml, phi, new PointGoal(0.3, -0.2 * seed), 100 + seed);
                ContinuousBoMrl.TaskResult r = maml.taskResult(phi, d.theta(), d.preEpisodes(), d.postEpisodes(),
                        MamlFixture.IDENTITY);
                double[] fd = MamlFixture.fdGradient(objective(method, policy, c.innerStepSize(), d), phi, H);
                worst = Math.max(worst, Numerics.relativeError(r.metaGradient(), fd));
                double[] g = new double[phi.length];
                PolicyGradient.lossGradient(policy, d.theta(), d.post(), g);
                assertThat(r.cgSolution()).containsExactly(g);
                assertThat(r.theta()).containsExactly(d.theta());
                assertThat(r.cgResidual()).isZero();
            }
            report.add(method.label() + " " + String.format("%.2e", worst));
            assertThat(worst).as(method.label()).isLessThanOrEqualTo(1e-6);
        }
        System.out.println("per-task meta-gradient vs FD of F(φ), worst of 3 φ: " + report);
    }

    @Test
    void innerStepIsOnePolicyGradientStepOfSizeAlpha() {
        ContinuousExperimentConfig c = MamlFixture.tiny(MetaMethod.MAML_TRPO, 6).withStepSizes(0.25, 1e-3);
        ContinuousMaml maml = new ContinuousMaml(c, 2, 2);
        GaussianMlpPolicy policy = new GaussianMlpPolicy(2, c.hidden(), 2);
        double[] phi = MamlFixture.randomPhi(policy, 9);
        MamlFixture.TaskData d = MamlFixture.collect(maml, phi, new PointGoal(0.1, 0.4), 9);
        double[] g = new double[phi.length];
        PolicyGradient.lossGradient(policy, phi, d.pre(), g);
        assertThat(d.theta()).containsExactly(axpy(phi, -0.25, g));
        var solution = maml.adapt(phi, d.pre());
        assertThat(solution.steps()).isEqualTo(1);
        assertThat(solution.meanKl()).isEqualTo(new DiagonalGaussianKl(policy).value(phi, d.theta(), d.pre().obs(), d.pre().n()));
        assertThat(solution.loss()).isLessThan(maml.boundedSurrogate(phi, phi, d.pre()));
    }

    /** A round of {@code slots} tasks by hand with the method's per-task steps, φ the seed's φ₀. */
    private static List<ContinuousBoMrl.TaskResult> round(ContinuousMaml maml, double[] phi, int slots) {
        List<ContinuousBoMrl.TaskResult> results = new ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
            MamlFixture.TaskData d = MamlFixture.collect(maml, phi, new PointGoal(0.4 - 0.3 * slot, 0.2 * slot), 40 + slot);
            results.add(maml.taskResult(phi, d.theta(), d.preEpisodes(), d.postEpisodes(), MamlFixture.IDENTITY));
        }
        return results;
    }

    @Test
    void mamlTrpoStepIsAnAcceptedDescentStepWithinMaxKl() {
        for (MetaMethod method : List.of(MetaMethod.MAML_TRPO, MetaMethod.E_MAML)) {
            ContinuousExperimentConfig c = MamlFixture.tiny(method, 7);
            ContinuousMaml maml = new ContinuousMaml(c, 2, 2);
            double[] phi = maml.initialPhi();
            List<ContinuousBoMrl.TaskResult> results = round(maml, phi, 3);
            ContinuousBoMrl.MetaUpdate update = maml.metaUpdate(phi, results);
            double[] mean = ContinuousBoMrl.mean(results.stream().map(ContinuousBoMrl.TaskResult::metaGradient).toList());
            assertThat(update.meanMetaGradient()).containsExactly(mean);
            assertThat(update.trpo().accepted()).isTrue();
            assertThat(update.trpo().kl()).isLessThanOrEqualTo(c.metaMaxKl()).isGreaterThan(0);
            double descent = 0;
            for (int k = 0; k < phi.length; k++) {
                descent += mean[k] * (update.phi()[k] - phi[k]);
            }
            assertThat(descent).as("a descent step on ḡ·(φ − φold)").isLessThan(0);
            // the linear surrogate's actual improvement is its prediction: only the KL can reject a candidate
            assertThat(update.trpo().improvement()).isCloseTo(-descent, within(1e-12 * -descent));
            assertThat(update.trpo().improvement()).isCloseTo(update.trpo().expectedImprovement(), within(1e-9 * -descent));
            System.out.printf("%s TRPO step: KL %.5f (max %.3f), halvings %d%n", method.label(), update.trpo().kl(),
                    c.metaMaxKl(), update.trpo().halvings());
        }
    }

    @Test
    void mamlVpgAdamStepResumesBitIdenticallyFromItsState() {
        ContinuousExperimentConfig c = MamlFixture.tiny(MetaMethod.MAML_VPG, 8);
        ContinuousMaml a = new ContinuousMaml(c, 2, 2);
        double[] phi0 = a.initialPhi();
        List<ContinuousBoMrl.TaskResult> first = round(a, phi0, 2);
        ContinuousBoMrl.MetaUpdate u1 = a.metaUpdate(phi0, first);
        double[] saved = a.optimizer().state();
        List<ContinuousBoMrl.TaskResult> second = round(a, u1.phi(), 2);
        double[] continued = a.metaUpdate(u1.phi(), second).phi();

        ContinuousMaml resumed = new ContinuousMaml(c, 2, 2);
        resumed.optimizer().restore(saved);
        assertThat(resumed.metaUpdate(u1.phi(), second).phi()).containsExactly(continued);
        ContinuousMaml fresh = new ContinuousMaml(c, 2, 2);
        assertThat(fresh.metaUpdate(u1.phi(), second).phi()).as("without the moments the step differs")
                .isNotEqualTo(continued);
        // Adam's first step moves every coordinate with a non-zero gradient by ≈ lr against its sign
        double[] mean = u1.meanMetaGradient();
        for (int k = 0; k < phi0.length; k++) {
            if (Math.abs(mean[k]) > 1e-6) {
                assertThat(u1.phi()[k] - phi0[k]).isCloseTo(-Math.signum(mean[k]) * c.metaLearningRate(),
                        within(1e-2 * c.metaLearningRate()));
            }
        }
        assertThat(u1.trpo().accepted()).isTrue();
        assertThat(u1.trpo().kl()).isGreaterThan(0);
    }

    @Test
    void methodsRefuseTheWrongOuterStep() {
        ContinuousMaml promp = new ContinuousMaml(MamlFixture.tiny(MetaMethod.PROMP, 1), 2, 2);
        assertThatThrownBy(() -> promp.metaUpdate(promp.initialPhi(), List.of())).hasMessageContaining("proMpUpdate");
        ContinuousMaml trpo = new ContinuousMaml(MamlFixture.tiny(MetaMethod.MAML_TRPO, 1), 2, 2);
        assertThatThrownBy(() -> trpo.proMpUpdate(trpo.initialPhi(), List.of(), List.of())).hasMessageContaining("maml-trpo");
        assertThatThrownBy(() -> new ContinuousMaml(MamlFixture.tiny(MetaMethod.BOMRL, 1), 2, 2)).hasMessageContaining("bomrl");
    }
}
