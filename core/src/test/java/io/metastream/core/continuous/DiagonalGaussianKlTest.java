package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DiagonalGaussianKlTest {

    private static final int N = 12;

    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final DiagonalGaussianKl kl = new DiagonalGaussianKl(policy);
    private final double[] obs = Fd.uniform(N * 3, 1.5, 21);
    private final double[] p = Fd.randomTheta(policy, 1);
    private final double[] q = perturbed(p, 0.3, 2);

    /**
     * The anchored Fisher product over several shards (70 blocks of 64 rows = 3 shards) has the same bits on
     * 1, 2 and 3 threads, and agrees with the unsharded per-row definition up to rounding; the anchor's cached
     * activations (computed in parallel) give the same product as the uncached path.
     */
    @Test
    void shardedFisherProductHasTheSameBitsOnAnyNumberOfThreads() {
        int n = 70 * 64 - 5;
        double[] states = Fd.uniform(n * 3, 1.5, 51);
        double[] v = Fd.uniform(p.length, 1.0, 52);
        double[][] out = new double[3][p.length];
        for (int threads = 1; threads <= 3; threads++) {
            DiagonalGaussianKl k = new DiagonalGaussianKl(policy);
            k.threads(threads);
            k.anchor(p, states, n);
            assertThat(k.anchorCached()).isTrue();
            k.anchoredFisherVectorProduct(v, out[threads - 1]);
        }
        assertThat(out[1]).containsExactly(out[0]);
        assertThat(out[2]).containsExactly(out[0]);
        DiagonalGaussianKl uncached = new DiagonalGaussianKl(policy, 0);
        uncached.threads(2);
        uncached.anchor(p, states, n);
        assertThat(uncached.anchorCached()).isFalse();
        double[] fromForward = new double[p.length];
        uncached.anchoredFisherVectorProduct(v, fromForward);
        assertThat(fromForward).containsExactly(out[0]);
        double[] sum = new double[p.length];   // one shard per call: the plain sum over the pieces' rows
        double[] piece = new double[p.length];
        for (int start = 0; start < n; start += 1000) {
            int rows = Math.min(1000, n - start);
            kl.fisherVectorProduct(p, Arrays.copyOfRange(states, start * 3, (start + rows) * 3), rows, v, piece);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += piece[i] * rows / n;
            }
        }
        int ls = policy.logStdOffset();
        for (int j = 0; j < policy.actDim(); j++) {
            sum[ls + j] = 2 * v[ls + j];
        }
        double err = Numerics.relativeError(out[0], sum);
        System.out.printf("sharded Fisher product vs sum of pieces: %.2e%n", err);
        assertThat(err).isLessThan(1e-13);
    }

    private static double[] perturbed(double[] theta, double scale, long seed) {
        double[] noise = Fd.uniform(theta.length, scale, seed);
        double[] out = theta.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += noise[i];
        }
        return out;
    }

    @Test
    void klIsZeroAtEqualParametersAndPositiveOtherwise() {
        assertThat(kl.value(p, p, obs, N)).isEqualTo(0.0);
        assertThat(kl.value(p, q, obs, N)).isPositive();
        assertThat(kl.value(q, p, obs, N)).isPositive().isNotEqualTo(kl.value(p, q, obs, N));
    }

    @Test
    void klMatchesMonteCarloLogRatioWithinFiveStandardErrors() {
        SplittableRandom rng = new SplittableRandom(5);
        int m = 20_000;
        double[] s = new double[3];
        double[] a = new double[2];
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < N; i++) {
            System.arraycopy(obs, 3 * i, s, 0, 3);
            for (int k = 0; k < m; k++) {
                policy.sample(p, s, rng, a);
                double r = policy.logProb(p, s, a) - policy.logProb(q, s, a);
                sum += r;
                sumSq += r * r;
            }
        }
        double total = (double) N * m;
        double mean = sum / total;
        double stdErr = Math.sqrt((sumSq / total - mean * mean) / total);
        assertThat(Math.abs(mean - kl.value(p, q, obs, N))).isLessThanOrEqualTo(5 * stdErr);
    }

    @Test
    void gradientWithRespectToFirstArgumentMatchesCentralDifferences() {
        double[] g = new double[p.length];
        double value = kl.gradientFirst(p, q, obs, N, g);
        double[] fd = Fd.gradient(t -> kl.value(t, q, obs, N), p, 1e-5);
        double err = Numerics.relativeError(g, fd);
        System.out.printf("KL gradient wrt first argument, relative error: %.3e%n", err);
        assertThat(err).isLessThanOrEqualTo(1e-6);
        assertThat(value).isEqualTo(kl.value(p, q, obs, N));
    }

    @Test
    void gradientWithRespectToSecondArgumentMatchesCentralDifferences() {
        double[] g = new double[p.length];
        double value = kl.gradientSecond(p, q, obs, N, g);
        double[] fd = Fd.gradient(t -> kl.value(p, t, obs, N), q, 1e-5);
        double err = Numerics.relativeError(g, fd);
        System.out.printf("KL gradient wrt second argument, relative error: %.3e%n", err);
        assertThat(err).isLessThanOrEqualTo(1e-6);
        assertThat(value).isEqualTo(kl.value(p, q, obs, N));
    }

    @Test
    void fisherVectorProductIsTheHessianOfKlInEitherArgumentAtCoincidence() {
        double[] v = Fd.uniform(p.length, 1.0, 31);
        double[] fv = new double[p.length];
        kl.fisherVectorProduct(p, obs, N, v, fv);
        // ∇²_θ KL(π_old‖π_θ) v at θ = θ_old, by central differences of the exact gradient
        double[] fdSecond = Fd.directionalDerivative((t, out) -> kl.gradientSecond(p, t, obs, N, out), p, v, 1e-4);
        // ∇²_θ KL(π_θ‖π_old) v at θ = θ_old: the same Fisher
        double[] fdFirst = Fd.directionalDerivative((t, out) -> kl.gradientFirst(t, p, obs, N, out), p, v, 1e-4);
        double errSecond = Numerics.relativeError(fv, fdSecond);
        double errFirst = Numerics.relativeError(fv, fdFirst);
        System.out.printf("Fisher-vector product relative error vs FD of KL(old||θ) gradient: %.3e, of KL(θ||old): %.3e%n",
                errSecond, errFirst);
        assertThat(errSecond).isLessThanOrEqualTo(1e-6);
        assertThat(errFirst).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void fisherIsSymmetricAndPositiveSemidefinite() {
        double[] v = Fd.uniform(p.length, 1.0, 41);
        double[] w = Fd.uniform(p.length, 1.0, 42);
        double[] fv = new double[p.length];
        double[] fw = new double[p.length];
        kl.fisherVectorProduct(p, obs, N, v, fv);
        kl.fisherVectorProduct(p, obs, N, w, fw);
        double wFv = ConjugateGradient.dot(w, fv);
        double vFw = ConjugateGradient.dot(v, fw);
        assertThat(Math.abs(wFv - vFw)).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(wFv)));
        assertThat(ConjugateGradient.dot(v, fv)).isPositive();
        assertThat(Arrays.stream(fv).allMatch(Double::isFinite)).isTrue();
    }
}
