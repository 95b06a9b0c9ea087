package io.metastream.mujoco.task;

import static io.metastream.mujoco.MujocoTestSupport.assumeMujoco;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigationFamily;
import io.metastream.mujoco.MujocoNative;
import org.junit.jupiter.api.Test;

class ContinuousFamiliesTest {

    @Test
    void pointNavigationResolvesByNameAndBySpecWithoutPhysics() {
        ContinuousTaskFamily<?> byName = ContinuousFamilies.byName("pointnav", () -> {
            throw new AssertionError("point navigation must not need MuJoCo");
        });
        assertThat(byName).isInstanceOf(PointNavigationFamily.class);
        PointNavigationFamily family = new PointNavigationFamily();
        String spec = family.spec(new PointGoal(0.1, -0.3));
        assertThat(ContinuousFamilies.forSpec(spec).name()).isEqualTo("pointnav");
        assertThat(ContinuousFamilies.NAMES).containsExactly("pointnav", "halfcheetah-vel", "halfcheetah-dir", "ant-vel",
                "ant-dir");
    }

    @Test
    void unknownNamesAndSpecsListTheKnownFamilies() {
        assertThatThrownBy(() -> ContinuousFamilies.byName("hopper")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'hopper'").hasMessageContaining("pointnav, halfcheetah-vel");
        assertThatThrownBy(() -> ContinuousFamilies.forSpec("0.1,0.2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no 'family:' prefix").hasMessageContaining("ant-dir");
        assertThatThrownBy(() -> ContinuousFamilies.forSpec("walker:1")).hasMessageContaining("'walker'");
    }

    @Test
    void aLocomotionFamilyWithoutMujocoSaysHowToInstallIt() {
        MujocoNative.LoadResult missing = new MujocoNative.LoadResult(false, "no native library at /nowhere");
        assertThatThrownBy(() -> ContinuousFamilies.byName("ant-dir", missing::requireAvailable))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install -y libmujoco-dev");
    }

    @Test
    void locomotionFamiliesResolveWhenMujocoIsInstalled() {
        assumeMujoco();
        for (String name : LocomotionFamilies.NAMES) {
            assertThat(ContinuousFamilies.byName(name).name()).isEqualTo(name);
        }
        assertThat(ContinuousFamilies.forSpec("halfcheetah-vel:1.5").obsDim()).isEqualTo(17);
    }
}
