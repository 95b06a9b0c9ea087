package io.metastream.core.adapt;

/**
 * Derivatives of the per-state surrogate S_s(θ_s) = Σ_a π_θ(a|s) q_a (BOMRL.md: the importance
 * weighted advantage E_{a~π_φ}[π_θ/π_φ · Â] equals Σ_a π_θ(a) Â(a) per state; Q and A give the
 * same derivatives because Σ_a ∇π_a = 0):
 *
 * <pre>
 *   ∇S_b = π_b (q_b − q̄),  q̄ = Σ π q
 *   ∇²S_bc = π_b(δ_bc − π_c)(q_b − q̄) − π_b π_c (q_c − q̄)
 *   ∂(∇S_b)/∂q_c = π_b(δ_bc − π_c)
 * </pre>
 */
final class SoftmaxCalculus {

    private SoftmaxCalculus() {
    }

    /** The softmax Jacobian ∂π_b/∂θ_c = π_b(δ_bc − π_c), row-major n × n. */
    static void jacobian(double[] p, double[] out) {
        int n = p.length;
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < n; c++) {
                out[b * n + c] = p[b] * ((b == c ? 1 : 0) - p[c]);
            }
        }
    }

    /** log π from logits (θ_b − logΣexp θ): finite even where π_b underflows to 0. */
    static double[] logSoftmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (double v : logits) {
            z += Math.exp(v - max);
        }
        double lse = max + Math.log(z);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - lse;
        }
        return out;
    }

    static double surrogate(double[] p, double[] q) {
        double s = 0;
        for (int a = 0; a < p.length; a++) {
            s += p[a] * q[a];
        }
        return s;
    }

    static void surrogateGrad(double[] p, double[] q, double[] out) {
        double qBar = surrogate(p, q);
        for (int b = 0; b < p.length; b++) {
            out[b] = p[b] * (q[b] - qBar);
        }
    }

    static void surrogateHess(double[] p, double[] q, double[] out) {
        int n = p.length;
        double qBar = surrogate(p, q);
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < n; c++) {
                out[b * n + c] = p[b] * ((b == c ? 1 : 0) - p[c]) * (q[b] - qBar) - p[b] * p[c] * (q[c] - qBar);
            }
        }
    }
}
