package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HessianVectorProductTest {

    private static final double UNIT_ROUNDOFF = Math.ulp(1.0) / 2;

    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final int n = 10;
    private final double[] obs = Fd.uniform(n * 3, 1.5, 51);
    private final double[] actions = Fd.uniform(n * 2, 1.0, 52);
    private final double[] weights = Fd.uniform(n, 1.0, 53);
    private final double[] theta = Fd.randomTheta(policy, 54);

    private double f(double[] t) {
        return policy.surrogate(t, obs, actions, weights, n);
    }

    /**
     * H e_j by central differences of the exact gradient against the four-point second difference of f
     * (independent of the gradient code): H_ij ≈ [f(+i,+j) − f(+i,−j) − f(−i,+j) + f(−i,−j)] / 4h².
     * The reference's error is O(h² max|∂⁴f|) + O(u |f| / h²); with h = 1e-4 both are ≈ 1e-8 × scale,
     * so we require agreement to 100 × (h² + u·|f|/h²) relative to the column's norm.
     */
    @Test
    void centralDifferenceHvpMatchesFiniteDifferenceHessianColumn() {
        CentralDifferenceHvp hvp = new CentralDifferenceHvp((t, out) -> policy.surrogateGradient(t, obs, actions, weights, n, out), theta);
        double h = 1e-4;
        double fScale = Math.abs(f(theta));
        double worst = 0;
        double worstAllowed = 0;
        for (int j : new int[] {0, 40, policy.biasOffset(2), policy.logStdOffset() + 1}) {
            double[] e = new double[theta.length];
            e[j] = 1;
            double[] col = new double[theta.length];
            hvp.apply(e, col);
            double[] ref = new double[theta.length];
            double[] y = theta.clone();
            for (int i = 0; i < theta.length; i++) {
                double s = 0;
                for (int si = -1; si <= 1; si += 2) {
                    for (int sj = -1; sj <= 1; sj += 2) {
                        y[i] += si * h;
                        y[j] += sj * h;
                        s += si * sj * f(y);
                        y[i] = theta[i];
                        y[j] = theta[j];
                    }
                }
                ref[i] = s / (4 * h * h);
            }
            double err = Numerics.relativeError(col, ref);
            double colNorm = Math.sqrt(ConjugateGradient.dot(ref, ref));
            double allowed = 100 * (h * h + UNIT_ROUNDOFF * fScale / (h * h)) * Math.max(1, 1 / colNorm);
            worst = Math.max(worst, err);
            worstAllowed = Math.max(worstAllowed, allowed);
            assertThat(err).isLessThanOrEqualTo(allowed);
        }
        System.out.printf("central-difference HVP vs FD Hessian column: worst relative error %.3e (allowed %.3e)%n", worst, worstAllowed);
    }

    @Test
    void centralDifferenceHvpIsExactUpToRoundingOnAQuadratic() {
        int d = 6;
        double[] a = new double[d * d];
        double[] m = Fd.uniform(d * d, 1.0, 61);
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                a[i * d + k] = m[i * d + k] + m[k * d + i];
            }
        }
        GradientFunction grad = (x, out) -> {
            for (int i = 0; i < d; i++) {
                double s = 1.0 + i;
                for (int k = 0; k < d; k++) {
                    s += a[i * d + k] * x[k];
                }
                out[i] = s;
            }
        };
        double[] v = Fd.uniform(d, 3.0, 62);
        double[] hv = new double[d];
        new CentralDifferenceHvp(grad, Fd.uniform(d, 2.0, 63)).apply(v, hv);
        double[] exact = new double[d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                exact[i] += a[i * d + k] * v[k];
            }
        }
        assertThat(Numerics.relativeError(hv, exact)).isLessThanOrEqualTo(1e-9);
    }

    @Test
    void centralDifferenceHvpOfKlGradientReproducesExactFisherProduct() {
        DiagonalGaussianKl kl = new DiagonalGaussianKl(policy);
        double[] v = Fd.uniform(theta.length, 1.0, 71);
        double[] exact = new double[theta.length];
        kl.fisherVectorProduct(theta, obs, n, v, exact);
        double[] approx = new double[theta.length];
        new CentralDifferenceHvp((t, out) -> kl.gradientSecond(theta, t, obs, n, out), theta).apply(v, approx);
        double err = Numerics.relativeError(approx, exact);
        System.out.printf("central-difference HVP (default step) vs exact Fisher product: %.3e%n", err);
        assertThat(err).isLessThanOrEqualTo(1e-6);
    }
}
