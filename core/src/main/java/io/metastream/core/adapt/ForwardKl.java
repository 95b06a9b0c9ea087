package io.metastream.core.adapt;

/**
 * Alg(1)'s proximity: D_s = KL(π_φ(·|s) ‖ π_θ(·|s)) = Σ_a p_a log(p_a / π_a), p = π_φ, π = π_θ.
 *
 * <pre>
 *   ∇_θ D_b = π_b − p_b,  ∇²_θθ D_bc = π_b(δ_bc − π_c),  ∂(∇_θ D_b)/∂φ_c = −p_b(δ_bc − p_c),
 *   ∇_φ D_c = p_c (log(p_c/π_c) − D_s)
 * </pre>
 */
final class ForwardKl implements Proximity {

    @Override
    public double value(double[] theta, double[] phi, double[] pt, double[] pp) {
        double[] lt = SoftmaxCalculus.logSoftmax(theta);
        double[] lp = SoftmaxCalculus.logSoftmax(phi);
        double d = 0;
        for (int a = 0; a < pt.length; a++) {
            d += pp[a] * (lp[a] - lt[a]);
        }
        return d;
    }

    @Override
    public void gradTheta(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        for (int b = 0; b < pt.length; b++) {
            out[b] = pt[b] - pp[b];
        }
    }

    @Override
    public void gradPhi(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        double[] lt = SoftmaxCalculus.logSoftmax(theta);
        double[] lp = SoftmaxCalculus.logSoftmax(phi);
        double d = value(theta, phi, pt, pp);
        for (int c = 0; c < pt.length; c++) {
            out[c] = pp[c] * (lp[c] - lt[c] - d);
        }
    }

    @Override
    public void hessThetaTheta(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        SoftmaxCalculus.jacobian(pt, out);
    }

    @Override
    public void hessThetaPhi(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        SoftmaxCalculus.jacobian(pp, out);
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i];
        }
    }

    @Override
    public boolean shiftInvariant() {
        return true;
    }
}
