package io.metastream.core.meta;

/** Plain gradient ascent φ ← φ + α g. */
public final class Sgd implements MetaOptimizer {

    private final double lr;

    public Sgd(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        this.lr = lr;
    }

    @Override
    public double[] step(double[] phi, double[] gradient) {
        double[] out = phi.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += lr * gradient[i];
        }
        return out;
    }

    @Override
    public double[] state() {
        return new double[0];
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException("SGD has no state, got " + state.length + " values");
        }
    }
}
