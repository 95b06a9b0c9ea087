package io.metastream.producers;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    return identity(assignment, workerId, behaviour, episode.episode())
        .setObsDim(1)
        .setActDim(1)
        .setObservations(asDoubles(s))
        .setActions(asDoubles(a))
        .setRewards(Arrays.stream(episode.rewards()).boxed().toList())
        .setBehaviourLogProbs(logProbs)
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
        .setObservations(boxed(episode.observations()))
        .setActions(boxed(episode.actions()))
        .setRewards(boxed(episode.rewards()))
        .setBehaviourLogProbs(boxed(logProbs))
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

  /** The values as a list without per-element boxing on access ({@link Arrays#asList} over a {@code Double[]}). */
  private static List<Double> boxed(double[] values) {
    Double[] out = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return Arrays.asList(out);
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

  private static List<Double> asDoubles(int[] values) {
    return Arrays.stream(values).asDoubleStream().boxed().toList();
  }
}
