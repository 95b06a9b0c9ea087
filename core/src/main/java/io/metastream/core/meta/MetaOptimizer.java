package io.metastream.core.meta;

/**
 * A first-order optimiser of the meta-parameter φ that <em>ascends</em> the meta-objective F(φ).
 * Stateful (moments, step count); one instance per experiment.
 */
public interface MetaOptimizer {

    /** Returns φ after one ascent step along {@code gradient} (neither argument is modified). */
    double[] step(double[] phi, double[] gradient);

    /**
     * The optimiser's state as a flat vector (Adam: step count, first and second moments; SGD:
     * empty), so a restarted trainer continues exactly where the recorded one stopped.
     */
    double[] state();

    /** Sets the state recorded by {@link #state()}; throws if {@code state} is not one of this optimiser's. */
    void restore(double[] state);

    /** Builds an optimiser by name: {@code adam} or {@code sgd}. */
    static MetaOptimizer of(String name, double learningRate) {
        return switch (name) {
            case "adam" -> new Adam(learningRate, 0.9, 0.999, 1e-8);
            case "sgd" -> new Sgd(learningRate);
            default -> throw new IllegalArgumentException("unknown meta-optimizer '" + name + "' (expected adam or sgd)");
        };
    }
}
