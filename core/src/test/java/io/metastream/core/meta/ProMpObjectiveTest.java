package io.metastream.core.meta;

import io.metastream.core.Numerics;
import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.DiagonalGaussianKl;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.task.PointGoal;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.metastream.core.meta.MamlFixture.axpy;
import static io.metastream.core.meta.MamlFixture.logProbs;
import static io.metastream.core.meta.MamlFixture.weightedScore;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ProMP's outer objective: its value against the formula written out here, its gradient (the chain rule
 * through the LVC inner step) against central differences of that value away from φold with some rows
 * clipped, and at φold the mean of the per-task meta-gradients.
 */
class ProMpObjectiveTest {

    private static final double ALPHA = 0.1;
    private static final double CLIP = 0.1;
    private static final double KL_WEIGHT = 0.5;

    private final ContinuousExperimentConfig config = MamlFixture.tiny(MetaMethod.PROMP, 3);
    private final ContinuousMaml maml = new ContinuousMaml(config, 2, 2);
    private final GaussianMlpPolicy policy = new GaussianMlpPolicy(2, config.hidden(), 2);
    private final double[] phiOld = MamlFixture.randomPhi(policy, 17);
    private final List<MamlFixture.TaskData> data = List.of(
            MamlFixture.collect(maml, phiOld, new PointGoal(0.3, 0.1), 71),
            MamlFixture.collect(maml, phiOld, new PointGoal(-0.2, 0.4), 72));
    private final List<ProMpObjective.Task> tasks = data.stream()
            .map(d -> new ProMpObjective.Task(d.pre(), d.post())).toList();

    /** θ'(φ) = φ − α ∇[−mean Â π_φ/π_φold] on PRE. */
    private double[] innerStep(double[] phi, ContinuousBatch pre) {
        double[] lp = logProbs(policy, phi, pre);
        double[] lpOld = logProbs(policy, phiOld, pre);
        double[] w = new double[pre.n()];
        for (int i = 0; i < pre.n(); i++) {
            w[i] = -pre.advantages()[i] * Math.exp(lp[i] - lpOld[i]) / pre.n();
        }
        return axpy(phi, -ALPHA, weightedScore(policy, phi, pre, w));
    }

    /** Per POST row of each task: ρ_j = π_θ'(φ)/π_θ'(φold). */
    private List<double[]> postRatios(double[] phi) {
        List<double[]> out = new ArrayList<>();
        for (MamlFixture.TaskData d : data) {
            double[] lp = logProbs(policy, innerStep(phi, d.pre()), d.post());
            double[] lpOld = logProbs(policy, innerStep(phiOld, d.pre()), d.post());
            double[] rho = new double[lp.length];
            for (int j = 0; j < rho.length; j++) {
                rho[j] = Math.exp(lp[j] - lpOld[j]);
            }
            out.add(rho);
        }
        return out;
    }

