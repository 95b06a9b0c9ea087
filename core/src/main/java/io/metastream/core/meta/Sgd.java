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
}
