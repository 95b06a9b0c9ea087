package io.metastream.core.continuous;

/**
 * Hessian-vector products of a scalar f from its gradient by central differences
 * (BOMRL.md §Hypergradient, step 3):
 *
 * <pre>
 *   H(x) v ≈ [∇f(x + ε v̂) − ∇f(x − ε v̂)] · ‖v‖ / (2ε),   v̂ = v/‖v‖,   ε = h · max(1, ‖x‖∞)
 * </pre>
 *
 * Truncation error O(ε² ‖∇⁴f‖ ‖v‖), rounding error O(u ‖∇f‖ ‖v‖ / ε) with u the unit
 * roundoff, so h ≈ u^{1/3} ≈ 6e-6 balances the two (relative accuracy ≈ 1e-10…1e-8 for smooth
 * networks). Two gradient evaluations per product; buffers preallocated; not thread-safe.
 */
public final class CentralDifferenceHvp implements LinearOperator {

    /** u^{1/3} for double precision. */
    public static final double DEFAULT_STEP = Math.cbrt(Math.ulp(1.0));

    private final GradientFunction gradient;
    private final double[] x;
    private final double eps;
    private final double[] shifted;
    private final double[] gPlus;
    private final double[] gMinus;

    /** The operator v ↦ H(x) v at a fixed point (x is copied), with step h (see class doc). */
    public CentralDifferenceHvp(GradientFunction gradient, double[] x, double h) {
        if (!(h > 0) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("finite-difference step must be positive, got " + h);
        }
        this.gradient = gradient;
        this.x = x.clone();
        double scale = 1;
        for (double xi : x) {
            scale = Math.max(scale, Math.abs(xi));
        }
        this.eps = h * scale;
        this.shifted = new double[x.length];
        this.gPlus = new double[x.length];
        this.gMinus = new double[x.length];
    }

    public CentralDifferenceHvp(GradientFunction gradient, double[] x) {
        this(gradient, x, DEFAULT_STEP);
    }

    @Override
    public void apply(double[] v, double[] out) {
        if (v.length != x.length || out.length != x.length) {
            throw new IllegalArgumentException("expected vectors of length " + x.length + ", got " + v.length + " and " + out.length);
        }
        double norm = 0;
        for (double vi : v) {
            norm += vi * vi;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            java.util.Arrays.fill(out, 0);
            return;
        }
        double t = eps / norm;
        for (int i = 0; i < x.length; i++) {
            shifted[i] = x[i] + t * v[i];
        }
        gradient.gradient(shifted, gPlus);
        for (int i = 0; i < x.length; i++) {
            shifted[i] = x[i] - t * v[i];
        }
        gradient.gradient(shifted, gMinus);
        for (int i = 0; i < x.length; i++) {
            out[i] = (gPlus[i] - gMinus[i]) / (2 * t);
        }
    }
}
