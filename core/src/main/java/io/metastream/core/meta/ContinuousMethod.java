package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.ContinuousLowerLevel;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;

import java.util.List;

/**
 * The per-task steps and the meta-step of one continuous meta-learning method ({@link MetaMethod}), as
 * the in-process loop ({@link ContinuousMetaTrainer}) and the streaming pipeline (adapter and trainer)
 * call them: {@link #estimate} → {@link #adapt} on the PRE batch → {@link #taskResult} with the POST
 * collection → {@link #metaUpdate} on the slot-ordered results. BO-MRL is {@link ContinuousBoMrl};
 * the MAML-family baselines are {@link ContinuousMaml}. Not thread-safe (workspaces): one instance
 * per thread.
 */
public interface ContinuousMethod {

    /** The method of {@code config.method()} for a family of the given dimensions. */
    static ContinuousMethod of(ContinuousExperimentConfig config, int obsDim, int actDim) {
        return config.method() == MetaMethod.BOMRL ? new ContinuousBoMrl(config, obsDim, actDim)
                : new ContinuousMaml(config, obsDim, actDim);
    }

    MetaMethod method();

    /** φ₀ (the same for every method of one seed). */
    double[] initialPhi();

    ContinuousRollouts trainingRollouts();

    ObservationNormalizer normalizer(RunningMoments moments);

    ContinuousBatch estimate(List<ContinuousTrajectory> episodesInOrder, ObservationNormalizer normalizer);

    /** The within-task adaptation from {@code phi} on a PRE batch collected with π_φ. */
    ContinuousLowerLevel.Solution adapt(double[] phi, ContinuousBatch pre);

    ContinuousBoMrl.TaskResult taskResult(double[] phi, double[] theta, List<ContinuousTrajectory> pre,
                                          List<ContinuousTrajectory> post, ObservationNormalizer normalizer);

    /**
     * The meta-step from φ on the slot-ordered results. {@code batches} holds each slot's PRE and POST
     * batches when {@link #needsBatches()} (ProMP) and may be empty otherwise.
     */
    ContinuousBoMrl.MetaUpdate metaUpdate(double[] phi, List<ContinuousBoMrl.TaskResult> results,
                                          List<ProMpObjective.Task> batches);

    /** Whether the meta-step needs the tasks' PRE and POST batches (only ProMP: it cannot run in the pipeline). */
    default boolean needsBatches() {
        return method() == MetaMethod.PROMP;
    }

    /** The outer optimiser's state carried across meta-steps (Adam's for MAML-VPG and ProMP; empty otherwise). */
    double[] optimizerState();

    /** Restores {@link #optimizerState()}; throws if the state is not this method's. */
    void restoreOptimizer(double[] state);
}
