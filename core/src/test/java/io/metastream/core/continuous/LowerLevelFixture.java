package io.metastream.core.continuous;

import io.metastream.core.Numerics;

import java.util.SplittableRandom;

/** Small seeded lower-level problems for this package's tests. */
final class LowerLevelFixture {

    private LowerLevelFixture() {
    }

    /**
     * n rows: observations U(−1.5, 1.5)³, actions sampled from π_φ (so ratios are O(1)), advantages
     * N(0, advScale²) centred over the batch.
     */
    static ContinuousBatch batch(GaussianMlpPolicy policy, double[] phi, int n, double advScale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int obsDim = policy.obsDim();
        int actDim = policy.actDim();
        double[] obs = Fd.uniform(n * obsDim, 1.5, rng.nextLong());
        double[] actions = new double[n * actDim];
        double[] s = new double[obsDim];
        double[] a = new double[actDim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(obs, i * obsDim, s, 0, obsDim);
            policy.sample(phi, s, rng, a);
            System.arraycopy(a, 0, actions, i * actDim, actDim);
        }
        double[] adv = Numerics.gaussian(n, advScale, rng.nextLong());
        double mean = 0;
        for (double x : adv) {
            mean += x / n;
        }
        for (int i = 0; i < n; i++) {
            adv[i] -= mean;
        }
        return new ContinuousBatch(n, obsDim, actDim, obs, actions, adv);
    }

    static double[] perturbed(double[] theta, double scale, long seed) {
        double[] noise = Fd.uniform(theta.length, scale, seed);
        double[] out = theta.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += noise[i];
        }
        return out;
    }

    static ContinuousLowerLevel lowerLevel(GaussianMlpPolicy policy, ContinuousAlgorithm algorithm, double lambda) {
        return new ContinuousLowerLevel(policy, LowerLevelConfig.paper(algorithm).withLambda(lambda));
    }
}
