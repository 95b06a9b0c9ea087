package io.metastream.producers;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;

/**
 * Turns one rolled-out episode (tabular or continuous) into the {@link Trajectory} record of the trajectories
 * topic (ARCHITECTURE.md, "Topics").
 *
 * <p>Tabular layout: {@code obsDim = actDim = 1}; {@code observations} are the states
 * s_0 .. s_T as doubles (length T+1), {@code actions} a_0 .. a_{T-1} as doubles (length T),
 * {@code rewards} r_0 .. r_{T-1}, {@code behaviourLogProbs[t] = log π(a_t | s_t)} under the
 * behaviour policy, and {@code undiscountedReturn = Σ_t r_t}. Identity fields (experiment,
 * assignment, task, round, phase, evalStep) are copied from the assignment.
 *
 * <p>Continuous layout: {@code obsDim}, {@code actDim} of the task; {@code observations} the raw
 * (unnormalised) s_0 .. s_T row-major (T+1) × obsDim, {@code actions} the sampled a_0 .. a_{T-1}
 * row-major T × actDim, {@code behaviourLogProbs[t] = log π_θ(a_t | z_t)} with z_t the observation
 * normalised by the policy's normaliser, {@code continuationReturn} the discounted return of the
 * continuation rollout from s_T, {@code undiscountedReturn = Σ_{t<T} r_t}.
 *
 * <p>The record's lists are {@link DoubleList}s over the episode's own arrays (no copy, no boxing: an episode is
 * not changed once played), which the trajectory serde writes without unboxing.
 */
public final class TrajectoryRecords {

  private TrajectoryRecords() {
  }

  public static Trajectory of(RolloutAssignment assignment, String workerId, BehaviourPolicy behaviour,
                              TabularTrajectory episode) {
    TabularSoftmaxPolicy pi = behaviour.policy();
    int[] s = episode.states();
    int[] a = episode.actions();
    double[] logProbs = new double[a.length];
    for (int t = 0; t < a.length; t++) {
      logProbs[t] = pi.logProb(s[t], a[t]);
    }
    return identity(assignment, workerId, behaviour, episode.episode())
        .setObsDim(1)
        .setActDim(1)
        .setObservations(DoubleList.of(s))
        .setActions(DoubleList.of(a))
        .setRewards(DoubleList.wrap(episode.rewards()))
        .setBehaviourLogProbs(DoubleList.wrap(logProbs))
        .setUndiscountedReturn(episode.undiscountedReturn())
        .build();
  }

  /**
   * A continuous episode played by {@code behaviour}, with the log-probabilities its actor returned
   * ({@code logProbs[t] = log π_θ(a_t|z_t)}, length T).
   */
  public static Trajectory of(RolloutAssignment assignment, String workerId, GaussianBehaviourPolicy behaviour,
                              ContinuousTrajectory episode, double[] logProbs) {
    if (logProbs.length != episode.length()) {
      throw new IllegalArgumentException(logProbs.length + " log-probabilities for an episode of " + episode.length()
          + " steps");
    }
    return identity(assignment, workerId, behaviour, episode.episode())
        .setObsDim(episode.obsDim())
        .setActDim(episode.actDim())
        .setObservations(DoubleList.wrap(episode.observations()))
        .setActions(DoubleList.wrap(episode.actions()))
        .setRewards(DoubleList.wrap(episode.rewards()))
        .setBehaviourLogProbs(DoubleList.wrap(logProbs))
        .setUndiscountedReturn(episode.undiscountedReturn())
        .setContinuationReturn(episode.continuationReturn())
        .build();
  }

  /** A continuous episode played by {@code behaviour}; {@code pi} is a policy object of its architecture (workspace). */
  public static Trajectory of(RolloutAssignment assignment, String workerId, GaussianBehaviourPolicy behaviour,
                              ContinuousTrajectory episode, GaussianMlpPolicy pi) {
    int obsDim = episode.obsDim();
    int actDim = episode.actDim();
    ObservationNormalizer normalizer = behaviour.normalizer();
    double[] z = new double[obsDim];
    double[] a = new double[actDim];
    double[] logProbs = new double[episode.length()];
    for (int t = 0; t < episode.length(); t++) {
      normalizer.normalize(episode.observations(), t * obsDim, z, 0);
      System.arraycopy(episode.actions(), t * actDim, a, 0, actDim);
      logProbs[t] = pi.logProb(behaviour.theta(), z, a);
    }
    return of(assignment, workerId, behaviour, episode, logProbs);
  }

  private static Trajectory.Builder identity(RolloutAssignment assignment, String workerId, RolloutPolicy behaviour,
                                             int episode) {
    return Trajectory.newBuilder()
        .setExperimentId(assignment.getExperimentId())
        .setAssignmentId(assignment.getAssignmentId())
        .setTaskId(assignment.getTaskId())
        .setRound(assignment.getRound())
        .setPhase(assignment.getPhase())
        .setEvalStep(assignment.getEvalStep())
        .setEpisodeIndex(episode)
        .setWorkerId(workerId)
        .setPolicyId(behaviour.policyId())
        .setPolicyVersion(behaviour.version());
  }

}
