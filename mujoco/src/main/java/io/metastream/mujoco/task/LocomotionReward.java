package io.metastream.mujoco.task;

/** The per-step reward r(v_x, a) of a locomotion task. */
@FunctionalInterface
public interface LocomotionReward {

    double reward(double xVelocity, double[] action);

    /**
     * HalfCheetah-Vel: −|v_x − v_goal| − 0.05‖a‖²; Ant-Vel: −|v_x − v_goal| + 0.05 + 1 − 0.005‖a‖².
     */
    static LocomotionReward velocity(Robot robot, VelocityTask task) {
        double goal = task.goalVelocity();
        double w = robot.controlCostWeight();
        double bonus = robot.bonus();
        return (v, a) -> -Math.abs(v - goal) + bonus - w * Robot.squaredNorm(a);
    }

    /** HalfCheetah-Dir: d·v_x − 0.05‖a‖²; Ant-Dir: d·v_x + 0.05 + 1 − 0.005‖a‖². */
    static LocomotionReward direction(Robot robot, DirectionTask task) {
        double d = task.direction();
        double w = robot.controlCostWeight();
        double bonus = robot.bonus();
        return (v, a) -> d * v + bonus - w * Robot.squaredNorm(a);
    }
}
