package io.metastream.producers;

import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.MetaExperiment;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import java.util.Optional;

/**
 * What a worker does per experiment kind: decode policies, check an assignment's task spec and
 * its policy, and play one episode into a {@link Trajectory} record. The RL work itself is core's
 * ({@code TabularRollouts}, {@code ContinuousRollouts}); this only converts records to core values
 * and back. Implementations are safe to call from several threads at once.
 */
sealed interface Episodes permits TabularEpisodes, ContinuousEpisodes {

  /** Tabular (Frozen Lake) unless the experiment is continuous; null (no experiment given) is tabular. */
  static Episodes of(MetaExperiment experiment) {
    return experiment instanceof ContinuousExperimentConfig c ? new ContinuousEpisodes(c) : new TabularEpisodes();
  }

  /** The policy of a record; throws IllegalArgumentException naming the policy and the problem. */
  RolloutPolicy decode(PolicyParams params);

  /** Why the task spec cannot be played, or empty. */
  Optional<String> taskProblem(String taskSpec);

  /** Why {@code policy} cannot play the assignment's task, or empty. */
  Optional<String> policyProblem(RolloutAssignment assignment, RolloutPolicy policy);

  /** Episode {@code episode} of the assignment, as the record to publish. */
  Trajectory play(RolloutAssignment assignment, RolloutPolicy policy, int episode, String workerId);

  /**
   * Episodes {@code first .. first + count − 1} of the assignment, in order; each record equals what
   * {@link #play} gives for its episode (continuous experiments play them in lockstep, one batched policy pass
   * per step).
   */
  default java.util.List<Trajectory> playGroup(RolloutAssignment assignment, RolloutPolicy policy, int first, int count,
                                               String workerId) {
    java.util.List<Trajectory> out = new java.util.ArrayList<>(count);
    for (int e = first; e < first + count; e++) {
      out.add(play(assignment, policy, e, workerId));
    }
    return out;
  }
}
