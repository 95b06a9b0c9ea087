package io.metastream.mujoco.task;

import static io.metastream.mujoco.MujocoTestSupport.assumeMujoco;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metastream.core.env.StepResult;
import io.metastream.core.task.ContinuousTaskFamily;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The locomotion families through the {@link ContinuousTaskFamily} interface. */
class ContinuousFamilyTest {

    @Test
    void dimensionsAndSpecsRoundTripWithoutPhysics() {
        VelocityFamily vel = VelocityFamily.halfCheetahVel();
        assertThat(vel.obsDim()).isEqualTo(17);
        assertThat(vel.actDim()).isEqualTo(6);
        assertThat(vel.defaultHorizon()).isEqualTo(200);
        for (VelocityTask t : vel.sampleTasks(50, new SplittableRandom(4))) {
            assertThat(vel.parse(vel.spec(t))).isEqualTo(t);
        }
        assertThat(vel.spec(new VelocityTask(0.1 + 0.2))).isEqualTo("halfcheetah-vel:0.30000000000000004");
        DirectionFamily dir = DirectionFamily.antDir();
        assertThat(dir.obsDim()).isEqualTo(27);
        assertThat(dir.actDim()).isEqualTo(8);
        assertThat(dir.spec(DirectionTask.BACKWARD)).isEqualTo("ant-dir:-1");
        assertThat(dir.parse("ant-dir:1")).isEqualTo(DirectionTask.FORWARD);
        assertThat(dir.validationTasks()).isEqualTo(dir.testTasks());
        assertThatThrownBy(() -> dir.parse("halfcheetah-dir:1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ant-dir:");
        assertThatThrownBy(() -> vel.parse("halfcheetah-vel:fast")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void environmentsMatchTheDeclaredDimensionsAndTruncateAtTheRequestedHorizon() {
        assumeMujoco();
        for (ContinuousTaskFamily<?> family : new ContinuousTaskFamily<?>[] {VelocityFamily.halfCheetahVel(),
                DirectionFamily.antDir()}) {
            checkEnvironment(family);
        }
    }

    private static <T> void checkEnvironment(ContinuousTaskFamily<T> family) {
        var env = family.newEnvironment(family.testTasks().get(0), 7);
        try {
            double[] obs = env.reset(3);
            assertThat(obs).hasSize(family.obsDim());
            double[] action = new double[family.actDim()];
            StepResult<double[]> step = null;
            for (int t = 0; t < 7; t++) {
                step = env.step(action);
                assertThat(step.truncated()).isEqualTo(t == 6);
            }
            assertThat(step.observation()).hasSize(family.obsDim());
        } finally {
            ContinuousTaskFamily.close(env);
        }
    }
}
