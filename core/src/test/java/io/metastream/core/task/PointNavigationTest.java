package io.metastream.core.task;

import io.metastream.core.env.StepResult;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PointNavigationTest {

    @Test
    void movesByTheClippedActionAndIsRewardedByMinusTheDistanceAfterTheMove() {
        PointNavigation env = new PointNavigation(new PointGoal(0.25, -0.1), 3);
        assertThat(env.reset(99)).containsExactly(0.0, 0.0);
        StepResult<double[]> s1 = env.step(new double[] {0.05, -0.3});
        assertThat(s1.observation()).containsExactly(0.05, -0.1);
        assertThat(s1.reward()).isCloseTo(-0.2, within(1e-15));
        assertThat(s1.done()).isFalse();
        StepResult<double[]> s2 = env.step(new double[] {7.0, 0.02});
        assertThat(s2.observation()).containsExactly(0.05 + 0.1, -0.1 + 0.02);
        double dx = 0.05 + 0.1 - 0.25;
        double dy = -0.1 + 0.02 + 0.1;
        assertThat(s2.reward()).isEqualTo(-Math.sqrt(dx * dx + dy * dy));
        StepResult<double[]> s3 = env.step(new double[] {0, 0});
        assertThat(s3.truncated()).isTrue();
        assertThat(s3.terminated()).isFalse();
        assertThatThrownBy(() -> env.step(new double[] {0, 0})).isInstanceOf(IllegalStateException.class);
        assertThat(env.reset(1)).containsExactly(0.0, 0.0);
        assertThatThrownBy(() -> env.step(new double[] {Double.NaN, 0})).hasMessageContaining("NaN");
        assertThatThrownBy(() -> env.step(new double[] {0})).hasMessageContaining("2 entries");
    }

    @Test
    void specStringsRoundTripBitForBit() {
        PointNavigationFamily family = new PointNavigationFamily();
        assertThat(family.spec(new PointGoal(0.25, -0.1))).isEqualTo("pointnav:0.25,-0.1");
        assertThat(family.parse("pointnav:0.25,-0.1")).isEqualTo(new PointGoal(0.25, -0.1));
        List<PointGoal> goals = new java.util.ArrayList<>(family.sampleTasks(100, new SplittableRandom(5)));
        goals.add(new PointGoal(0.1 + 0.2, -0.0));
        goals.add(new PointGoal(Double.MIN_VALUE, -1e300));
        for (PointGoal g : goals) {
            PointGoal back = family.parse(family.spec(g));
            assertThat(Double.doubleToRawLongBits(back.x())).isEqualTo(Double.doubleToRawLongBits(g.x()));
            assertThat(Double.doubleToRawLongBits(back.y())).isEqualTo(Double.doubleToRawLongBits(g.y()));
        }
        for (String bad : new String[] {"pointnav:1", "pointnav:1,2,3", "high:1,2", "pointnav:a,b", "pointnav:NaN,0"}) {
            assertThatThrownBy(() -> family.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void trainingGoalsAreUniformOnTheSquareAndHeldOutGoalsAreFixed() {
        PointNavigationFamily family = new PointNavigationFamily();
        List<PointGoal> goals = family.sampleTasks(4000, new SplittableRandom(11));
        double meanX = 0;
        double meanSqY = 0;
        for (PointGoal g : goals) {
            assertThat(Math.abs(g.x())).isLessThanOrEqualTo(0.5);
            assertThat(Math.abs(g.y())).isLessThanOrEqualTo(0.5);
            meanX += g.x() / goals.size();
            meanSqY += g.y() * g.y() / goals.size();
        }
        assertThat(meanX).isBetween(-0.02, 0.02);
        assertThat(meanSqY).isBetween(1 / 12.0 - 0.01, 1 / 12.0 + 0.01); // Var U[−½, ½] = 1/12
        assertThat(family.sampleTasks(3, new SplittableRandom(2))).isEqualTo(family.sampleTasks(3, new SplittableRandom(2)));
        assertThat(family.testTasks()).hasSize(20).doesNotHaveDuplicates();
        assertThat(family.testTasks().get(0)).isEqualTo(new PointGoal(-0.4, -0.45));
        assertThat(family.validationTasks()).hasSize(8);
        assertThat(new HashSet<>(family.validationTasks())).doesNotContainAnyElementsOf(family.testTasks());
        assertThat(family.obsDim()).isEqualTo(2);
        assertThat(family.actDim()).isEqualTo(2);
        assertThat(family.newEnvironment(family.testTasks().get(3), 7).horizon()).isEqualTo(7);
    }
}