    private double reference(double[] phi) {
        List<double[]> ratios = postRatios(phi);
        DiagonalGaussianKl kl = new DiagonalGaussianKl(policy);
        double sum = 0;
        for (int t = 0; t < data.size(); t++) {
            ContinuousBatch post = data.get(t).post();
            double clipped = 0;
            for (int j = 0; j < post.n(); j++) {
                double a = post.advantages()[j];
                double rho = ratios.get(t)[j];
                clipped += Math.min(rho * a, Math.max(1 - CLIP, Math.min(1 + CLIP, rho)) * a);
            }
            sum += -clipped / post.n() + KL_WEIGHT * kl.value(phiOld, phi, data.get(t).pre().obs(), data.get(t).pre().n());
        }
        return sum / data.size();
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheValueAwayFromPhiOldWithClippedRows() {
        ProMpObjective o = new ProMpObjective(policy, phiOld, tasks, ALPHA, CLIP, KL_WEIGHT);
        double worst = 0;
        int clippedRows = 0;
        int rows = 0;
        int tested = 0;
        // perturbations of φold whose POST ratios all stay 1e-3 away from the kinks at 1 ± ε (FD moves them ~1e-5)
        for (long seed = 1; seed <= 20 && tested < 3; seed++) {
            double[] noise = new double[phiOld.length];
            SplittableRandom rng = new SplittableRandom(seed);
            for (int k = 0; k < noise.length; k++) {
                noise[k] = 2 * rng.nextDouble() - 1;
            }
            double[] phi = axpy(phiOld, 0.02 * (1 + tested), noise);
            double margin = Double.POSITIVE_INFINITY;
            int clipped = 0;
            List<double[]> ratios = postRatios(phi);
            for (int t = 0; t < data.size(); t++) {
                double[] rho = ratios.get(t);
                for (int j = 0; j < rho.length; j++) {
                    double a = data.get(t).post().advantages()[j];
                    margin = Math.min(margin, Math.min(Math.abs(rho[j] - 1 - CLIP), Math.abs(rho[j] - 1 + CLIP)));
                    clipped += (a >= 0 ? rho[j] > 1 + CLIP : rho[j] < 1 - CLIP) ? 1 : 0;
                }
            }
            if (margin < 1e-3) {
                continue;
            }
            tested++;
            clippedRows += clipped;
            rows += ratios.stream().mapToInt(r -> r.length).sum();
            assertThat(o.value(phi)).isCloseTo(reference(phi), org.assertj.core.api.Assertions.within(1e-12));
            double[] grad = new double[phi.length];
            o.gradient(phi, grad);
            double[] fd = MamlFixture.fdGradient(o::value, phi, 1e-6);
            worst = Math.max(worst, Numerics.relativeError(grad, fd));
        }
        assertThat(tested).isEqualTo(3);
        System.out.printf("ProMP outer gradient vs FD of O(φ), worst of 3 φ: %.2e (%d of %d POST rows clipped)%n",
                worst, clippedRows, rows);
        assertThat(clippedRows).as("the clipped branch is exercised").isGreaterThan(0);
        assertThat(worst).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void atPhiOldTheGradientIsTheMeanTaskMetaGradient() {
        ProMpObjective o = new ProMpObjective(policy, phiOld, tasks, config.innerStepSize(), config.prompClip(),
                config.prompKlWeight());
        double[] grad = new double[phiOld.length];
        o.gradient(phiOld, grad);
        List<double[]> perTask = new ArrayList<>();
        for (MamlFixture.TaskData d : data) {
            perTask.add(maml.taskResult(phiOld, d.theta(), d.preEpisodes(), d.postEpisodes(), MamlFixture.IDENTITY)
                    .metaGradient());
        }
        assertThat(Numerics.relativeError(grad, ContinuousBoMrl.mean(perTask))).isLessThan(1e-12);
    }

    @Test
    void proMpUpdateTakesPrompStepsAdamStepsThatLowerTheObjective() {
        List<ContinuousBoMrl.TaskResult> results = new ArrayList<>();
        for (MamlFixture.TaskData d : data) {
            results.add(maml.taskResult(phiOld, d.theta(), d.preEpisodes(), d.postEpisodes(), MamlFixture.IDENTITY));
        }
        ContinuousBoMrl.MetaUpdate u = maml.proMpUpdate(phiOld, results, tasks);
        ProMpObjective o = maml.proMpObjective(phiOld, tasks);
        double[] expected = phiOld.clone();
        Adam adam = new Adam(config.metaLearningRate(), 0.9, 0.999, 1e-8);
        double[] g = new double[phiOld.length];
        for (int s = 0; s < config.prompSteps(); s++) {
            o.gradient(expected, g);
            for (int k = 0; k < g.length; k++) {
                g[k] = -g[k];
            }
            expected = adam.step(expected, g);
        }
        assertThat(u.phi()).containsExactly(expected);
        assertThat(maml.optimizer().state()).containsExactly(adam.state());
        assertThat(u.trpo().improvement()).isEqualTo(o.value(phiOld) - o.value(u.phi())).isGreaterThan(0);
    }
}
