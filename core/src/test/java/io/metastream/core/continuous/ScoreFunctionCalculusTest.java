package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact Hessian-vector products of the MAML-family surrogates against central differences of
 * independently written exact gradients (per-row weights on {@link GaussianMlpPolicy#surrogateGradient}).
 */
class ScoreFunctionCalculusTest {

    private static final double H = 1e-5;

    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final ScoreFunctionCalculus calculus = new ScoreFunctionCalculus(policy);

    /** ∇_θ of −mean_i Â_i ρ(π_θ/π_b), ρ(r) = 2σ(2(r − 1)), ρ'(r) = 4σ(u)σ(−u): weights −Â_i ρ'(r_i) r_i / n. */
    private void boundedGradient(double[] theta, double[] b, ContinuousBatch batch, double[] out) {
        int n = batch.n();
        double[] lt = new double[n];
        double[] lb = new double[n];
        calculus.logProbs(theta, batch, lt);
        calculus.logProbs(b, batch, lb);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double r = Math.exp(lt[i] - lb[i]);
            double u = 2 * (r - 1);
            w[i] = -batch.advantages()[i] * 4 * sigma(u) * sigma(-u) * r / n;
        }
        policy.surrogateGradient(theta, batch.obs(), batch.actions(), w, n, out);
    }

    /** ∇_θ of −mean_i Â_i π_θ/π_b: weights −Â_i r_i / n. */
    private void likelihoodRatioGradient(double[] theta, double[] b, ContinuousBatch batch, double[] out) {
        int n = batch.n();
        double[] lt = new double[n];
        double[] lb = new double[n];
        calculus.logProbs(theta, batch, lt);
        calculus.logProbs(b, batch, lb);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = -batch.advantages()[i] * Math.exp(lt[i] - lb[i]) / n;
        }
        policy.surrogateGradient(theta, batch.obs(), batch.actions(), w, n, out);
    }

    private static double[] unit(double[] v) {
        double norm = Math.sqrt(ConjugateGradient.dot(v, v));
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= norm;
        }
        return out;
    }

    private static double sigma(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    @Test
    void logProbsAreThePolicysLogLikelihoods() {
        double[] phi = Fd.randomTheta(policy, 1);
        ContinuousBatch batch = LowerLevelFixture.batch(policy, phi, 7, 1.0, 2);
        double[] lp = new double[7];
        calculus.logProbs(phi, batch, lp);
        for (int i = 0; i < 7; i++) {
            double[] s = java.util.Arrays.copyOfRange(batch.obs(), 3 * i, 3 * i + 3);
            double[] a = java.util.Arrays.copyOfRange(batch.actions(), 2 * i, 2 * i + 2);
            // block passes (matrix products, FastTanh): equal to the per-row log π up to rounding
            double expected = policy.logProb(phi, s, a);
            assertThat(lp[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12 * Math.abs(expected)));
        }
    }

    /**
     * At θ = φ the bounded surrogate's Hessian (ρ'(1) = 1, ρ''(1) = 0) is the LVC Hessian; it matches
     * central differences of the bounded surrogate's gradient, the log-likelihood Hessian matches those
     * of {@link PolicyGradient#lossGradient}, and the two differ by the score outer product (O(1) relative).
     */
    @Test
    void boundedSurrogateHessianMatchesFiniteDifferencesAndDiffersFromTheLogLikelihoodOne() {
        double worstLr = 0;
        double worstLl = 0;
        double smallestGap = Double.POSITIVE_INFINITY;
        for (long seed = 11; seed <= 13; seed++) {
            double[] phi = Fd.randomTheta(policy, seed);
            ContinuousBatch batch = LowerLevelFixture.batch(policy, phi, 40, 2.0, seed + 100);
            double[] v = unit(Fd.uniform(phi.length, 1.0, seed + 200));
            double[] lr = new double[phi.length];
            calculus.likelihoodRatioHessian(phi, batch, null).apply(v, lr);
            double[] lrFd = Fd.directionalDerivative((t, out) -> boundedGradient(t, phi, batch, out), phi, v, H);
            double[] ll = new double[phi.length];
            calculus.logLikelihoodHessian(phi, batch).apply(v, ll);
            double[] llFd = Fd.directionalDerivative((t, out) -> PolicyGradient.lossGradient(policy, t, batch, out), phi, v, H);
            worstLr = Math.max(worstLr, Numerics.relativeError(lr, lrFd));
            worstLl = Math.max(worstLl, Numerics.relativeError(ll, llFd));
            smallestGap = Math.min(smallestGap, Numerics.relativeError(ll, lr));
        }
        System.out.printf("bounded-surrogate HVP vs FD %.2e, log-likelihood HVP vs FD %.2e, ‖H_LL v − H_LVC v‖/‖H_LVC v‖ ≥ %.3f%n",
                worstLr, worstLl, smallestGap);
        assertThat(worstLr).isLessThan(1e-8);
        assertThat(worstLl).isLessThan(1e-8);
        assertThat(smallestGap).isGreaterThan(0.1);
    }

    /** With weights c_i = π_φ/π_φold the product is the Hessian at φ ≠ φold of −mean Â π_φ/π_φold (ProMP's LVC). */
    @Test
    void weightedLikelihoodRatioHessianIsTheLvcHessianAwayFromTheBehaviourPolicy() {
        double worst = 0;
        for (long seed = 21; seed <= 23; seed++) {
            double[] phiOld = Fd.randomTheta(policy, seed);
            ContinuousBatch batch = LowerLevelFixture.batch(policy, phiOld, 40, 2.0, seed + 100);
            double[] phi = LowerLevelFixture.perturbed(phiOld, 0.05, seed + 300);
            int n = batch.n();
            double[] lp = new double[n];
            double[] lpOld = new double[n];
            calculus.logProbs(phi, batch, lp);
            calculus.logProbs(phiOld, batch, lpOld);
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = Math.exp(lp[i] - lpOld[i]);
            }
            double[] v = unit(Fd.uniform(phi.length, 1.0, seed + 200));
            double[] hv = new double[phi.length];
            calculus.likelihoodRatioHessian(phi, batch, c).apply(v, hv);
            double[] ref = Fd.directionalDerivative((t, out) -> likelihoodRatioGradient(t, phiOld, batch, out), phi, v, H);
            worst = Math.max(worst, Numerics.relativeError(hv, ref));
        }
        System.out.printf("weighted LVC HVP vs FD: %.2e%n", worst);
        assertThat(worst).isLessThan(1e-8);
    }

    /** The exact products against CentralDifferenceHvp on the exact gradients (the alternative we did not use). */
    @Test
    void exactProductsAgreeWithCentralDifferenceHvp() {
        double[] phi = Fd.randomTheta(policy, 31);
        ContinuousBatch batch = LowerLevelFixture.batch(policy, phi, 200, 2.0, 131);
        double[] v = Fd.uniform(phi.length, 1.0, 231);
        double[] exact = new double[phi.length];
        double[] cd = new double[phi.length];
        calculus.likelihoodRatioHessian(phi, batch, null).apply(v, exact);
        new CentralDifferenceHvp((t, out) -> boundedGradient(t, phi, batch, out), phi).apply(v, cd);
        double lrErr = Numerics.relativeError(cd, exact);
        calculus.logLikelihoodHessian(phi, batch).apply(v, exact);
        new CentralDifferenceHvp((t, out) -> PolicyGradient.lossGradient(policy, t, batch, out), phi).apply(v, cd);
        double llErr = Numerics.relativeError(cd, exact);
        System.out.printf("CentralDifferenceHvp vs exact: bounded surrogate %.2e, log-likelihood %.2e%n", lrErr, llErr);
        assertThat(lrErr).isLessThan(1e-6);
        assertThat(llErr).isLessThan(1e-6);
    }
}
