package io.metastream.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One fully populated record of each message type. */
final class Samples {
  private Samples() {}

  static RolloutAssignment assignment() {
    return RolloutAssignment.newBuilder()
        .setExperimentId("frozenlake-high").setAssignmentId("a-7").setRound(3)
        .setTaskId("task-3").setTaskSpec("frozenlake-high:3").setPhase(Phase.EVAL).setEvalStep(2)
        .setPolicyId("prior-v4").setPolicyVersion(4L).setEpisodeStart(10).setEpisodeCount(5)
        .setSeed(-1234567890123L).build();
  }

  static PolicyParams policyParams() {
    return PolicyParams.newBuilder()
        .setPolicyId("adapted-3-task-3").setVersion(4L).setKind(PolicyKind.ADAPTED)
        .setPolicyType("tabular-softmax").setShape(List.of(2, 3))
        .setParams(List.of(0.1, -0.2, 0.3, Double.MIN_VALUE, -0.0, 1e300))
        .setParentId("prior-v4").setRound(3).setTaskId("task-3").build();
  }

  static PolicyParams metaPrior() {
    return PolicyParams.newBuilder()
        .setPolicyId("prior-v4").setVersion(4L).setKind(PolicyKind.META_PRIOR)
        .setPolicyType("tabular-softmax").setShape(List.of(1)).setParams(List.of(0.5))
        .setRound(3).build();
  }

  static Trajectory trajectory() {
    return Trajectory.newBuilder()
        .setExperimentId("frozenlake-high").setAssignmentId("a-7").setTaskId("task-3").setRound(3)
        .setPhase(Phase.PRE).setEvalStep(0).setEpisodeIndex(11).setWorkerId("worker-1")
        .setPolicyId("prior-v4").setPolicyVersion(4L).setObsDim(2).setActDim(1)
        .setObservations(List.of(0.0, 1.0, 0.5, 0.25, 1.0, 0.0))
        .setActions(List.of(2.0, 0.0))
        .setRewards(List.of(0.0, 1.0))
        .setBehaviourLogProbs(List.of(-1.3862943611198906, -0.2876820724517809))
        .setUndiscountedReturn(1.0).build();
  }

  static TaskMetaGradient metaGradient() {
    return TaskMetaGradient.newBuilder()
        .setExperimentId("frozenlake-high").setRound(3).setTaskId("task-3").setPolicyVersion(4L)
        .setAdaptedPolicyId("adapted-3-task-3").setGradient(List.of(0.01, -0.02, Double.NaN))
        .setCgResidual(1e-9).setKlAdaptedPrior(0.03).setPreReturn(0.2).setPostReturn(0.7).build();
  }

  /** A continuous task's result: the hypergradient plus the TRPO meta-step's terms. */
  static TaskMetaGradient continuousMetaGradient() {
    return TaskMetaGradient.newBuilder(metaGradient())
        .setContinuous(ContinuousTaskTerms.newBuilder()
            .setAdaptedParams(List.of(0.5, -0.25, 0.125)).setCgSolution(List.of(1.0, 2.0, -3.0))
            .setStateDim(2).setStates(List.of(0.1, -0.2, 0.3, 0.4))
            .setObservationCount(2.0).setObservationMean(List.of(0.2, 0.1))
            .setObservationM2(List.of(0.02, 0.36)).build())
        .build();
  }

  static MetricsRecord metrics() {
    return MetricsRecord.newBuilder()
        .setExperimentId("frozenlake-high").setRound(3).setKind("round-summary")
        .setValues(Map.of("postReturn", 0.7, "staleness", 0.0))
        .setTags(Map.of("mode", "sync")).build();
  }

  static ControlRecord manifest() {
    return ControlRecord.newBuilder().setExperimentId("frozenlake-high")
        .setPayload(ExperimentManifest.newBuilder()
            .setExperimentId("frozenlake-high").setConfigText("rounds: 10\n").setSeed(42L)
            .setCodeVersion("abc123").setTopics(Map.of("trajectories", "frozenlake-high.trajectories"))
            .setCreatedAtMillis(1_700_000_000_000L).build())
        .build();
  }

  static ControlRecord decision() {
    return ControlRecord.newBuilder().setExperimentId("frozenlake-high")
        .setPayload(TrainerDecision.newBuilder()
            .setExperimentId("frozenlake-high").setRound(3).setPolicyVersion(5L)
            .setConsumed(List.of(
                new ConsumedGradient("task-3", 1, 17L, 4L),
                new ConsumedGradient("task-9", 0, 2L, 3L)))
            .build())
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setOriginalTopic("frozenlake-high.trajectories").setPartition(2).setOffset(99L)
        .setKey(ByteBuffer.wrap("task-3".getBytes(StandardCharsets.UTF_8)))
        .setValue(null).setReason("unknown schema fingerprint 0x0123456789abcdef")
        .setTimestampMillis(1_700_000_000_123L).build();
  }
}
