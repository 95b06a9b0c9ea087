package io.metastream.mujoco.task;

/** A target forward velocity v_goal (m/s). */
public record VelocityTask(double goalVelocity) {

    public VelocityTask {
        if (!Double.isFinite(goalVelocity)) {
            throw new IllegalArgumentException("goal velocity must be finite");
        }
    }
}
