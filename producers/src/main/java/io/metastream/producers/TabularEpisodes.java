package io.metastream.producers;

import io.metastream.core.estimate.TabularRollouts;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.task.FrozenLake;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import java.util.Optional;

/**
 * Frozen Lake episodes with a tabular softmax policy:
 * {@code TabularRollouts.episode(new FrozenLake(FrozenLakeMap.parse(taskSpec)), policy, seed, e)}.
 */
record TabularEpisodes() implements Episodes {

  @Override
  public RolloutPolicy decode(PolicyParams params) {
    return BehaviourPolicy.from(params);
  }

  @Override
  public Optional<String> taskProblem(String taskSpec) {
    try {
      FrozenLakeMap.parse(taskSpec);
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getMessage());
    }
  }

  @Override
  public Optional<String> policyProblem(RolloutAssignment assignment, RolloutPolicy policy) {
    return policy instanceof BehaviourPolicy ? Optional.empty()
        : Optional.of("policy '" + policy.policyId() + "' is not a tabular softmax policy");
  }

  @Override
  public Trajectory play(RolloutAssignment a, RolloutPolicy policy, int episode, String workerId) {
    BehaviourPolicy behaviour = (BehaviourPolicy) policy;
    TabularTrajectory t = TabularRollouts.episode(new FrozenLake(FrozenLakeMap.parse(a.getTaskSpec())),
        behaviour.policy(), a.getSeed(), episode);
    return TrajectoryRecords.of(a, workerId, behaviour, t);
  }
}
