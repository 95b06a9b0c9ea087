package io.metastream.core.task;

import io.metastream.core.env.StepResult;

/**
 * The 2-D point-navigation environment of MAML's continuous experiments. The state is the position
 * p ∈ R², starting at the origin (deterministic, so the reset seed is unused); the action is a
 * velocity a ∈ R² clipped to [−{@link #MAX_STEP}, {@link #MAX_STEP}]² per coordinate before the move
 * p ← p + clip(a); the reward is −‖p − goal‖₂ measured after the move. No termination; truncation
 * after {@code horizon} steps. The observation is a fresh copy of p.
 */
public final class PointNavigation implements TaskEnvironment<PointGoal, double[], double[]> {

    /** The per-coordinate speed limit. */
    public static final double MAX_STEP = 0.1;
    /** MAML's episode length. */
    public static final int DEFAULT_HORIZON = 100;

    private final int horizon;
    private PointGoal goal;
    private double x;
    private double y;
    private int t;
    private boolean done = true;

    public PointNavigation(PointGoal goal, int horizon) {
        if (horizon <= 0) {
            throw new IllegalArgumentException("horizon must be positive, got " + horizon);
        }
        this.horizon = horizon;
        setTask(goal);
    }

    public int horizon() {
        return horizon;
    }

    @Override
    public double[] reset(long seed) {
        x = 0;
        y = 0;
        t = 0;
        done = false;
        return new double[] {x, y};
    }

    @Override
    public StepResult<double[]> step(double[] action) {
        if (done) {
            throw new IllegalStateException("step called before reset or after the episode was truncated at " + t);
        }
        if (action.length != 2) {
            throw new IllegalArgumentException("point-navigation action has 2 entries, got " + action.length);
        }
        x += clip(action[0]);
        y += clip(action[1]);
        t++;
        done = t >= horizon;
        double dx = x - goal.x();
        double dy = y - goal.y();
        return new StepResult<>(new double[] {x, y}, -Math.sqrt(dx * dx + dy * dy), false, done);
    }

    /** clip(a) = min(max(a, −MAX_STEP), MAX_STEP); NaN actions are rejected. */
    static double clip(double a) {
        if (Double.isNaN(a)) {
            throw new IllegalArgumentException("action is NaN");
        }
        return Math.max(-MAX_STEP, Math.min(MAX_STEP, a));
    }

    @Override
    public void setTask(PointGoal task) {
        if (task == null) {
            throw new IllegalArgumentException("goal is null");
        }
        this.goal = task;
        this.done = true;
    }

    @Override
    public PointGoal getTask() {
        return goal;
    }
}
