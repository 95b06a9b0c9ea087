package io.metastream.mujoco;

/**
 * The physics outcome of one environment step.
 *
 * @param observation qpos without the excluded root coordinates, followed by qvel
 * @param xVelocity   forward velocity Δ(root x)/dt over the step (dt = timestep · frameSkip)
 * @param flags       {@code MujocoNative.FLAG_*} bitmask; 0 for a clean step
 */
public record MujocoStep(double[] observation, double xVelocity, int flags) {

    /** True when MuJoCo flagged the step (bad qacc/qpos/qvel/ctrl, NaN, or another warning). */
    public boolean unstable() {
        return flags != 0;
    }

    /** True when a NaN/Inf entered the state or the controls during the step. */
    public boolean nan() {
        return (flags & MujocoNative.FLAG_NAN) != 0;
    }
}
