package io.metastream.mujoco.task;

import io.metastream.core.task.ContinuousTaskFamily;

/**
 * What the locomotion families share: one {@link Robot}, its observation and action sizes, the
 * 200-step horizon of EXPERIMENTS.md, and environments on the robot's shared model that differ
 * only in the task's reward. Environments hold native memory: close them.
 *
 * @param <T> the task (a goal velocity or a direction)
 */
public interface LocomotionFamily<T> extends ContinuousTaskFamily<T> {

    /** The simulated robot. */
    Robot robot();

    /** The reward of {@code task} on this family's robot. */
    LocomotionReward reward(T task);

    /** A new episode environment (horizon 200) for {@code task} on the shared model. */
    default LocomotionEnv<T> newEnvironment(T task) {
        return newEnvironment(task, LocomotionEnv.HORIZON);
    }

    /** A new environment truncating after {@code horizon} steps; the caller closes it. */
    @Override
    default LocomotionEnv<T> newEnvironment(T task, int horizon) {
        return new LocomotionEnv<>(robot(), robot().newMujocoEnv(), task, this::reward, horizon);
    }

    @Override
    default int obsDim() {
        return robot().observationSize();
    }

    @Override
    default int actDim() {
        return robot().actionSize();
    }

    @Override
    default int defaultHorizon() {
        return LocomotionEnv.HORIZON;
    }
}
