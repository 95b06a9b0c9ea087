package io.metastream.mujoco.task;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Target-velocity families: training goals v_goal ~ U[0, maxVelocity), test goals
 * 0.1, 0.2, … (EXPERIMENTS.md). HalfCheetah-Vel: U[0, 2], test 0.1..1.9 (19 goals);
 * Ant-Vel: U[0, 3], test 0.1..2.9 (29 goals). Task specs are {@code NAME:VGOAL}, e.g.
 * {@code halfcheetah-vel:1.5}, with {@link Double#toString} so that they parse back exactly.
 * Environments hold native memory: close them.
 */
public record VelocityFamily(String name, Robot robot, double maxVelocity, List<VelocityTask> testTasks,
                             List<VelocityTask> validationTasks) implements LocomotionFamily<VelocityTask> {

    public VelocityFamily {
        testTasks = List.copyOf(testTasks);
        validationTasks = List.copyOf(validationTasks);
    }

    /** {@code halfcheetah-vel}. */
    public static VelocityFamily halfCheetahVel() {
        return new VelocityFamily("halfcheetah-vel", Robot.HALF_CHEETAH, 2.0, tenths(1, 19),
                goals(0.1, 0.3, 0.5, 0.7, 1.0, 1.3, 1.5, 1.7, 1.9));
    }

    /** {@code ant-vel}. */
    public static VelocityFamily antVel() {
        return new VelocityFamily("ant-vel", Robot.ANT, 3.0, tenths(1, 29),
                goals(0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7));
    }

    @Override
    public List<VelocityTask> sampleTasks(int n, RandomGenerator rng) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0");
        }
        List<VelocityTask> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new VelocityTask(maxVelocity * rng.nextDouble()));
        }
        return out;
    }

    @Override
    public LocomotionReward reward(VelocityTask task) {
        return LocomotionReward.velocity(robot, task);
    }

    @Override
    public String spec(VelocityTask task) {
        return name + ":" + task.goalVelocity();
    }

    @Override
    public VelocityTask parse(String spec) {
        String prefix = name + ":";
        if (!spec.startsWith(prefix)) {
            throw new IllegalArgumentException("task spec must be '" + prefix + "VGOAL', got '" + spec + "'");
        }
        try {
            return new VelocityTask(Double.parseDouble(spec.substring(prefix.length())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task spec must be '" + prefix + "VGOAL', got '" + spec + "'", e);
        }
    }

    private static List<VelocityTask> tenths(int from, int to) {
        List<VelocityTask> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(new VelocityTask(i / 10.0));
        }
        return out;
    }

    private static List<VelocityTask> goals(double... v) {
        List<VelocityTask> out = new ArrayList<>();
        for (double x : v) {
            out.add(new VelocityTask(x));
        }
        return out;
    }
}
