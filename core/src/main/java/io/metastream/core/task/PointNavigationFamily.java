package io.metastream.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * MAML's 2-D point-navigation family ({@link PointNavigation}): training goals uniform on
 * [−{@link #GOAL_RANGE}, {@link #GOAL_RANGE}]², observation and action dimension 2.
 *
 * <p>Fixed held-out goals (not random draws, so they are the same everywhere): the 20 test goals
 * are the grid x ∈ {−0.4, −0.2, 0, 0.2, 0.4} × y ∈ {−0.45, −0.15, 0.15, 0.45}, row by row in y
 * then x; the 8 validation goals are (±0.3, ±0.1) and (±0.1, ±0.3), off that grid.
 *
 * <p>Task specs are {@code pointnav:X,Y} with {@link Double#toString} coordinates, which parse back
 * to the same doubles bit for bit.
 */
public record PointNavigationFamily(int defaultHorizon) implements ContinuousTaskFamily<PointGoal> {

    /** The family name and the spec prefix. */
    public static final String NAME = "pointnav";
    /** Training goals are U[−GOAL_RANGE, GOAL_RANGE]² . */
    public static final double GOAL_RANGE = 0.5;

    private static final List<PointGoal> TEST = grid();
    private static final List<PointGoal> VALIDATION = List.of(
            new PointGoal(0.3, 0.1), new PointGoal(-0.3, 0.1), new PointGoal(0.3, -0.1), new PointGoal(-0.3, -0.1),
            new PointGoal(0.1, 0.3), new PointGoal(-0.1, 0.3), new PointGoal(0.1, -0.3), new PointGoal(-0.1, -0.3));

    public PointNavigationFamily {
        if (defaultHorizon <= 0) {
            throw new IllegalArgumentException("horizon must be positive, got " + defaultHorizon);
        }
    }

    /** The family with MAML's horizon of 100 steps. */
    public PointNavigationFamily() {
        this(PointNavigation.DEFAULT_HORIZON);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int obsDim() {
        return 2;
    }

    @Override
    public int actDim() {
        return 2;
    }

    /** {@code n} goals, each (x, y) drawn as two consecutive {@code nextDouble} calls scaled to [−0.5, 0.5). */
    @Override
    public List<PointGoal> sampleTasks(int n, RandomGenerator rng) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        List<PointGoal> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double x = GOAL_RANGE * (2 * rng.nextDouble() - 1);
            double y = GOAL_RANGE * (2 * rng.nextDouble() - 1);
            out.add(new PointGoal(x, y));
        }
        return out;
    }

    @Override
    public List<PointGoal> testTasks() {
        return TEST;
    }

    @Override
    public List<PointGoal> validationTasks() {
        return VALIDATION;
    }

    @Override
    public PointNavigation newEnvironment(PointGoal task, int horizon) {
        return new PointNavigation(task, horizon);
    }

    @Override
    public String spec(PointGoal task) {
        return NAME + ":" + task.x() + "," + task.y();
    }

    @Override
    public PointGoal parse(String spec) {
        String prefix = NAME + ":";
        String[] xy = spec.startsWith(prefix) ? spec.substring(prefix.length()).split(",", -1) : new String[0];
        if (xy.length != 2) {
            throw new IllegalArgumentException("point-navigation task spec must be 'pointnav:X,Y', got '" + spec + "'");
        }
        try {
            return new PointGoal(Double.parseDouble(xy[0].trim()), Double.parseDouble(xy[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("point-navigation task spec must be 'pointnav:X,Y', got '" + spec + "'", e);
        }
    }

    private static List<PointGoal> grid() {
        double[] xs = {-0.4, -0.2, 0.0, 0.2, 0.4};
        double[] ys = {-0.45, -0.15, 0.15, 0.45};
        List<PointGoal> out = new ArrayList<>(xs.length * ys.length);
        for (double y : ys) {
            for (double x : xs) {
                out.add(new PointGoal(x, y));
            }
        }
        return List.copyOf(out);
    }
}
