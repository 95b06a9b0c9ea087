package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The hypergradient's pieces on the 3-8-8-2 test network with the paper's lower level and CG settings. */
class ContinuousHypergradientTest {

    private static final int N = 30;

    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final double[] phi = Fd.randomTheta(policy, 41);

    /** One task of a meta-batch: θ* by the paper's solve on PRE, g from a POST batch sampled at θ*. */
    private record Task(ContinuousBatch pre, double[] thetaStar, double[] postLossGradient) {
    }

    private Task task(ContinuousLowerLevel ll, long seed) {
        ContinuousBatch pre = LowerLevelFixture.batch(policy, phi, N, 1.0, seed);
        double[] thetaStar = ll.solve(phi, pre).theta();
        ContinuousBatch post = LowerLevelFixture.batch(policy, thetaStar, N, 1.0, seed + 1000);
        double[] g = new double[phi.length];
        PolicyGradient.lossGradient(policy, thetaStar, post, g);
        return new Task(pre, thetaStar, g);
    }

    @Test
    void policyGradientIsTheGradientOfTheNegatedScoreSurrogate() {
        ContinuousBatch post = LowerLevelFixture.batch(policy, phi, N, 1.0, 42);
        double[] theta = LowerLevelFixture.perturbed(phi, 0.1, 43);
        double[] g = new double[theta.length];
        PolicyGradient.lossGradient(policy, theta, post, g);
        double[] fd = Fd.gradient(t -> {
            double s = 0;
            double[] obs = new double[3];
            double[] a = new double[2];
            for (int i = 0; i < N; i++) {
                System.arraycopy(post.obs(), 3 * i, obs, 0, 3);
                System.arraycopy(post.actions(), 2 * i, a, 0, 2);
                s -= post.advantages()[i] * policy.logProb(t, obs, a) / N;
            }
            return s;
        }, theta, 1e-5);
        double err = Numerics.relativeError(g, fd);
        System.out.printf("policy-gradient loss gradient vs FD: relative error %.3e%n", err);
        assertThat(err).isLessThanOrEqualTo(1e-6);
        assertThat(PolicyGradient.loss(policy, theta, post)).isCloseTo(-fdValue(post, theta), within(1e-12));
    }

    private double fdValue(ContinuousBatch post, double[] theta) {
        double[] w = post.advantages().clone();
        for (int i = 0; i < N; i++) {
            w[i] /= N;
        }
        return policy.surrogate(theta, post.obs(), post.actions(), w, N);
    }

    /**
     * The meta-loss surrogate's gradient matches central differences at a φ away from φ_old, and at
     * φ_old it is the mean of the per-task metaGradients (same θ*, x and states).
     */
    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void metaLossSurrogateGradientMatchesFiniteDifferencesAndTheMeanHypergradient(ContinuousAlgorithm algorithm) {
        ContinuousLowerLevel ll = new ContinuousLowerLevel(policy, LowerLevelConfig.paper(algorithm));
        ContinuousHypergradient hypergradient = new ContinuousHypergradient(ll, HypergradientConfig.paper());
        double[] mean = new double[phi.length];
        List<MetaLossSurrogate.Term> terms = new java.util.ArrayList<>();
        for (long seed : new long[] {44, 45}) {
            Task t = task(ll, seed);
            ContinuousHypergradient.Result r = hypergradient.compute(phi, t.thetaStar(), t.pre(), t.postLossGradient());
            for (int i = 0; i < mean.length; i++) {
                mean[i] += r.metaGradient()[i] / 2;
            }
            terms.add(new MetaLossSurrogate.Term(t.thetaStar(), r.cgSolution(), t.pre()));
            System.out.printf("%s task %d: ‖g‖ %.3e, CG residual %.3e (%.1f%% of ‖g‖)%n", algorithm, seed,
                    norm(t.postLossGradient()), r.cgResidual(), 100 * r.cgResidual() / norm(t.postLossGradient()));
        }
        MetaLossSurrogate m = new MetaLossSurrogate(ll, terms);
        double[] atPhi = new double[phi.length];
        m.gradient(phi, atPhi);
        // the terms on 1 or 3 threads (one lower level each): the same bits
        for (int threads : new int[] {1, 3}) {
            MetaLossSurrogate mt = new MetaLossSurrogate(ll, terms, threads);
            double[] gt = new double[phi.length];
            mt.gradient(phi, gt);
            assertThat(gt).as("%d threads", threads).containsExactly(atPhi);
            assertThat(mt.value(phi)).isEqualTo(m.value(phi));
        }
        double errMean = Numerics.relativeError(atPhi, mean);

        double[] other = LowerLevelFixture.perturbed(phi, 0.05, 46);
        double[] g = new double[phi.length];
        m.gradient(other, g);
        double errFd = Numerics.relativeError(g, Fd.gradient(m::value, other, 1e-5));
        System.out.printf("%s meta-loss surrogate: gradient vs FD %.3e, at φ_old vs mean metaGradient %.3e%n", algorithm,
                errFd, errMean);
        assertThat(errFd).isLessThanOrEqualTo(1e-6);
        assertThat(errMean).isLessThanOrEqualTo(1e-12);
        assertThat(norm(mean)).isPositive();
    }

