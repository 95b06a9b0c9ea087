package io.metastream.core.estimate;

/**
 * One episode of a tabular environment: {@code states[0..T]}, {@code actions[0..T-1]},
 * {@code rewards[0..T-1]} where reward t follows action t. {@code episode} is the episode index
 * within its collection; estimators consume trajectories in episode order.
 */
public record TabularTrajectory(int episode, int[] states, int[] actions, double[] rewards) {

    public TabularTrajectory {
        if (states.length != actions.length + 1 || rewards.length != actions.length) {
            throw new IllegalArgumentException("trajectory shapes: states " + states.length + ", actions "
                    + actions.length + ", rewards " + rewards.length + " (expected T+1, T, T)");
        }
    }

    public int length() {
        return actions.length;
    }

    /** Σ_t γ^t r_t. */
    public double discountedReturn(double gamma) {
        double g = 0;
        double w = 1;
        for (double r : rewards) {
            g += w * r;
            w *= gamma;
        }
        return g;
    }

    /** Σ_t r_t. */
    public double undiscountedReturn() {
        double g = 0;
        for (double r : rewards) {
            g += r;
        }
        return g;
    }
}
