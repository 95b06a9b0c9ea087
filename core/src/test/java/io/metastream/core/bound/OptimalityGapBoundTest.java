package io.metastream.core.bound;

import io.metastream.core.Numerics;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class OptimalityGapBoundTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"frozenlake-high,ALG1", "frozenlake-high,ALG2", "frozenlake-low,ALG1", "frozenlake-low,ALG2"})
    void boundHoldsOnEveryTask(String family, TabularAlgorithm alg) {
        double[] uniform = new double[64];
        Arrays.fill(uniform, 0.1);
        int checked = 0;
        for (double[] phi : new double[][]{uniform, Numerics.gaussian(64, 1.0, 3), Numerics.gaussian(64, 2.0, 4)}) {
            for (double lambda : new double[]{0.05, 0.1, 0.2, 1.0, 5.0}) {
                for (FrozenLakeMap map : FrozenLakeFamily.byName(family).testTasks()) {
                    OptimalityGapBound.TaskGap g = OptimalityGapBound.evaluate(map.toMdp(), alg, phi, lambda);
                    assertThat(g.gap()).as("gap is non-negative on %s", map).isGreaterThanOrEqualTo(-1e-12);
                    assertThat(g.bound()).as("bound %.4f >= gap %.4f on %s, lambda %.2f", g.bound(), g.gap(), map, lambda)
                            .isGreaterThanOrEqualTo(g.gap() - 1e-12);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(15 * FrozenLakeFamily.byName(family).testTasks().size());
    }
}
