package io.metastream.mujoco.task;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Running-direction families (d ∈ {−1, +1}). Following EXPERIMENTS.md, a meta-batch of n
 * directions is the balanced sequence −1, +1, −1, +1, … (for n = 4 exactly the published
 * [−1, 1, −1, 1]); {@code rng} is not consumed. The test and validation tasks are d = −1, +1.
 * Task specs are {@code NAME:D}, e.g. {@code ant-dir:-1}. Environments hold native memory: close them.
 */
public record DirectionFamily(String name, Robot robot) implements LocomotionFamily<DirectionTask> {

    /** {@code halfcheetah-dir}. */
    public static DirectionFamily halfCheetahDir() {
        return new DirectionFamily("halfcheetah-dir", Robot.HALF_CHEETAH);
    }

    /** {@code ant-dir}. */
    public static DirectionFamily antDir() {
        return new DirectionFamily("ant-dir", Robot.ANT);
    }

    @Override
    public List<DirectionTask> sampleTasks(int n, RandomGenerator rng) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0");
        }
        List<DirectionTask> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i % 2 == 0 ? DirectionTask.BACKWARD : DirectionTask.FORWARD);
        }
        return out;
    }

    @Override
    public List<DirectionTask> testTasks() {
        return List.of(DirectionTask.BACKWARD, DirectionTask.FORWARD);
    }

    /** Same as {@link #testTasks()}. */
    @Override
    public List<DirectionTask> validationTasks() {
        return testTasks();
    }

    @Override
    public LocomotionReward reward(DirectionTask task) {
        return LocomotionReward.direction(robot, task);
    }

    @Override
    public String spec(DirectionTask task) {
        return name + ":" + task.direction();
    }

    @Override
    public DirectionTask parse(String spec) {
        String prefix = name + ":";
        if (!spec.startsWith(prefix)) {
            throw new IllegalArgumentException("task spec must be '" + prefix + "-1' or '" + prefix + "1', got '" + spec + "'");
        }
        try {
            return new DirectionTask(Integer.parseInt(spec.substring(prefix.length())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task spec must be '" + prefix + "-1' or '" + prefix + "1', got '" + spec + "'", e);
        }
    }
}
