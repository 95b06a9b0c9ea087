package io.metastream.core.meta;

import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.random.Purpose;
import io.metastream.core.random.Seeds;
import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.core.task.TaskEnvironment;

import java.util.List;

/**
 * The observation moments that start a run (key {@code normalizer-warmup}, EXPERIMENTS.md "paper" preset): N
 * stochastic rollouts of the initial meta-prior φ₀ on raw observations, rollout i on the i-th of N training tasks
 * drawn from (seed, {@link Purpose#NORMALIZER_WARMUP}) with episode seed (seed, NORMALIZER_WARMUP, i), H steps and no
 * continuation. Their states s_0 … s_{H−1} are merged in rollout order, so the in-process loop and the pipeline's
 * trainer, which both start from these moments, agree bit for bit. Empty moments when N = 0.
 */
public final class NormalizerWarmUp {

    private NormalizerWarmUp() {
    }

    public static <T> RunningMoments moments(ContinuousExperimentConfig config, ContinuousTaskFamily<T> family,
                                             double[] phi0) {
        int n = config.normalizerWarmup();
        RunningMoments moments = RunningMoments.empty(family.obsDim());
        if (n == 0) {
            return moments;
        }
        ContinuousBoMrl method = new ContinuousBoMrl(config, family.obsDim(), family.actDim());
        ContinuousRollouts rollouts = new ContinuousRollouts(method.policy(), config.horizon(), 0, config.gamma());
        ObservationNormalizer raw = ObservationNormalizer.identity(family.obsDim());
        List<T> tasks = family.sampleTasks(n, Seeds.rng(config.seed(), Purpose.NORMALIZER_WARMUP.code()));
        for (int i = 0; i < n; i++) {
            TaskEnvironment<T, double[], double[]> env = family.newEnvironment(tasks.get(i), rollouts.environmentHorizon());
            try {
                long seed = Seeds.derive(config.seed(), Purpose.NORMALIZER_WARMUP.code(), i);
                List<ContinuousTrajectory> episode = rollouts.collect(env, phi0, raw, seed, 0, 1,
                        ContinuousRollouts.Mode.STOCHASTIC);
                moments = moments.merge(RunningMoments.ofTrajectories(episode, family.obsDim()));
            } finally {
                ContinuousTaskFamily.close(env);
            }
        }
        return moments;
    }
}
