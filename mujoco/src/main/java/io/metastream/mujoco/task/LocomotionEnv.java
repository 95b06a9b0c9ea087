package io.metastream.mujoco.task;

import io.metastream.core.env.StepResult;
import io.metastream.core.task.TaskEnvironment;
import io.metastream.mujoco.MujocoEnv;
import io.metastream.mujoco.MujocoStep;
import java.util.function.Function;

/**
 * A locomotion task environment: horizon 200, no early termination (Ant's health check is
 * ignored, EXPERIMENTS.md). The physics details of the last step (x-velocity, instability flags)
 * are available from {@link #lastStep()}.
 *
 * @param <T> the task type ({@link VelocityTask} or {@link DirectionTask})
 */
public final class LocomotionEnv<T> implements TaskEnvironment<T, double[], double[]>, AutoCloseable {

    /** Episode length of every locomotion task. */
    public static final int HORIZON = 200;

    private final Robot robot;
    private final MujocoEnv env;
    private final Function<T, LocomotionReward> rewardOf;
    private final int horizon;
    private T task;
    private LocomotionReward reward;
    private int t;
    private boolean done = true;
    private MujocoStep lastStep;

    public LocomotionEnv(Robot robot, T task, Function<T, LocomotionReward> rewardOf) {
        this(robot, robot.newMujocoEnv(), task, rewardOf, HORIZON);
    }

    public LocomotionEnv(Robot robot, MujocoEnv env, T task, Function<T, LocomotionReward> rewardOf, int horizon) {
        this.robot = robot;
        this.env = env;
        this.rewardOf = rewardOf;
        this.horizon = horizon;
        setTask(task);
        this.reward = rewardOf.apply(task);
    }

    public Robot robot() {
        return robot;
    }

    /** The underlying physics env. */
    public MujocoEnv physics() {
        return env;
    }

    public int horizon() {
        return horizon;
    }

    @Override
    public void setTask(T task) {
        if (task == null) {
            throw new IllegalArgumentException("task is null");
        }
        this.task = task;
    }

    @Override
    public T getTask() {
        return task;
    }

    @Override
    public double[] reset(long seed) {
        reward = rewardOf.apply(task);
        t = 0;
        done = false;
        lastStep = null;
        return env.reset(seed);
    }

    @Override
    public StepResult<double[]> step(double[] action) {
        if (done) {
            throw new IllegalStateException("step() after the episode ended; call reset()");
        }
        MujocoStep s = env.step(action);
        lastStep = s;
        t++;
        boolean truncated = t >= horizon;
        done = truncated;
        return new StepResult<>(s.observation(), reward.reward(s.xVelocity(), action), false, truncated);
    }

    /** Physics outcome of the last {@link #step}, or null right after a reset. */
    public MujocoStep lastStep() {
        return lastStep;
    }

    public int observationSize() {
        return env.observationSize();
    }

    public int actionSize() {
        return env.actionSize();
    }

    @Override
    public void close() {
        env.close();
    }
}
