package io.metastream.core.meta;

/**
 * A first-order optimiser of the meta-parameter φ that <em>ascends</em> the meta-objective F(φ).
 * Stateful (moments, step count); one instance per experiment.
 */
public interface MetaOptimizer {

    /** Returns φ after one ascent step along {@code gradient} (neither argument is modified). */
    double[] step(double[] phi, double[] gradient);

    /** Builds an optimiser by name: {@code adam} or {@code sgd}. */
    static MetaOptimizer of(String name, double learningRate) {
        return switch (name) {
            case "adam" -> new Adam(learningRate, 0.9, 0.999, 1e-8);
            case "sgd" -> new Sgd(learningRate);
            default -> throw new IllegalArgumentException("unknown meta-optimizer '" + name + "' (expected adam or sgd)");
        };
    }
}
