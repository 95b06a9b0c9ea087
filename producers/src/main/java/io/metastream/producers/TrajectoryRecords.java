package io.metastream.producers;

import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one rolled-out tabular episode into the {@link Trajectory} record of the trajectories
 * topic (ARCHITECTURE.md, "Topics").
 *
 * <p>Tabular layout: {@code obsDim = actDim = 1}; {@code observations} are the states
 * s_0 .. s_T as doubles (length T+1), {@code actions} a_0 .. a_{T-1} as doubles (length T),
 * {@code rewards} r_0 .. r_{T-1}, {@code behaviourLogProbs[t] = log π(a_t | s_t)} under the
 * behaviour policy, and {@code undiscountedReturn = Σ_t r_t}. Identity fields (experiment,
 * assignment, task, round, phase, evalStep) are copied from the assignment.
 */
public final class TrajectoryRecords {

  private TrajectoryRecords() {
  }

  public static Trajectory of(RolloutAssignment assignment, String workerId, BehaviourPolicy behaviour,
                              TabularTrajectory episode) {
    TabularSoftmaxPolicy pi = behaviour.policy();
    int[] s = episode.states();
    int[] a = episode.actions();
    List<Double> logProbs = new ArrayList<>(a.length);
    for (int t = 0; t < a.length; t++) {
      logProbs.add(pi.logProb(s[t], a[t]));
    }
    return Trajectory.newBuilder()
        .setExperimentId(assignment.getExperimentId())
        .setAssignmentId(assignment.getAssignmentId())
        .setTaskId(assignment.getTaskId())
        .setRound(assignment.getRound())
        .setPhase(assignment.getPhase())
        .setEvalStep(assignment.getEvalStep())
        .setEpisodeIndex(episode.episode())
        .setWorkerId(workerId)
        .setPolicyId(behaviour.policyId())
        .setPolicyVersion(behaviour.version())
        .setObsDim(1)
        .setActDim(1)
        .setObservations(asDoubles(s))
        .setActions(asDoubles(a))
        .setRewards(Arrays.stream(episode.rewards()).boxed().toList())
        .setBehaviourLogProbs(logProbs)
        .setUndiscountedReturn(episode.undiscountedReturn())
        .build();
  }

  private static List<Double> asDoubles(int[] values) {
    return Arrays.stream(values).asDoubleStream().boxed().toList();
  }
}
