package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigation;
import io.metastream.core.task.PointNavigationFamily;

import java.util.List;
import java.util.SplittableRandom;

/** Small point-navigation problems and finite differences for the MAML-family tests. */
final class MamlFixture {

    static final ObservationNormalizer IDENTITY = ObservationNormalizer.identity(2);

    private MamlFixture() {
    }

    /** Point navigation with an MLP 8-8 whose output layer is not shrunk, H 10 + C 5, 4 PRE / 6 POST rollouts. */
    static ContinuousExperimentConfig tiny(MetaMethod method, long seed) {
        ContinuousExperimentConfig p = ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, seed);
        return new ContinuousExperimentConfig(p.family(), p.algorithm(), new int[] {8, 8}, p.initLogStd(), 1.0,
                p.lambda(), p.innerSteps(), p.innerLearningRate(), p.innerMaxKl(), 4, 6, 2, p.gamma(), 10, 5,
                p.cgIterations(), p.cgDamping(), p.metaMaxKl(), 2, 1, 2, 1000, true, method, 0.1, 1e-3, 5, 0.3, 5e-4,
                seed, false);
    }

    /** Glorot weights (output layer unscaled) plus U(−0.1, 0.1) noise, log σ ≈ −0.7. */
    static double[] randomPhi(GaussianMlpPolicy policy, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] phi = policy.initialParameters(rng, -0.7, 1.0);
        for (int i = 0; i < phi.length; i++) {
            phi[i] += 0.1 * (2 * rng.nextDouble() - 1);
        }
        return phi;
    }

    /** One task's PRE episodes with π_φ, θ' = the method's inner step, and POST episodes with π_θ'. */
    record TaskData(double[] phi, double[] theta, List<ContinuousTrajectory> preEpisodes,
                    List<ContinuousTrajectory> postEpisodes, ContinuousBatch pre, ContinuousBatch post) {
    }

    static TaskData collect(ContinuousMaml maml, double[] phi, PointGoal goal, long seed) {
        ContinuousExperimentConfig c = maml.config();
        ContinuousRollouts rollouts = maml.trainingRollouts();
        PointNavigation env = new PointNavigationFamily(c.horizon()).newEnvironment(goal, rollouts.environmentHorizon());
        List<ContinuousTrajectory> pre = rollouts.collect(env, phi, IDENTITY, seed, 0, c.preRollouts(),
                ContinuousRollouts.Mode.STOCHASTIC);
        ContinuousBatch preBatch = maml.estimate(pre, IDENTITY);
        double[] theta = maml.adapt(phi, preBatch).theta();
        List<ContinuousTrajectory> post = rollouts.collect(env, theta, IDENTITY, seed + 1, 0, c.postRollouts(),
                ContinuousRollouts.Mode.STOCHASTIC);
        return new TaskData(phi, theta, pre, post, preBatch, maml.estimate(post, IDENTITY));
    }

    /** ∂f/∂x_i by central differences ({@link io.metastream.core.continuous.Fd#gradient}). */
    static double[] fdGradient(java.util.function.ToDoubleFunction<double[]> f, double[] x, double h) {
        return io.metastream.core.continuous.Fd.gradient(f, x, h);
    }

    /** Per-row log π_θ(a_i|s_i) of a batch, from {@link GaussianMlpPolicy#logProb}. */
    static double[] logProbs(GaussianMlpPolicy policy, double[] theta, ContinuousBatch b) {
        double[] out = new double[b.n()];
        for (int i = 0; i < b.n(); i++) {
            out[i] = policy.logProb(theta, java.util.Arrays.copyOfRange(b.obs(), i * b.obsDim(), (i + 1) * b.obsDim()),
                    java.util.Arrays.copyOfRange(b.actions(), i * b.actDim(), (i + 1) * b.actDim()));
        }
        return out;
    }

    /** ∇_θ Σ_i w_i log π_θ(a_i|s_i). */
    static double[] weightedScore(GaussianMlpPolicy policy, double[] theta, ContinuousBatch b, double[] w) {
        double[] out = new double[theta.length];
        policy.surrogateGradient(theta, b.obs(), b.actions(), w, b.n(), out);
        return out;
    }

    static double[] axpy(double[] x, double a, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + a * y[i];
        }
        return out;
    }
}
