package io.metastream.producers;

import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;

/** Shared test data: a 4x4 Frozen Lake task and a non-uniform tabular softmax meta-prior. */
final class Fixtures {

  static final String TASK_SPEC = "high:SFFF/FHFH/FFFH/HFFG";
  static final int N_STATES = 16;
  static final int N_ACTIONS = 4;

  private Fixtures() {
  }

  /** 64 logits drawn from a seeded generator, so the policy is far from uniform. */
  static double[] logits(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    return DoubleStream.generate(() -> 2 * rng.nextDouble() - 1).limit(N_STATES * N_ACTIONS).toArray();
  }

  static PolicyParams metaPrior(String policyId, long version, double[] logits) {
    return PolicyParams.newBuilder()
        .setPolicyId(policyId).setVersion(version).setKind(PolicyKind.META_PRIOR)
        .setPolicyType(BehaviourPolicy.TABULAR_SOFTMAX).setShape(List.of(N_STATES, N_ACTIONS))
        .setParams(DoubleStream.of(logits).boxed().toList())
        .setParentId(null).setRound(0).setTaskId(null)
        .build();
  }

  static RolloutAssignment assignment(String experimentId, String assignmentId, String taskId, String policyId,
                                      int episodeStart, int episodeCount, long seed) {
    return RolloutAssignment.newBuilder()
        .setExperimentId(experimentId).setAssignmentId(assignmentId).setRound(3).setTaskId(taskId)
        .setTaskSpec(TASK_SPEC).setPhase(Phase.PRE).setEvalStep(0)
        .setPolicyId(policyId).setPolicyVersion(7)
        .setEpisodeStart(episodeStart).setEpisodeCount(episodeCount).setSeed(seed)
        .build();
  }
}
