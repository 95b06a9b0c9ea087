package io.metastream.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.metastream.core.estimate.TabularRollouts;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.task.FrozenLake;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TrajectoryRecordsTest {

  private final BehaviourPolicy behaviour = BehaviourPolicy.from(Fixtures.metaPrior("phi-7", 7, Fixtures.logits(11)));
  private final RolloutAssignment assignment = Fixtures.assignment("exp", "a-1", "task-3", "phi-7", 4, 1, 2024L);

  @Test
  void trajectoryHasTabularShapesAndBehaviourLogProbs() {
    TabularTrajectory episode = TabularRollouts.episode(
        new FrozenLake(FrozenLakeMap.parse(Fixtures.TASK_SPEC)), behaviour.policy(), 2024L, 4);
    int T = episode.length();

    Trajectory record = TrajectoryRecords.of(assignment, "worker-9", behaviour, episode);

    assertThat(T).isPositive();
    assertThat(record.getObsDim()).isEqualTo(1);
    assertThat(record.getActDim()).isEqualTo(1);
    assertThat(record.getObservations()).hasSize(T + 1)
        .containsExactlyElementsOf(Arrays.stream(episode.states()).asDoubleStream().boxed().toList());
    assertThat(record.getActions()).hasSize(T)
        .containsExactlyElementsOf(Arrays.stream(episode.actions()).asDoubleStream().boxed().toList());
    assertThat(record.getRewards()).containsExactlyElementsOf(Arrays.stream(episode.rewards()).boxed().toList());
    assertThat(record.getBehaviourLogProbs()).hasSize(T);
    double[] logits = Fixtures.logits(11);
    for (int t = 0; t < T; t++) {
      int s = episode.states()[t];
      int a = episode.actions()[t];
      double logZ = Math.log(Arrays.stream(logits, s * 4, s * 4 + 4).map(Math::exp).sum());
      assertThat(record.getBehaviourLogProbs().get(t)).isCloseTo(logits[s * 4 + a] - logZ, within(1e-12));
      assertThat(record.getBehaviourLogProbs().get(t)).isEqualTo(behaviour.policy().logProb(s, a));
    }
    assertThat(record.getUndiscountedReturn())
        .isEqualTo(Arrays.stream(episode.rewards()).sum());
  }

  @Test
  void identityFieldsComeFromAssignmentPolicyAndWorker() {
    TabularTrajectory episode = TabularRollouts.episode(
        new FrozenLake(FrozenLakeMap.parse(Fixtures.TASK_SPEC)), behaviour.policy(), 2024L, 4);

    Trajectory record = TrajectoryRecords.of(assignment, "worker-9", behaviour, episode);

    assertThat(record.getExperimentId()).isEqualTo("exp");
    assertThat(record.getAssignmentId()).isEqualTo("a-1");
    assertThat(record.getTaskId()).isEqualTo("task-3");
    assertThat(record.getRound()).isEqualTo(3);
    assertThat(record.getPhase()).isEqualTo(assignment.getPhase());
    assertThat(record.getEvalStep()).isZero();
    assertThat(record.getEpisodeIndex()).isEqualTo(4);
    assertThat(record.getWorkerId()).isEqualTo("worker-9");
    assertThat(record.getPolicyId()).isEqualTo("phi-7");
    assertThat(record.getPolicyVersion()).isEqualTo(7);
  }
}
