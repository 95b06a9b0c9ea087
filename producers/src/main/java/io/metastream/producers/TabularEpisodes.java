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
    if (!(policy instanceof BehaviourPolicy b)) {
      return Optional.of("policy '" + policy.policyId() + "' is not a tabular softmax policy");
    }
    FrozenLakeMap map = FrozenLakeMap.parse(assignment.getTaskSpec());
    if (b.policy().nStates() != map.nStates() || b.policy().nActions() != FrozenLakeMap.N_ACTIONS) {
      return Optional.of("policy '" + b.policyId() + "' is " + b.policy().nStates() + "x" + b.policy().nActions()
          + " but the task's map has " + map.nStates() + " states and " + FrozenLakeMap.N_ACTIONS + " actions");
    }
    return Optional.empty();
  }

  @Override
  public Trajectory play(RolloutAssignment a, RolloutPolicy policy, int episode, String workerId) {
    BehaviourPolicy behaviour = (BehaviourPolicy) policy;
    TabularTrajectory t = TabularRollouts.episode(new FrozenLake(FrozenLakeMap.parse(a.getTaskSpec())),
        behaviour.policy(), a.getSeed(), episode);
    return TrajectoryRecords.of(a, workerId, behaviour, t);
  }
}
