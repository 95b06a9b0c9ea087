package io.metastream.mujoco.task;

import static io.metastream.mujoco.MujocoTestSupport.assumeMujoco;
import static org.assertj.core.api.Assertions.assertThat;

import io.metastream.core.env.StepResult;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LocomotionTaskTest {

    // ---- families: pure Java, run without MuJoCo ----

    @Test
    void halfCheetahVelFamily() {
        VelocityFamily f = VelocityFamily.halfCheetahVel();
        assertThat(f.name()).isEqualTo("halfcheetah-vel");
        assertThat(f.testTasks()).hasSize(19);
        assertThat(f.testTasks().get(0).goalVelocity()).isEqualTo(0.1);
        assertThat(f.testTasks().get(18).goalVelocity()).isEqualTo(1.9);
        List<VelocityTask> s = f.sampleTasks(1000, new SplittableRandom(1));
        assertThat(s).allMatch(t -> t.goalVelocity() >= 0 && t.goalVelocity() < 2);
        assertThat(f.sampleTasks(5, new SplittableRandom(1))).isEqualTo(f.sampleTasks(5, new SplittableRandom(1)));
    }

    @Test
    void antVelFamily() {
        VelocityFamily f = VelocityFamily.antVel();
        assertThat(f.testTasks()).hasSize(29);
        assertThat(f.testTasks().get(28).goalVelocity()).isEqualTo(2.9);
        assertThat(f.sampleTasks(1000, new SplittableRandom(2))).allMatch(t -> t.goalVelocity() < 3);
    }

    @Test
    void directionFamilies() {
        DirectionFamily f = DirectionFamily.antDir();
        assertThat(f.testTasks()).containsExactly(new DirectionTask(-1), new DirectionTask(1));
        assertThat(f.sampleTasks(4, new SplittableRandom(3)))
                .extracting(DirectionTask::direction).containsExactly(-1, 1, -1, 1);
        assertThat(LocomotionFamilies.byName("halfcheetah-dir")).isEqualTo(DirectionFamily.halfCheetahDir());
    }

    @Test
    void rewardFormulas() {
        double[] a = {0.5, -1, 0.25, 0, 0, 0};
        double a2 = 0.25 + 1 + 0.0625;
        assertThat(LocomotionReward.velocity(Robot.HALF_CHEETAH, new VelocityTask(1.5)).reward(0.7, a))
                .isCloseTo(-Math.abs(0.7 - 1.5) - 0.05 * a2, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(LocomotionReward.direction(Robot.HALF_CHEETAH, new DirectionTask(-1)).reward(0.7, a))
                .isCloseTo(-0.7 - 0.05 * a2, org.assertj.core.data.Offset.offset(1e-15));
        double[] b = {0.5, -1, 0.25, 0, 0, 0, 0, 0};
        assertThat(LocomotionReward.velocity(Robot.ANT, new VelocityTask(2.0)).reward(0.7, b))
                .isCloseTo(-Math.abs(0.7 - 2.0) + 0.05 + 1 - 0.005 * a2, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(LocomotionReward.direction(Robot.ANT, new DirectionTask(1)).reward(0.7, b))
                .isCloseTo(0.7 + 0.05 + 1 - 0.005 * a2, org.assertj.core.data.Offset.offset(1e-15));
    }

    // ---- with physics ----

    @Test
    void halfCheetahVelZeroActionAtRest() {
        assumeMujoco();
        VelocityTask task = new VelocityTask(1.3);
        try (LocomotionEnv<VelocityTask> env = VelocityFamily.halfCheetahVel().newEnvironment(task)) {
            env.reset(5);
            double[] zero = new double[6];
            StepResult<double[]> r = null;
            for (int t = 0; t < 100; t++) { // let it settle on the floor
                r = env.step(zero);
                double vx = env.lastStep().xVelocity();
                assertThat(r.reward()).isEqualTo(-Math.abs(vx - 1.3)); // exact: −|v_x − v_goal| − 0.05·0
            }
            double vx = env.lastStep().xVelocity();
            assertThat(Math.abs(vx)).as("at rest").isLessThan(1e-3);
            assertThat(r.reward()).isCloseTo(-Math.abs(0 - 1.3), org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void horizonIs200WithoutTermination() {
        assumeMujoco();
        try (LocomotionEnv<DirectionTask> env = DirectionFamily.antDir().newEnvironment(DirectionTask.FORWARD)) {
            assertThat(env.observationSize()).isEqualTo(27);
            env.reset(1);
            SplittableRandom rng = new SplittableRandom(0);
            int steps = 0;
            StepResult<double[]> r;
            do {
                double[] a = new double[8];
                for (int i = 0; i < 8; i++) {
                    a[i] = rng.nextDouble(-1, 1);
                }
                r = env.step(a);
                steps++;
                assertThat(r.terminated()).isFalse();
            } while (!r.done());
            assertThat(steps).isEqualTo(200);
            assertThat(r.truncated()).isTrue();
        }
    }
}
