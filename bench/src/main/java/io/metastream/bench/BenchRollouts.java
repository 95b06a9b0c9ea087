package io.metastream.bench;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.mujoco.MujocoNative;
import io.metastream.mujoco.task.LocomotionEnv;
import io.metastream.mujoco.task.VelocityFamily;
import io.metastream.mujoco.task.VelocityTask;
import java.util.List;

/**
 * Fixtures shared by the benchmarks of this module: velocity-task environments, the policy of
 * EXPERIMENTS.md §MuJoCo, seeded rollouts through {@link ContinuousRollouts} and a fixed
 * observation normaliser.
 *
 * <p>Rollouts have no continuation (C = 0), so Monte-Carlo advantages built from them have no
 * bootstrapped tail: that changes the numbers in a batch, not the cost of adapting on it.
 */
final class BenchRollouts {

    /** The MLP of EXPERIMENTS.md §MuJoCo: two tanh hidden layers of 128. */
    static final int[] HIDDEN = {128, 128};
    /** Initial log σ of the policy (EXPERIMENTS.md). */
    static final double INIT_LOG_STD = -0.7;
    /** Output-layer weight scale at initialisation, so that μ ≈ 0. */
    static final double OUTPUT_SCALE = 0.01;
    /** Discount (EXPERIMENTS.md). */
    static final double GAMMA = 0.995;

    private BenchRollouts() {
    }

    /**
     * A horizon-200 env of {@code family} ({@code halfcheetah-vel} or {@code ant-vel}) for goal
     * velocity {@code goal}; fails with installation advice when MuJoCo is not available.
     */
    static LocomotionEnv<VelocityTask> velocityEnv(String family, double goal) {
        MujocoNative.requireAvailable();
        VelocityFamily f = switch (family) {
            case "halfcheetah-vel" -> VelocityFamily.halfCheetahVel();
            case "ant-vel" -> VelocityFamily.antVel();
            default -> throw new IllegalArgumentException("unknown velocity family '" + family
                    + "' (expected halfcheetah-vel or ant-vel)");
        };
        return f.newEnvironment(new VelocityTask(goal));
    }

    /** The 128-128 Gaussian MLP policy for {@code env}. */
    static GaussianMlpPolicy policy(LocomotionEnv<VelocityTask> env) {
        return new GaussianMlpPolicy(env.observationSize(), HIDDEN, env.actionSize());
    }

    /** {@code episodes} stochastic episodes of π_θ (horizon 200, no continuation), seeds as in {@link ContinuousRollouts}. */
    static List<ContinuousTrajectory> rollouts(LocomotionEnv<VelocityTask> env, GaussianMlpPolicy policy, double[] theta,
                                               ObservationNormalizer normalizer, long seed, int episodes) {
        ContinuousRollouts rollouts = new ContinuousRollouts(policy, env.horizon(), 0, GAMMA);
        return rollouts.collect(env, theta, normalizer, seed, 0, episodes, ContinuousRollouts.Mode.STOCHASTIC);
    }

    /**
     * A fixed normaliser: the observation moments of {@code episodes} episodes of π_θ acting on raw
     * (identity-normalised) observations.
     */
    static ObservationNormalizer fitNormalizer(LocomotionEnv<VelocityTask> env, GaussianMlpPolicy policy, double[] theta,
                                               long seed, int episodes) {
        int obsDim = env.observationSize();
        List<ContinuousTrajectory> warm = rollouts(env, policy, theta, ObservationNormalizer.identity(obsDim), seed, episodes);
        return ObservationNormalizer.of(RunningMoments.ofTrajectories(warm, obsDim));
    }
}
