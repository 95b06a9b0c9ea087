package io.metastream.core.task;

import io.metastream.core.env.StepResult;
import io.metastream.core.random.Seeds;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrozenLakeTest {

    @Test
    void holesAreAbsorbingWithPenaltyOnEveryStepInHighVariance() {
        FrozenLake env = new FrozenLake(new FrozenLakeMap("SHFF/FFFF/FFFF/FFFG", FrozenLakeVariance.HIGH));
        assertThat(env.reset(1)).isEqualTo(0);
        StepResult<Integer> s = env.step(FrozenLakeMap.RIGHT);
        assertThat(s.observation()).isEqualTo(1);
        assertThat(s.reward()).isEqualTo(-1.0);
        for (int a = 0; a < 4; a++) {
            StepResult<Integer> t = env.step(a);
            assertThat(t.observation()).isEqualTo(1);
            assertThat(t.reward()).isEqualTo(-1.0);
            assertThat(t.terminated()).isFalse();
        }
    }

    @Test
    void penaltyTilesDoNotTrapInLowVarianceAndWallsKeepThePosition() {
        FrozenLake env = new FrozenLake(new FrozenLakeMap("SHFF/FFFF/FFFF/FFFG", FrozenLakeVariance.LOW));
        env.reset(1);
        assertThat(env.step(FrozenLakeMap.UP).observation()).isEqualTo(0);
        assertThat(env.step(FrozenLakeMap.RIGHT).reward()).isEqualTo(-0.5);
        assertThat(env.step(FrozenLakeMap.RIGHT).observation()).isEqualTo(2);
    }

    @Test
    void episodesAreTruncatedAfter49StepsAndNeverTerminate() {
        FrozenLake env = new FrozenLake(new FrozenLakeMap("SFFF/FFFF/FFFF/FFFG", FrozenLakeVariance.HIGH));
        env.reset(3);
        int steps = 0;
        StepResult<Integer> s;
        do {
            s = env.step(FrozenLakeMap.DOWN);
            steps++;
            assertThat(s.terminated()).isFalse();
        } while (!s.done());
        assertThat(steps).isEqualTo(49);
        assertThat(s.truncated()).isTrue();
        assertThatThrownBy(() -> env.step(0)).hasMessageContaining("truncated");
    }

    @Test
    void publishedFamiliesHaveTheDocumentedSizesAndEveryMapReachesTheGoal() {
        assertThat(FrozenLakeFamily.highVariance().testTasks()).hasSize(10);
        assertThat(FrozenLakeFamily.lowVariance().testTasks()).hasSize(20);
        for (FrozenLakeMap m : FrozenLakeFamily.highVariance().testTasks()) {
            assertThat(FrozenLakeMapGenerator.goalReachable(m.layout())).isTrue();
            assertThat(FrozenLakeMap.parse(m.toString())).isEqualTo(m);
        }
    }

    @Test
    void sampledTasksAreDistinctAndDeterministicPerSeed() {
        FrozenLakeFamily family = FrozenLakeFamily.lowVariance();
        List<Integer> a = family.sampleIndices(5, Seeds.rng(42, 1, 0));
        assertThat(new HashSet<>(a)).hasSize(5);
        assertThat(family.sampleIndices(5, Seeds.rng(42, 1, 0))).isEqualTo(a);
        assertThatThrownBy(() -> family.sampleIndices(21, Seeds.rng(1))).hasMessageContaining("without replacement");
    }

    @Test
    void generatorKeepsTheTopLeftTriangleFrozenAndOnlySolvableMaps() {
        FrozenLakeMapGenerator gen = FrozenLakeMapGenerator.standard();
        Set<String> distinct = new HashSet<>();
        var rng = Seeds.rng(9, 7);
        int holes = 0;
        for (int i = 0; i < 300; i++) {
            String layout = gen.draw(rng);
            FrozenLakeMap map = new FrozenLakeMap(layout, FrozenLakeVariance.HIGH);
            for (int s = 0; s < 16; s++) {
                if (s / 4 + s % 4 <= 2) {
                    assertThat(map.tile(s)).isIn('S', 'F');
                }
                holes += map.tile(s) == 'H' ? 1 : 0;
            }
            assertThat(FrozenLakeMapGenerator.goalReachable(layout)).isTrue();
            distinct.add(layout);
        }
        assertThat(distinct.size()).isGreaterThan(50);
        // 10 free tiles with p(H) = 0.2, conditioned on solvability: clearly fewer than 2 per map, clearly some
        assertThat(holes / 300.0).isBetween(0.8, 2.0);
        assertThat(gen.draw(Seeds.rng(5))).isEqualTo(gen.draw(Seeds.rng(5)));
    }
}
