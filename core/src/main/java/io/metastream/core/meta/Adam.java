package io.metastream.core.meta;

/**
 * Adam (Kingma &amp; Ba) for ascent: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * φ ← φ + α · m̂ / (√v̂ + ε) with bias-corrected m̂, v̂. BOMRL.md: α = 0.03 on Frozen Lake.
 */
public final class Adam implements MetaOptimizer {

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private double[] m;
    private double[] v;
    private int t;

    public Adam(double lr, double beta1, double beta2, double eps) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public double[] step(double[] phi, double[] gradient) {
        if (m == null) {
            m = new double[phi.length];
            v = new double[phi.length];
        }
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double[] out = phi.clone();
        for (int i = 0; i < out.length; i++) {
            double g = gradient[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            out[i] += lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
        return out;
    }
}