    /** With D = ‖θ − φ‖² the mixed derivative is −2I, so the meta-gradient is exactly 2x. */
    @Test
    void euclideanMetaGradientIsTwiceTheCgSolution() {
        ContinuousLowerLevel ll = new ContinuousLowerLevel(policy, LowerLevelConfig.paper(ContinuousAlgorithm.ALG3));
        Task t = task(ll, 47);
        ContinuousHypergradient.Result r = new ContinuousHypergradient(ll, HypergradientConfig.paper())
                .compute(phi, t.thetaStar(), t.pre(), t.postLossGradient());
        for (int i = 0; i < phi.length; i++) {
            assertThat(r.metaGradient()[i]).isEqualTo(2 * r.cgSolution()[i]);
        }
        assertThat(norm(r.cgSolution())).isPositive();
    }

    /** CG run to convergence on a positive-definite problem (ALG3, λ = 20) solves H x = g to rounding. */
    @Test
    void cgSolutionSolvesTheLowerLevelHessianSystem() {
        ContinuousLowerLevel ll = new ContinuousLowerLevel(policy, LowerLevelConfig.paper(ContinuousAlgorithm.ALG3).withLambda(20));
        Task t = task(ll, 48);
        ContinuousHypergradient.Result r = new ContinuousHypergradient(ll, new HypergradientConfig(200, 0))
                .compute(phi, t.thetaStar(), t.pre(), t.postLossGradient());
        double[] hx = new double[phi.length];
        ll.lossHessianVector(t.thetaStar(), phi, t.pre(), r.cgSolution(), hx);
        double err = Numerics.relativeError(hx, t.postLossGradient());
        System.out.printf("H x vs g after CG to convergence: relative error %.3e, reported residual %.3e%n", err, r.cgResidual());
        assertThat(err).isLessThanOrEqualTo(1e-10);
        assertThat(r.cgResidual()).isLessThanOrEqualTo(1e-10 * norm(t.postLossGradient()));
    }

    /** Indefinite H (tiny λ): CG stops at the first non-positive curvature instead of throwing. */
    @Test
    void truncatedCgReturnsTheIterateBeforeNegativeCurvature() {
        double[] diag = {1, -1, 2};
        LinearOperator a = (v, out) -> {
            for (int i = 0; i < 3; i++) {
                out[i] = diag[i] * v[i];
            }
        };
        double[] b = {1, 1, 1};
        assertThatThrownBy(() -> ConjugateGradient.solve(a, b, 10, 0)).isInstanceOf(ArithmeticException.class);
        // p₀ = b has pᵀAp = 2 > 0: one step x₁ = (3/2)·b; then the next direction has negative curvature
        ConjugateGradient.Result r = ConjugateGradient.solve(a, b, 10, 0, true);
        assertThat(r.iterations()).isEqualTo(1);
        assertThat(r.x()).containsExactly(1.5, 1.5, 1.5);

        ContinuousLowerLevel ll = new ContinuousLowerLevel(policy, LowerLevelConfig.paper(ContinuousAlgorithm.ALG1).withLambda(1e-3));
        Task t = task(ll, 49);
        ContinuousHypergradient.Result hr = new ContinuousHypergradient(ll, HypergradientConfig.paper())
                .compute(phi, t.thetaStar(), t.pre(), t.postLossGradient());
        assertThat(java.util.Arrays.stream(hr.metaGradient()).allMatch(Double::isFinite)).isTrue();
        assertThat(hr.cgResidual()).isPositive();
    }

    @Test
    void computeRejectsMismatchedSizes() {
        ContinuousLowerLevel ll = new ContinuousLowerLevel(policy, LowerLevelConfig.paper(ContinuousAlgorithm.ALG2));
        ContinuousBatch pre = LowerLevelFixture.batch(policy, phi, N, 1.0, 50);
        ContinuousHypergradient h = new ContinuousHypergradient(ll, HypergradientConfig.paper());
        assertThatThrownBy(() -> h.compute(phi, phi, pre, new double[5])).hasMessageContaining("length " + phi.length)
                .hasMessageContaining("5");
        assertThatThrownBy(() -> new HypergradientConfig(0, 0)).hasMessageContaining("cgIterations");
        assertThat(HypergradientConfig.paper()).isEqualTo(new HypergradientConfig(10, 1e-5));
        assertThatThrownBy(() -> new MetaLossSurrogate(ll, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static double norm(double[] a) {
        return Math.sqrt(ConjugateGradient.dot(a, a));
    }
}
