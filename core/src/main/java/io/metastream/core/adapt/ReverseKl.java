package io.metastream.core.adapt;

/**
 * Alg(2)'s proximity: D_s = KL(π_θ(·|s) ‖ π_φ(·|s)) = Σ_a π_a l_a with l = log π − log p.
 *
 * <pre>
 *   ∇_θ D_b = π_b (l_b − D_s)
 *   ∇²_θθ D_bc = π_b(δ_bc − π_c)(l_b − D_s) + π_b(δ_bc − π_c) − π_b π_c (l_c − D_s)
 *   ∂(∇_θ D_b)/∂φ_c = −π_b(δ_bc − π_c),   ∇_φ D_c = p_c − π_c
 * </pre>
 */
final class ReverseKl implements Proximity {

    @Override
    public double value(double[] theta, double[] phi, double[] pt, double[] pp) {
        double[] l = logRatio(theta, phi);
        double d = 0;
        for (int a = 0; a < pt.length; a++) {
            d += pt[a] * l[a];
        }
        return d;
    }

    @Override
    public void gradTheta(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        double[] l = logRatio(theta, phi);
        double d = value(theta, phi, pt, pp);
        for (int b = 0; b < pt.length; b++) {
            out[b] = pt[b] * (l[b] - d);
        }
    }

    @Override
    public void gradPhi(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        for (int c = 0; c < pt.length; c++) {
            out[c] = pp[c] - pt[c];
        }
    }

    @Override
    public void hessThetaTheta(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        int n = pt.length;
        double[] l = logRatio(theta, phi);
        double d = value(theta, phi, pt, pp);
        for (int b = 0; b < n; b++) {
            double lb = l[b] - d;
            for (int c = 0; c < n; c++) {
                double lc = l[c] - d;
                double jac = pt[b] * ((b == c ? 1 : 0) - pt[c]);
                out[b * n + c] = jac * lb + jac - pt[b] * pt[c] * lc;
            }
        }
    }

    @Override
    public void hessThetaPhi(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        SoftmaxCalculus.jacobian(pt, out);
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i];
        }
    }

    /** log π_θ − log π_φ from the logits, finite where a probability underflows. */
    private static double[] logRatio(double[] theta, double[] phi) {
        double[] lt = SoftmaxCalculus.logSoftmax(theta);
        double[] lp = SoftmaxCalculus.logSoftmax(phi);
        for (int a = 0; a < lt.length; a++) {
            lt[a] -= lp[a];
        }
        return lt;
    }

    @Override
    public boolean shiftInvariant() {
        return true;
    }
}
