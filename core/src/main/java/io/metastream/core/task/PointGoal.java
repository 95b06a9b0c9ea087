package io.metastream.core.task;

/** A point-navigation task: the goal position (x, y) ∈ R² of {@link PointNavigation}. */
public record PointGoal(double x, double y) {

    public PointGoal {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("goal coordinates must be finite, got (" + x + ", " + y + ")");
        }
    }
}
