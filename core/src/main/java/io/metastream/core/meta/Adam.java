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

    /** {@code [t, m_1..m_n, v_1..v_n]}; {@code [0]} before the first step. */
    @Override
    public double[] state() {
        if (m == null) {
            return new double[]{0};
        }
        double[] out = new double[1 + 2 * m.length];
        out[0] = t;
        System.arraycopy(m, 0, out, 1, m.length);
        System.arraycopy(v, 0, out, 1 + m.length, v.length);
        return out;
    }

    @Override
    public void restore(double[] state) {
        if (state.length == 1 && state[0] == 0) {
            m = null;
            v = null;
            t = 0;
            return;
        }
        if (state.length < 3 || state.length % 2 != 1 || state[0] != Math.rint(state[0]) || state[0] < 1) {
            throw new IllegalArgumentException("not an Adam state: " + state.length + " values, step count " + state[0]);
        }
        int n = (state.length - 1) / 2;
        t = (int) state[0];
        m = java.util.Arrays.copyOfRange(state, 1, 1 + n);
        v = java.util.Arrays.copyOfRange(state, 1 + n, 1 + 2 * n);
    }
}
