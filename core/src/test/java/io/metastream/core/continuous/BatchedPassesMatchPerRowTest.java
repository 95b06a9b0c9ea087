package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The block passes of {@link GaussianMlpPolicy#surrogateGradient} / {@link GaussianMlpPolicy#surrogate},
 * {@link DiagonalGaussianKl} and {@link ScoreFunctionCalculus} against their former per-row implementations
 * ({@link PerRowReference}) on random θ, on the HalfCheetah-shaped net (obs 20, 128-128, act 6) and the small
 * test net (3, 8-8, 2), at batch sizes around the 64-row block boundary: equal up to rounding (1e-12 relative).
 * Also: the anchored (cached) Fisher products and KL of a TRPO step equal the unanchored ones bit for bit.
 */
class BatchedPassesMatchPerRowTest {

    private static final double TOL = 1e-12;

    static Stream<Arguments> cases() {
        return Stream.of("small", "cheetah")
                .flatMap(net -> Stream.of(1, 63, 64, 65, 200).map(n -> Arguments.of(net, n)));
    }

    private static GaussianMlpPolicy policy(String net) {
        return net.equals("small") ? Fd.smallPolicy() : new GaussianMlpPolicy(20, new int[] {128, 128}, 6);
    }

    private static void assertClose(String what, double actual, double reference) {
        double err = Math.abs(actual - reference) / Math.abs(reference);
        assertThat(err).as(what + " relative error").isLessThanOrEqualTo(TOL);
    }

    private static double assertClose(String what, double[] actual, double[] reference) {
        double err = Numerics.relativeError(actual, reference);
        assertThat(err).as(what + " relative error").isLessThanOrEqualTo(TOL);
        return err;
    }

    @ParameterizedTest(name = "{0} net, n = {1}")
    @MethodSource("cases")
    void policySurrogateAndLogProbsMatchThePerRowPasses(String net, int n) {
        GaussianMlpPolicy policy = policy(net);
        PerRowReference ref = new PerRowReference(policy);
        double[] theta = Fd.randomTheta(policy, 1000 + n);
        ContinuousBatch batch = LowerLevelFixture.batch(policy, theta, n, 1.0, 2000 + n);
        double[] w = Fd.uniform(n, 1.0, 3000 + n);
        double[] grad = new double[theta.length];
        policy.surrogateGradient(theta, batch.obs(), batch.actions(), w, n, grad);
        double err = assertClose("surrogateGradient", grad,
                ref.surrogateGradient(theta, batch.obs(), batch.actions(), w, n));
        assertClose("surrogate", policy.surrogate(theta, batch.obs(), batch.actions(), w, n),
                ref.surrogate(theta, batch.obs(), batch.actions(), w, n));
        double[] lp = new double[n];
        new ScoreFunctionCalculus(policy).logProbs(theta, batch, lp);
        assertClose("logProbs", lp, ref.logProbs(theta, batch.obs(), batch.actions(), n));
        System.out.printf("%s n=%d: surrogateGradient vs per-row %.1e%n", net, n, err);
    }

    @ParameterizedTest(name = "{0} net, n = {1}")
    @MethodSource("cases")
    void klValueGradientsAndFisherProductMatchThePerRowPasses(String net, int n) {
        GaussianMlpPolicy policy = policy(net);
        PerRowReference ref = new PerRowReference(policy);
        DiagonalGaussianKl kl = new DiagonalGaussianKl(policy);
        double[] p = Fd.randomTheta(policy, 4000 + n);
        double[] q = LowerLevelFixture.perturbed(p, 0.05, 5000 + n);
        double[] obs = Fd.uniform(n * policy.obsDim(), 1.5, 6000 + n);
        double[] v = Fd.uniform(p.length, 1.0, 7000 + n);
        double value = kl.value(p, q, obs, n);
        assertClose("K(p, q)", value, ref.klValue(p, q, obs, n));
        double[] g = new double[p.length];
        assertThat(kl.gradientFirst(p, q, obs, n, g)).isEqualTo(value);
        assertClose("∇_p K", g, ref.klGradientFirst(p, q, obs, n));
        assertThat(kl.gradientSecond(p, q, obs, n, g)).isEqualTo(value);
        assertClose("∇_q K", g, ref.klGradientSecond(p, q, obs, n));
        kl.fisherVectorProduct(p, obs, n, v, g);
        double err = assertClose("F v", g, ref.fisherVectorProduct(p, obs, n, v));
        System.out.printf("%s n=%d: Fisher-vector product vs per-row %.1e%n", net, n, err);
    }

    @ParameterizedTest(name = "{0} net, n = {1}")
    @MethodSource("cases")
    void scoreOuterProductMatchesThePerRowScores(String net, int n) {
        GaussianMlpPolicy policy = policy(net);
        double[] theta = Fd.randomTheta(policy, 8000 + n);
        ContinuousBatch sampled = LowerLevelFixture.batch(policy, theta, n, 1.0, 9000 + n);
        // uncentred advantages, so that a single row has a non-zero term
        ContinuousBatch batch = new ContinuousBatch(n, sampled.obsDim(), sampled.actDim(), sampled.obs(),
                sampled.actions(), Fd.uniform(n, 1.0, 9500 + n));
        double[] v = Fd.uniform(theta.length, 1.0, 10_000 + n);
        double[] out = new double[theta.length];
        new ScoreFunctionCalculus(policy).addScoreOuterProduct(theta, batch, v, out);
        double[] reference = new PerRowReference(policy).scoreOuterProduct(theta, batch, v);
        double err = assertClose("Σ Â ∇lp (∇lp·v)/n", out, reference);
        System.out.printf("%s n=%d: score outer product vs per-row %.1e%n", net, n, err);
    }

    /** The log-likelihood Hessian product is the likelihood-ratio one minus the (per-row) score outer product. */
    @Test
    void logLikelihoodHessianIsTheLikelihoodRatioOneMinusTheScoreOuterProduct() {
        GaussianMlpPolicy policy = Fd.smallPolicy();
        double[] theta = Fd.randomTheta(policy, 77);
        ContinuousBatch batch = LowerLevelFixture.batch(policy, theta, 130, 1.0, 78);
        double[] v = Fd.uniform(theta.length, 1.0, 79);
        ScoreFunctionCalculus calculus = new ScoreFunctionCalculus(policy);
        double[] ll = new double[theta.length];
        calculus.logLikelihoodHessian(theta, batch).apply(v, ll);
        double[] expected = new double[theta.length];
        calculus.likelihoodRatioHessian(theta, batch, null).apply(v, expected);
        double[] outer = new PerRowReference(policy).scoreOuterProduct(theta, batch, v);
        for (int k = 0; k < expected.length; k++) {
            expected[k] += outer[k];
        }
        assertClose("H_LL v", ll, expected);
    }

    /** Anchored products reuse the forward pass at θ_old (cached, or recomputed past the cache limit): same bits. */
    @ParameterizedTest(name = "{0} net, n = {1}")
    @MethodSource("cases")
    void anchoredFisherProductAndKlEqualTheUnanchoredOnes(String net, int n) {
        GaussianMlpPolicy policy = policy(net);
        double[] old = Fd.randomTheta(policy, 11_000 + n);
        double[] candidate = LowerLevelFixture.perturbed(old, 0.05, 12_000 + n);
        double[] obs = Fd.uniform(n * policy.obsDim(), 1.5, 13_000 + n);
        double[] v = Fd.uniform(old.length, 1.0, 14_000 + n);
        DiagonalGaussianKl plain = new DiagonalGaussianKl(policy);
        double[] expected = new double[old.length];
        plain.fisherVectorProduct(old, obs, n, v, expected);
        double expectedKl = plain.value(old, candidate, obs, n);
        for (long limit : new long[] {DiagonalGaussianKl.DEFAULT_CACHE_DOUBLES, 0}) {
            DiagonalGaussianKl kl = new DiagonalGaussianKl(policy, limit);
            kl.anchor(old, obs, n);
            assertThat(kl.anchorCached()).isEqualTo(limit > 0);
            double[] fv = new double[old.length];
            for (int repeat = 0; repeat < 2; repeat++) {
                kl.anchoredFisherVectorProduct(v, fv);
                assertThat(fv).containsExactly(expected);
                assertThat(kl.anchoredValue(candidate)).isEqualTo(expectedKl);
                assertThat(kl.anchoredValue(old)).isEqualTo(0.0);
            }
        }
    }

    @Test
    void anchoredProductsNeedAnAnchor() {
        DiagonalGaussianKl kl = new DiagonalGaussianKl(Fd.smallPolicy());
        double[] theta = Fd.randomTheta(Fd.smallPolicy(), 1);
        assertThatThrownBy(() -> kl.anchoredValue(theta)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("anchor");
    }
}
