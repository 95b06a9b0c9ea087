package io.metastream.mujoco.task;

import io.metastream.mujoco.MujocoEnv;
import io.metastream.mujoco.MujocoModel;

/**
 * The two bundled locomotion bodies and the constants of their rewards (EXPERIMENTS.md).
 */
public enum Robot {
    /** Planar half-cheetah: reward −0.05‖a‖² control cost, no alive bonus; obs excludes root x. */
    HALF_CHEETAH(MujocoModel.HALF_CHEETAH, 1, 0.05, 0.0, 17, 6),
    /** Ant: reward + 0.05 + 1 bonus, −0.005‖a‖² control cost; obs excludes root x and y. */
    ANT(MujocoModel.ANT, 2, 0.005, 0.05 + 1.0, 27, 8);

    private final String resource;
    private final int excludedRootCoordinates;
    private final double controlCostWeight;
    private final double bonus;
    private final int observationSize;
    private final int actionSize;

    Robot(String resource, int excludedRootCoordinates, double controlCostWeight, double bonus, int observationSize,
          int actionSize) {
        this.resource = resource;
        this.excludedRootCoordinates = excludedRootCoordinates;
        this.controlCostWeight = controlCostWeight;
        this.bonus = bonus;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
    }

    /**
     * Observation length nq − excluded root coordinates + nv of the bundled model (half-cheetah
     * 9 − 1 + 9 = 17, ant 15 − 2 + 14 = 27), known without loading the native library.
     */
    public int observationSize() {
        return observationSize;
    }

    /** Number of actuators nu of the bundled model (half-cheetah 6, ant 8). */
    public int actionSize() {
        return actionSize;
    }

    /** The model resource name. */
    public String resource() {
        return resource;
    }

    /** Leading qpos entries left out of the observation. */
    public int excludedRootCoordinates() {
        return excludedRootCoordinates;
    }

    /** Weight of ‖a‖² in the reward. */
    public double controlCostWeight() {
        return controlCostWeight;
    }

    /** Constant added to every reward (Ant's 0.05 + 1; 0 for the half-cheetah). */
    public double bonus() {
        return bonus;
    }

    /** A new env on the JVM-wide shared model with frame skip 5 and the default reset noise. */
    public MujocoEnv newMujocoEnv() {
        return new MujocoEnv(MujocoModel.shared(resource), MujocoEnv.DEFAULT_FRAME_SKIP,
                excludedRootCoordinates, MujocoEnv.DEFAULT_RESET_NOISE);
    }

    /** ‖a‖². */
    static double squaredNorm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return s;
    }
}
