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
import java.util.Optional;

/**
 * Continuous episodes (point navigation, MuJoCo locomotion) with a Gaussian MLP policy, exactly as
 * the reference loop {@code ContinuousMetaTrainer} plays them: episode e of an assignment is
 * {@code ContinuousRollouts.episode(env, θ, normaliser, seed, e, STOCHASTIC)} with the rollouts of
 * {@link ContinuousBoMrl#trainingRollouts()} (H steps plus the C-step continuation, γ — all from
 * the worker's experiment, never from records) on an environment of the family built with horizon
 * H + C. Every episode gets its own environment (closed afterwards: MuJoCo's hold native memory)
 * and its own rollouts and policy objects, since those are not thread-safe.
 */
final class ContinuousEpisodes implements Episodes {

  private final ContinuousExperimentConfig experiment;
  private final ContinuousTaskFamily<?> family;

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
    ContinuousBoMrl bomrl = behaviour.bomrl();
    ContinuousTrajectory t = episode(family, bomrl.trainingRollouts(), a.getTaskSpec(), behaviour, a.getSeed(), episode);
    return TrajectoryRecords.of(a, workerId, behaviour, t, bomrl.policy());
  }

  private static <T> ContinuousTrajectory episode(ContinuousTaskFamily<T> family, ContinuousRollouts rollouts,
                                                  String taskSpec, GaussianBehaviourPolicy behaviour, long seed,
                                                  int episode) {
    TaskEnvironment<T, double[], double[]> env = family.newEnvironment(family.parse(taskSpec),
        rollouts.environmentHorizon());
    try {
      return rollouts.episode(env, behaviour.theta(), behaviour.normalizer(), seed, episode,
          ContinuousRollouts.Mode.STOCHASTIC);
    } finally {
      ContinuousTaskFamily.close(env);
    }
  }
}
