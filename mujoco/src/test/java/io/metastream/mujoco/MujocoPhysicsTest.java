package io.metastream.mujoco;

import static io.metastream.mujoco.MujocoTestSupport.assumeMujoco;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MujocoPhysicsTest {

    @BeforeEach
    void requireMujoco() {
        assumeMujoco();
    }

    @Test
    void versionIs222() {
        assertThat(MujocoNative.version()).isEqualTo("2.2.2");
    }

    @Test
    void halfCheetahDimensions() {
        try (MujocoModel m = MujocoModel.loadResource(MujocoModel.HALF_CHEETAH)) {
            assertThat(m.nq()).isEqualTo(9);
            assertThat(m.nv()).isEqualTo(9);
            assertThat(m.nu()).isEqualTo(6);
            assertThat(m.timestep()).isEqualTo(0.01);
            assertThat(m.ctrlLow()).containsOnly(-1.0);
            assertThat(m.ctrlHigh()).containsOnly(1.0);
            try (MujocoEnv env = new MujocoEnv(m, 5, 1, 0.1)) {
                assertThat(env.dt()).isEqualTo(0.05);
                assertThat(env.observationSize()).isEqualTo(17);
                assertThat(env.reset(3)).hasSize(17);
            }
        }
    }

    @Test
    void antDimensions() {
        try (MujocoModel m = MujocoModel.loadResource(MujocoModel.ANT)) {
            assertThat(m.nq()).isEqualTo(15);
            assertThat(m.nv()).isEqualTo(14);
            assertThat(m.nu()).isEqualTo(8);
            assertThat(m.timestep()).isEqualTo(0.01);
            try (MujocoEnv env = new MujocoEnv(m, 5, 2, 0.1)) {
                assertThat(env.observationSize()).isEqualTo(27);
            }
        }
    }

    @Test
    void fixedActionsGiveBitIdenticalTrajectories() {
        for (String model : new String[] {MujocoModel.HALF_CHEETAH, MujocoModel.ANT}) {
            double[] a = rollout(model, 11);
            double[] b = rollout(model, 11);
            assertThat(b).as(model).containsExactly(a); // exact, bit for bit (no tolerance)
            assertThat(rollout(model, 12)).as(model + " other seed").isNotEqualTo(a);
        }
    }

    /** 200 steps of a fixed pseudo-random action sequence; returns every x-velocity and the final state. */
    private static double[] rollout(String model, long resetSeed) {
        int excluded = model.equals(MujocoModel.ANT) ? 2 : 1;
        try (MujocoEnv env = new MujocoEnv(MujocoModel.shared(model), 5, excluded, 0.1)) {
            env.reset(resetSeed);
            SplittableRandom rng = new SplittableRandom(99);
            double[] out = new double[200 + env.observationSize()];
            double[] obs = null;
            for (int t = 0; t < 200; t++) {
                double[] act = new double[env.actionSize()];
                for (int i = 0; i < act.length; i++) {
                    act[i] = rng.nextDouble(-1, 1);
                }
                MujocoStep s = env.step(act);
                assertThat(s.unstable()).as("step %d of %s flags=%d", t, model, s.flags()).isFalse();
                out[t] = s.xVelocity();
                obs = s.observation();
            }
            System.arraycopy(obs, 0, out, 200, obs.length);
            return out;
        }
    }

    @Test
    void missingModelRaisesMujocoExceptionAndJvmSurvives(@TempDir Path dir) {
        Path missing = dir.resolve("does_not_exist.xml");
        assertThatThrownBy(() -> MujocoModel.load(missing))
                .isInstanceOf(MujocoException.class)
                .hasMessageContaining("does_not_exist.xml");
        // the process is alive and MuJoCo still works
        try (MujocoModel m = MujocoModel.loadResource(MujocoModel.HALF_CHEETAH)) {
            assertThat(m.nu()).isEqualTo(6);
        }
    }

    @Test
    void invalidModelRaisesMujocoExceptionWithMujocosMessage(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, "<mujoco><worldbody><body><joint type=\"nonsense\"/></body></worldbody></mujoco>");
        assertThatThrownBy(() -> MujocoModel.load(bad))
                .isInstanceOf(MujocoException.class)
                .hasMessageContaining("nonsense");
        Path notXml = dir.resolve("garbage.xml");
        Files.writeString(notXml, "this is not xml <<<");
        assertThatThrownBy(() -> MujocoModel.load(notXml)).isInstanceOf(MujocoException.class);
        try (MujocoModel m = MujocoModel.loadResource(MujocoModel.ANT)) {
            assertThat(m.nu()).isEqualTo(8);
        }
    }

    @Test
    void engineErrorInsideStepBecomesMujocoException(@TempDir Path dir) throws IOException {
        // a stack too small for contacts: mju_error("Stack overflow") inside mj_step, which would
        // exit the process without the shim's handler
        String xml;
        try (var in = MujocoModel.class.getResourceAsStream(MujocoModel.MODEL_RESOURCE_DIR + MujocoModel.HALF_CHEETAH)) {
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Path small = dir.resolve("small_stack.xml");
        Files.writeString(small, xml.replace("<option ", "<size nstack=\"250\"/>\n  <option "));
        try (MujocoModel m = MujocoModel.load(small); MujocoEnv env = new MujocoEnv(m, 5, 1, 0.1)) {
            env.reset(1);
            assertThatThrownBy(() -> {
                for (int t = 0; t < 100; t++) {
                    env.step(new double[6]);
                }
            }).isInstanceOf(MujocoException.class).hasMessageContaining("Stack overflow");
            assertThat(env.reset(2)).hasSize(17); // the data object is usable again after a reset
        }
        try (MujocoEnv env = new MujocoEnv(MujocoModel.shared(MujocoModel.HALF_CHEETAH), 5, 1, 0.1)) {
            env.reset(1);
            assertThat(env.step(new double[6]).unstable()).isFalse();
        }
    }

    @Test
    void nanActionIsFlagged() {
        try (MujocoEnv env = new MujocoEnv(MujocoModel.shared(MujocoModel.HALF_CHEETAH), 5, 1, 0.1)) {
            env.reset(1);
            double[] act = new double[6];
            act[2] = Double.NaN;
            MujocoStep s = env.step(act);
            assertThat(s.unstable()).isTrue();
            assertThat(s.nan()).isTrue();
            assertThat(s.flags() & MujocoNative.FLAG_BADCTRL).isNotZero();
            // the env recovers after a reset
            env.reset(2);
            assertThat(env.step(new double[6]).unstable()).isFalse();
        }
    }

    @Test
    void hugeVelocityIsFlaggedNotFatal() {
        try (MujocoEnv env = new MujocoEnv(MujocoModel.shared(MujocoModel.HALF_CHEETAH), 5, 1, 0.0)) {
            env.reset(1);
            double[] act = new double[6];
            java.util.Arrays.fill(act, 1e300);
            MujocoStep s = env.step(act); // ctrl is clamped by ctrlrange: stays stable
            assertThat(java.util.Arrays.stream(s.observation()).allMatch(Double::isFinite)).isTrue();
        }
    }

    @Test
    void closedModelOutlivesItsEnvs() {
        MujocoModel m = MujocoModel.loadResource(MujocoModel.HALF_CHEETAH);
        MujocoEnv env = new MujocoEnv(m, 5, 1, 0.1);
        m.close(); // freed only when the env closes
        env.reset(4);
        assertThat(env.step(new double[6]).observation()).hasSize(17);
        env.close();
        assertThatThrownBy(() -> new MujocoEnv(m, 5, 1, 0.1)).isInstanceOf(IllegalStateException.class);
    }
}
