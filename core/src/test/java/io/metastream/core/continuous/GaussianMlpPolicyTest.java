package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class GaussianMlpPolicyTest {

    private final GaussianMlpPolicy policy = Fd.smallPolicy();

    @Test
    void layoutHoldsEveryWeightBiasAndLogStdOnce() {
        // 3·8 + 8, 8·8 + 8, 8·2 + 2, log σ 2
        assertThat(policy.parameterCount()).isEqualTo(32 + 72 + 18 + 2);
        assertThat(policy.layers()).isEqualTo(3);
        assertThat(new int[] {policy.weightOffset(0), policy.biasOffset(0), policy.weightOffset(1), policy.biasOffset(1),
                policy.weightOffset(2), policy.biasOffset(2), policy.logStdOffset()})
                .containsExactly(0, 24, 32, 96, 104, 120, 122);
    }

    @Test
    void initialisationIsDeterministicWithSmallOutputLayerAndGivenLogStd() {
        double[] a = policy.initialParameters(new SplittableRandom(7), -0.7, 0.01);
        double[] b = policy.initialParameters(new SplittableRandom(7), -0.7, 0.01);
        assertThat(a).containsExactly(b);
        double outLimit = 0.01 * Math.sqrt(6.0 / (8 + 2));
        for (int i = policy.weightOffset(2); i < policy.biasOffset(2); i++) {
            assertThat(Math.abs(a[i])).isLessThanOrEqualTo(outLimit);
        }
        for (int j = 0; j < 2; j++) {
            assertThat(a[policy.logStdOffset() + j]).isEqualTo(-0.7);
        }
        // |μ| ≤ Σ|W_out| |tanh| ≤ 8 · outLimit at initialisation
        for (double m : policy.mean(a, new double[] {1.0, -2.0, 0.5})) {
            assertThat(Math.abs(m)).isLessThanOrEqualTo(8 * outLimit);
        }
    }

    @Test
    void gradLogProbMatchesCentralDifferences() {
        double worst = 0;
        for (long seed = 1; seed <= 3; seed++) {
            double[] theta = Fd.randomTheta(policy, seed);
            double[] obs = Fd.uniform(3, 1.5, 100 + seed);
            double[] act = Fd.uniform(2, 1.0, 200 + seed);
            double[] grad = new double[policy.parameterCount()];
            policy.gradLogProb(theta, obs, act, grad);
            double[] fd = Fd.gradient(t -> policy.logProb(t, obs, act), theta, 1e-5);
            worst = Math.max(worst, Numerics.relativeError(grad, fd));
        }
        System.out.printf("gradLogProb relative error vs central differences: %.3e%n", worst);
        assertThat(worst).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void logProbIsTheDiagonalGaussianDensity() {
        double[] theta = Fd.randomTheta(policy, 4);
        double[] obs = {0.3, -0.2, 0.9};
        double[] mu = policy.mean(theta, obs);
        double[] act = {mu[0] + 0.4, mu[1] - 1.1};
        double expected = 0;
        for (int j = 0; j < 2; j++) {
            double sigma = Math.exp(theta[policy.logStdOffset() + j]);
            double z = (act[j] - mu[j]) / sigma;
            expected += Math.log(Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI)));
        }
        assertThat(policy.logProb(theta, obs, act)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void surrogateGradientMatchesCentralDifferencesOfWeightedLogLikelihood() {
        int n = 16;
        double[] theta = Fd.randomTheta(policy, 5);
        double[] obs = Fd.uniform(n * 3, 1.5, 11);
        double[] actions = Fd.uniform(n * 2, 1.0, 12);
        double[] weights = Fd.uniform(n, 1.0, 13);
        double[] grad = new double[policy.parameterCount()];
        policy.surrogateGradient(theta, obs, actions, weights, n, grad);
        double[] fd = Fd.gradient(t -> policy.surrogate(t, obs, actions, weights, n), theta, 1e-5);
        double err = Numerics.relativeError(grad, fd);
        System.out.printf("surrogate gradient relative error vs central differences: %.3e%n", err);
        assertThat(err).isLessThanOrEqualTo(1e-6);

        // and it is the weighted sum of per-sample gradLogProb
        double[] sum = new double[grad.length];
        double[] one = new double[grad.length];
        for (int i = 0; i < n; i++) {
            policy.gradLogProb(theta, java.util.Arrays.copyOfRange(obs, 3 * i, 3 * i + 3),
                    java.util.Arrays.copyOfRange(actions, 2 * i, 2 * i + 2), one);
            for (int k = 0; k < sum.length; k++) {
                sum[k] += weights[i] * one[k];
            }
        }
        assertThat(Numerics.relativeError(grad, sum)).isLessThanOrEqualTo(1e-13);
    }

    @Test
    void sampleMeanAndStdMatchThePolicyWithinFiveStandardErrors() {
        double[] theta = Fd.randomTheta(policy, 6);
        double[] obs = {0.5, 0.1, -0.4};
        double[] mu = policy.mean(theta, obs);
        int n = 200_000;
        double[] sum = new double[2];
        double[] sumSq = new double[2];
        SplittableRandom rng = new SplittableRandom(99);
        double[] a = new double[2];
        for (int i = 0; i < n; i++) {
            policy.sample(theta, obs, rng, a);
            for (int j = 0; j < 2; j++) {
                sum[j] += a[j];
                sumSq[j] += (a[j] - mu[j]) * (a[j] - mu[j]);
            }
        }
        for (int j = 0; j < 2; j++) {
            double sigma = Math.exp(theta[policy.logStdOffset() + j]);
            double mean = sum[j] / n;
            double var = sumSq[j] / n; // about the known mean: Var = 2σ⁴/n for a Gaussian
            // standard errors: σ/√n for the mean, σ²·√(2/n) for the variance; 5 of them
            assertThat(Math.abs(mean - mu[j])).isLessThanOrEqualTo(5 * sigma / Math.sqrt(n));
            assertThat(Math.abs(var - sigma * sigma)).isLessThanOrEqualTo(5 * sigma * sigma * Math.sqrt(2.0 / n));
        }
    }
}
