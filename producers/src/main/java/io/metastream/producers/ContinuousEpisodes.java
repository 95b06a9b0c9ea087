package io.metastream.producers;

import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.meta.ContinuousBoMrl;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.core.task.TaskEnvironment;
import io.metastream.mujoco.task.ContinuousFamilies;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Continuous episodes (point navigation, MuJoCo locomotion) with a Gaussian MLP policy, exactly as
 * the reference loop {@code ContinuousMetaTrainer} plays them: episode e of an assignment is
 * {@code ContinuousRollouts.episode(env, θ, normaliser, seed, e, STOCHASTIC)} with the rollouts of
 * {@link ContinuousBoMrl#trainingRollouts()} (H steps plus the C-step continuation, γ — all from
 * the worker's experiment, never from records) on an environment of the family built with horizon
 * H + C. Every episode gets its own environment (closed afterwards: MuJoCo's hold native memory);
 * each thread its own rollouts and policy objects, since those are not thread-safe. The behaviour
 * log-probabilities come from the forward pass that chose each action (bit-identical to recomputing them).
 */
final class ContinuousEpisodes implements Episodes {

  private final ContinuousExperimentConfig experiment;
  private final ContinuousTaskFamily<?> family;
  private final ThreadLocal<ContinuousRollouts> rollouts = new ThreadLocal<>();

  /** Resolves the family at once, so a MuJoCo family without MuJoCo fails at worker start with install advice. */
  ContinuousEpisodes(ContinuousExperimentConfig experiment) {
    this.experiment = experiment;
    this.family = ContinuousFamilies.byName(experiment.family());
  }

  @Override
  public RolloutPolicy decode(PolicyParams params) {
    return GaussianBehaviourPolicy.from(params, experiment);
  }

  @Override
  public Optional<String> taskProblem(String taskSpec) {
    try {
      family.parse(taskSpec);
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("task spec of family " + family.name() + ": " + e.getMessage());
    }
  }

  @Override
  public Optional<String> policyProblem(RolloutAssignment assignment, RolloutPolicy policy) {
    if (!(policy instanceof GaussianBehaviourPolicy g)) {
      return Optional.of("policy '" + policy.policyId() + "' is not a " + GaussianBehaviourPolicy.GAUSSIAN_MLP
          + " policy");
    }
    if (g.obsDim() != family.obsDim() || g.actDim() != family.actDim()) {
      return Optional.of("policy '" + g.policyId() + "' maps obsDim " + g.obsDim() + " to actDim " + g.actDim()
          + " but family " + family.name() + " has obsDim " + family.obsDim() + ", actDim " + family.actDim());
    }
    return Optional.empty();
  }

  @Override
  public Trajectory play(RolloutAssignment a, RolloutPolicy policy, int episode, String workerId) {
    GaussianBehaviourPolicy behaviour = (GaussianBehaviourPolicy) policy;
    ContinuousRollouts.Played t = episode(family, rollouts(behaviour), a.getTaskSpec(), behaviour, a.getSeed(), episode);
    return TrajectoryRecords.of(a, workerId, behaviour, t.trajectory(), t.behaviourLogProbs());
  }

  @Override
  public List<Trajectory> playGroup(RolloutAssignment a, RolloutPolicy policy, int first, int count, String workerId) {
    GaussianBehaviourPolicy behaviour = (GaussianBehaviourPolicy) policy;
    List<ContinuousRollouts.Played> played = lockstep(family, rollouts(behaviour), a.getTaskSpec(), behaviour,
        a.getSeed(), first, count);
    List<Trajectory> out = new ArrayList<>(count);
    for (ContinuousRollouts.Played p : played) {
      out.add(TrajectoryRecords.of(a, workerId, behaviour, p.trajectory(), p.behaviourLogProbs()));
    }
    return out;
  }

  private static <T> List<ContinuousRollouts.Played> lockstep(ContinuousTaskFamily<T> family, ContinuousRollouts rollouts,
                                                              String taskSpec, GaussianBehaviourPolicy behaviour, long seed,
                                                              int first, int count) {
    T task = family.parse(taskSpec);
    List<TaskEnvironment<T, double[], double[]>> envs = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        envs.add(family.newEnvironment(task, rollouts.environmentHorizon()));
      }
      return rollouts.lockstep(envs, behaviour.theta(), behaviour.normalizer(), seed, first,
          ContinuousRollouts.Mode.STOCHASTIC);
    } finally {
      for (TaskEnvironment<T, double[], double[]> env : envs) {
        ContinuousTaskFamily.close(env);
      }
    }
  }

  /**
   * This thread's rollouts of the experiment's architecture (made once per thread: they hold workspaces and
   * are not thread-safe; every policy that passed {@link #policyProblem} has the family's dimensions).
   */
  private ContinuousRollouts rollouts(GaussianBehaviourPolicy behaviour) {
    ContinuousRollouts r = rollouts.get();
    if (r == null) {
      r = behaviour.bomrl().trainingRollouts();
      rollouts.set(r);
    }
    return r;
  }

  private static <T> ContinuousRollouts.Played episode(ContinuousTaskFamily<T> family, ContinuousRollouts rollouts,
                                                  String taskSpec, GaussianBehaviourPolicy behaviour, long seed,
                                                  int episode) {
    TaskEnvironment<T, double[], double[]> env = family.newEnvironment(family.parse(taskSpec),
        rollouts.environmentHorizon());
    try {
      return rollouts.episodeWithLogProbs(env, behaviour.theta(), behaviour.normalizer(), seed, episode,
          ContinuousRollouts.Mode.STOCHASTIC);
    } finally {
      ContinuousTaskFamily.close(env);
    }
  }
}
