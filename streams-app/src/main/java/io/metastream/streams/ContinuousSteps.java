package io.metastream.streams;

import io.metastream.core.continuous.ContinuousLowerLevel;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.meta.ContinuousBoMrl;
import io.metastream.core.meta.ContinuousMethod;
import io.metastream.schemas.ContinuousTaskTerms;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.TaskMetaGradient;
import io.metastream.schemas.Trajectory;

import java.util.List;

/**
 * The adapter's two continuous steps, as records in and records out around core's
 * {@link ContinuousMethod} (BO-MRL's {@link ContinuousBoMrl}, or a MAML-family baseline's inner step and
 * meta-gradient) — the same calls, on the same episodes in index order, with the same normaliser, as the
 * reference loop {@code ContinuousMetaTrainer}, so θ* and the task's meta-gradient are bit-identical to
 * it. The normaliser is the one the prior carries (its running moments), via
 * {@link ContinuousMethod#normalizer}. One instance per processor (stream thread): it caches a
 * {@link ContinuousMethod}, which is not thread-safe.
 */
final class ContinuousSteps {

    private final AdapterConfig config;
    private ContinuousMethod method;
    private int obsDim;
    private int actDim;

    ContinuousSteps(AdapterConfig config) {
        this.config = config;
    }

    /**
     * θ* = Alg(π_φ, λ, τ) on the PRE batch (episodes in index order), as the ADAPTED policy record
     * (same shape and normaliser moments as the prior).
     *
     * @throws IllegalArgumentException when the prior or an episode does not fit the experiment
     */
    PolicyParams adapt(PolicyParams prior, List<Trajectory> preSorted, BatchKey batch) {
        ContinuousPolicies.Decoded phi = ContinuousPolicies.decode(prior, config.continuous());
        ContinuousMethod b = method(phi);
        ObservationNormalizer normalizer = b.normalizer(phi.moments());
        ContinuousLowerLevel.Solution adapted = b.adapt(phi.params(), b.estimate(episodes(preSorted, phi), normalizer));
        return ContinuousPolicies.adapted(prior, batch.taskId(), batch.round(), adapted.theta());
    }

    /**
     * The task's result from its PRE and POST batches ({@link ContinuousBoMrl#taskResult}) as a
     * {@link TaskMetaGradient} whose {@code continuous} terms carry what the trainer's TRPO step needs.
     * {@code preReturn}/{@code postReturn} are mean undiscounted H-step returns; {@code timings} is read once the
     * computation is done.
     */
    TaskMetaGradient metaGradient(PolicyParams prior, PolicyParams adapted, List<Trajectory> preSorted,
                                  List<Trajectory> postSorted, BatchKey postBatch,
                                  java.util.function.Supplier<java.util.Map<String, Double>> timings) {
        ContinuousPolicies.Decoded phi = ContinuousPolicies.decode(prior, config.continuous());
        ContinuousPolicies.Decoded theta = ContinuousPolicies.decode(adapted, config.continuous());
        ContinuousMethod b = method(phi);
        ContinuousBoMrl.TaskResult r = b.taskResult(phi.params(), theta.params(), episodes(preSorted, phi),
                episodes(postSorted, phi), b.normalizer(phi.moments()));
        ContinuousTaskTerms terms = ContinuousTaskTerms.newBuilder()
                .setAdaptedParams(DoubleList.copyOf(r.theta()))
                .setCgSolution(DoubleList.copyOf(r.cgSolution()))
                .setStateDim(phi.obsDim())
                .setStates(DoubleList.copyOf(r.fisherStates()))
                .setObservationCount((double) r.preMoments().count())
                .setObservationMean(DoubleList.copyOf(r.preMoments().mean()))
                .setObservationM2(DoubleList.copyOf(r.preMoments().m2()))
                .build();
        return TaskMetaGradient.newBuilder()
                .setExperimentId(config.experimentId())
                .setRound(postBatch.round())
                .setTaskId(postBatch.taskId())
                .setPolicyVersion(adapted.getVersion())
                .setAdaptedPolicyId(adapted.getPolicyId())
                .setGradient(DoubleList.copyOf(r.metaGradient()))
                .setCgResidual(r.cgResidual())
                .setKlAdaptedPrior(r.klAdaptedPrior())
                .setPreReturn(r.preReturn())
                .setPostReturn(r.postReturn())
                .setContinuous(terms)
                .setTimings(timings.get())
                .build();
    }

    private ContinuousMethod method(ContinuousPolicies.Decoded phi) {
        if (method == null || obsDim != phi.obsDim() || actDim != phi.actDim()) {
            method = ContinuousMethod.of(config.continuous(), phi.obsDim(), phi.actDim());
            obsDim = phi.obsDim();
            actDim = phi.actDim();
        }
        return method;
    }

    /** Validated records (sorted by episode index) as core's trajectories, checked against the policy's dimensions. */
    static List<ContinuousTrajectory> episodes(List<Trajectory> sorted, ContinuousPolicies.Decoded policy) {
        return sorted.stream().map(t -> {
            if (t.getObsDim() != policy.obsDim() || t.getActDim() != policy.actDim()) {
                throw new IllegalArgumentException("episode " + t.getEpisodeIndex() + " of " + t.getAssignmentId()
                        + " has obsDim " + t.getObsDim() + ", actDim " + t.getActDim() + ", the policy "
                        + policy.obsDim() + ", " + policy.actDim());
            }
            return new ContinuousTrajectory(t.getEpisodeIndex(), t.getObsDim(), t.getActDim(),
                    DoubleList.toArray(t.getObservations()), DoubleList.toArray(t.getActions()),
                    DoubleList.toArray(t.getRewards()), t.getContinuationReturn());
        }).toList();
    }
}
