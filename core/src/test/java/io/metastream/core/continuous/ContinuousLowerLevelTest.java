package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContinuousLowerLevelTest {

    private static final int N = 30;

    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final double[] phi = Fd.randomTheta(policy, 11);
    private final double[] theta = LowerLevelFixture.perturbed(phi, 0.1, 12);
    private final ContinuousBatch batch = LowerLevelFixture.batch(policy, phi, N, 1.0, 13);

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void lossGradientMatchesCentralDifferences(ContinuousAlgorithm algorithm) {
        ContinuousLowerLevel ll = LowerLevelFixture.lowerLevel(policy, algorithm, 0.5);
        double[] g = new double[theta.length];
        double value = ll.lossGradient(theta, phi, batch, g);
        double[] fd = Fd.gradient(t -> ll.loss(t, phi, batch), theta, 1e-5);
        double err = Numerics.relativeError(g, fd);
        System.out.printf("%s L_low gradient vs FD: relative error %.3e%n", algorithm, err);
        assertThat(err).isLessThanOrEqualTo(1e-6);
        assertThat(value).isEqualTo(ll.loss(theta, phi, batch));
    }

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void proximityGradientsMatchCentralDifferencesInBothArguments(ContinuousAlgorithm algorithm) {
        ContinuousLowerLevel ll = LowerLevelFixture.lowerLevel(policy, algorithm, 0.5);
        double[] gTheta = new double[theta.length];
        double[] gPhi = new double[theta.length];
        double d = ll.proximityGradientTheta(theta, phi, batch, gTheta);
        assertThat(ll.proximityGradientPhi(theta, phi, batch, gPhi)).isEqualTo(d);
        double errTheta = Numerics.relativeError(gTheta, Fd.gradient(t -> ll.proximity(t, phi, batch), theta, 1e-5));
        double errPhi = Numerics.relativeError(gPhi, Fd.gradient(p -> ll.proximity(theta, p, batch), phi, 1e-5));
        System.out.printf("%s ∇_θ D vs FD %.3e, ∇_φ D vs FD %.3e%n", algorithm, errTheta, errPhi);
        assertThat(errTheta).isLessThanOrEqualTo(1e-6);
        assertThat(errPhi).isLessThanOrEqualTo(1e-6);
        assertThat(d).isPositive();
        assertThat(ll.proximity(phi, phi, batch)).isEqualTo(0.0);
    }

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void fusedEvaluationAgreesWithDiagonalGaussianKl(ContinuousAlgorithm algorithm) {
        ContinuousLowerLevel ll = LowerLevelFixture.lowerLevel(policy, algorithm, 0.5);
        LowerLevelKernel kernel = ll.kernel();
        kernel.anchor(phi, phi, batch);
        kernel.evaluate(theta, new double[theta.length]);
        double proximity = ll.proximity(theta, phi, batch);
        double kl = new DiagonalGaussianKl(policy).value(phi, theta, batch.obs(), N);
        assertThat(Math.abs(kernel.lastProximity() - proximity)).isLessThanOrEqualTo(1e-13 * proximity);
        assertThat(Math.abs(kernel.lastKl() - kl)).isLessThanOrEqualTo(1e-13 * kl);
        assertThat(ll.meanKl(theta, phi, batch)).isEqualTo(kl);
    }

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void mixedProductMatchesCentralDifferenceOfPhiGradientAlongX(ContinuousAlgorithm algorithm) {
        ContinuousLowerLevel ll = LowerLevelFixture.lowerLevel(policy, algorithm, 0.5);
        double[] x = Fd.uniform(theta.length, 1.0, 14);
        double[] mixed = new double[theta.length];
        ll.proximityMixedProduct(theta, phi, batch, x, mixed);
        double[] fd = Fd.directionalDerivative((t, out) -> ll.proximityGradientPhi(t, phi, batch, out), theta, x, 1e-5);
        double err = Numerics.relativeError(mixed, fd);
        System.out.printf("%s ∇²_φθ D x vs FD: relative error %.3e%n", algorithm, err);
        assertThat(err).isLessThanOrEqualTo(1e-6);
    }

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void lossHessianVectorMatchesCentralDifferenceOfLossGradient(ContinuousAlgorithm algorithm) {
        ContinuousLowerLevel ll = LowerLevelFixture.lowerLevel(policy, algorithm, 0.5);
        double[] v = Fd.uniform(theta.length, 1.0, 15);
        double[] hv = new double[theta.length];
        ll.lossHessianVector(theta, phi, batch, v, hv);
        double[] fd = Fd.directionalDerivative((t, out) -> ll.lossGradient(t, phi, batch, out), theta, v, 1e-4);
        double err = Numerics.relativeError(hv, fd);
        System.out.printf("%s ∇²L_low v vs FD (h = 1e-4): relative error %.3e%n", algorithm, err);
        assertThat(err).isLessThanOrEqualTo(1e-5);
    }

    /**
     * The exact forward-over-reverse product against a Richardson-extrapolated central difference of
     * the exact gradient, (4 D(h/2) − D(h)) / 3 with D(h) = [∇L(θ + hv) − ∇L(θ − hv)] / 2h, whose
     * error is O(h⁴) + O(u/h): ≈ 1e-11 at h = 2e-4.
     */
    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void exactHessianVectorProductMatchesRichardsonExtrapolatedDifferences(ContinuousAlgorithm algorithm) {
        ContinuousLowerLevel ll = LowerLevelFixture.lowerLevel(policy, algorithm, 0.5);
        double[] v = Fd.uniform(theta.length, 1.0, 16);
        LowerLevelKernel kernel = ll.kernel();
        kernel.anchor(phi, phi, batch);
        double[] exact = new double[theta.length];
        kernel.hessianVector(theta, v, exact);
        double h = 2e-4;
        double[] coarse = Fd.directionalDerivative(kernel::evaluate, theta, v, h);
        double[] fine = Fd.directionalDerivative(kernel::evaluate, theta, v, h / 2);
        double[] reference = new double[theta.length];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = (4 * fine[i] - coarse[i]) / 3;
        }
        double[] central = new double[theta.length];
        new CentralDifferenceHvp(kernel::evaluate, theta).apply(v, central);
        double errExact = Numerics.relativeError(exact, reference);
        double errCentral = Numerics.relativeError(central, reference);
        System.out.printf("%s exact HVP vs Richardson reference %.3e; CentralDifferenceHvp vs the same %.3e%n", algorithm,
                errExact, errCentral);
        assertThat(errExact).isLessThanOrEqualTo(1e-9);
    }

    /**
     * At θ = φ every ratio is exactly 1, so 2σ(2(r−1)) = 1 and its slope in r is 4σ(0)σ(0) = 1: the
     * loss is −(1/λ) mean Â (≈ 0 for centred Â) and its gradient is (1/λ) times the policy-gradient
     * loss gradient −mean_i Â_i ∇ log π_φ(a_i|s_i), as for the unbounded ratio.
     */
    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void atThetaEqualsPhiTheBoundedRatioSurrogateIsThePolicyGradient(ContinuousAlgorithm algorithm) {
        double lambda = 0.5;
        ContinuousLowerLevel ll = LowerLevelFixture.lowerLevel(policy, algorithm, lambda);
        double[] g = new double[phi.length];
        double loss = ll.lossGradient(phi, phi, batch, g);
        double meanAdv = 0;
        for (double a : batch.advantages()) {
            meanAdv += a / N;
        }
        assertThat(Math.abs(loss + meanAdv / lambda)).isLessThanOrEqualTo(1e-15);
        assertThat(Math.abs(loss)).isLessThanOrEqualTo(1e-15);
        double[] pg = new double[phi.length];
        PolicyGradient.lossGradient(policy, phi, batch, pg);
        for (int i = 0; i < pg.length; i++) {
            pg[i] /= lambda;
        }
        double err = Numerics.relativeError(g, pg);
        System.out.printf("%s gradient at θ = φ vs PG/λ: relative error %.3e%n", algorithm, err);
        assertThat(err).isLessThanOrEqualTo(1e-12);
    }

    @Test
    void boundedRatioHasValueOneAndSlopeOneAtOneAndSaturates() {
        double h = 1e-5;
        double slope = (bounded(1 + h) - bounded(1 - h)) / (2 * h);
        assertThat(bounded(1)).isEqualTo(1.0);
        assertThat(Math.abs(slope - 1)).isLessThanOrEqualTo(1e-9);
        assertThat(Math.abs(bounded(0) - 2 * LowerLevelKernel.logistic(-2))).isLessThanOrEqualTo(1e-15);
        assertThat(bounded(0)).isBetween(0.238, 0.239);
        assertThat(bounded(40)).isEqualTo(2.0);
    }

    private static double bounded(double r) {
        return 2 * LowerLevelKernel.logistic(2 * (r - 1));
    }

    @Test
    void invalidInputsFailWithTheSizes() {
        ContinuousLowerLevel ll = LowerLevelFixture.lowerLevel(policy, ContinuousAlgorithm.ALG1, 0.5);
        assertThatThrownBy(() -> new ContinuousBatch(2, 3, 2, new double[5], new double[4], new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6").hasMessageContaining("5");
        assertThatThrownBy(() -> new ContinuousBatch(1, 3, 2, new double[] {0, Double.NaN, 0}, new double[2], new double[1]))
                .hasMessageContaining("obs[1]");
        ContinuousBatch wrongDims = new ContinuousBatch(1, 4, 2, new double[4], new double[2], new double[1]);
        assertThatThrownBy(() -> ll.loss(theta, phi, wrongDims)).hasMessageContaining("obsDim 4").hasMessageContaining("3");
        assertThatThrownBy(() -> ll.loss(new double[3], phi, batch)).hasMessageContaining(String.valueOf(theta.length));
        assertThatThrownBy(() -> new LowerLevelConfig(ContinuousAlgorithm.ALG2, 0, 50, 1e-3, 3))
                .hasMessageContaining("lambda");
        assertThat(LowerLevelConfig.paper(ContinuousAlgorithm.ALG2))
                .isEqualTo(new LowerLevelConfig(ContinuousAlgorithm.ALG2, 0.5, 50, 1e-3, 3.0));
    }
}
