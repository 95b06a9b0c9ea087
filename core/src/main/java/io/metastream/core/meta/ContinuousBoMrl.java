package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.ContinuousHypergradient;
import io.metastream.core.continuous.ContinuousLowerLevel;
import io.metastream.core.continuous.DiagonalGaussianKl;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.continuous.MetaLossSurrogate;
import io.metastream.core.continuous.PolicyGradient;
import io.metastream.core.continuous.TrpoStep;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.MonteCarloAdvantages;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.random.Purpose;
import io.metastream.core.random.Seeds;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-task steps and the meta-update of continuous BO-MRL (BOMRL.md §Hypergradient,
 * §Meta-update), shared by the in-process loop and the streaming pipeline so that both compute
 * bit-identical numbers. Seeds come from {@link TabularBoMrl#collectionSeed}, {@link TabularBoMrl#postSeed}
 * and {@link TabularBoMrl#evalSeed}.
 *
 * <ol>
 *   <li>{@link #estimate}: the PRE batch (normalised s, a, centred Monte-Carlo Â) of a collection with π_φ;</li>
 *   <li>{@link #adapt}: θ*_τ = Alg(π_φ, λ, τ) on it;</li>
 *   <li>{@link #taskResult}: from the POST collection with π_θ*, g = ∇_θ of the policy-gradient loss at
 *       θ*, x = H⁻¹g by CG, and the task's meta-loss gradient ∇_φ[−x·∇_θ D(θ*, φ)], plus what the
 *       meta-step needs (x, θ*, a capped set of PRE states) and the PRE observation moments;</li>
 *   <li>{@link #metaUpdate}: one TRPO step on M(φ) = mean_τ −x_τ·∇_θ D(θ*_τ, φ) (terms in slot order),
 *       Fisher of KL(π_φold ‖ π_φ) on the tasks' PRE states;</li>
 *   <li>{@link #mergeMoments}: the running observation moments after a round, merged in slot order.</li>
 * </ol>
 *
 * Not thread-safe (workspaces): one instance per thread.
 */
public final class ContinuousBoMrl implements ContinuousMethod {

    /**
     * One task's contribution to the meta-update, plain values that fit a record.
     *
     * @param metaGradient   ∇_φ of the task's meta-loss (descent direction is −metaGradient)
     * @param cgSolution     x ≈ H⁻¹ g of the hypergradient's CG solve
     * @param theta          θ*_τ, the adapted parameters
     * @param cgResidual     ‖(H + cI)x − g‖ at the end of CG
     * @param klAdaptedPrior mean_s KL(π_θ* ‖ π_φ) over the PRE states
     * @param preReturn      mean undiscounted H-step return of the PRE collection (π_φ)
     * @param postReturn     mean undiscounted H-step return of the POST collection (π_θ*)
     * @param preMoments     moments of the raw observations the task adds to the normaliser: its PRE rollouts'
     *                       s_0 … s_{T−1}, episodes in order, and then its POST rollouts' with {@code normalizer-post}
     * @param fisherRows     m, the number of PRE states kept
     * @param fisherStates   m × obsDim normalised PRE states (evenly spaced rows, at most {@code fisherStates})
     */
    public record TaskResult(double[] metaGradient, double[] cgSolution, double[] theta, double cgResidual,
                             double klAdaptedPrior, double preReturn, double postReturn, RunningMoments preMoments,
                             int fisherRows, double[] fisherStates) {
    }

    /** The meta-step's outcome: the new φ, the slot-ordered mean of the task meta-gradients, and TRPO's report. */
    public record MetaUpdate(double[] phi, double[] meanMetaGradient, TrpoStep.Result trpo) {
    }

    private final ContinuousExperimentConfig config;
    private final GaussianMlpPolicy policy;
    private final ContinuousLowerLevel lowerLevel;
    private final ContinuousHypergradient hypergradient;
    private final DiagonalGaussianKl kl;
    private final TrpoStep trpo;

    public ContinuousBoMrl(ContinuousExperimentConfig config, int obsDim, int actDim) {
        this.config = config;
        this.policy = new GaussianMlpPolicy(obsDim, config.hidden(), actDim);
        this.lowerLevel = new ContinuousLowerLevel(policy, config.lowerLevel());
        this.hypergradient = new ContinuousHypergradient(lowerLevel, config.hypergradient());
        this.kl = new DiagonalGaussianKl(policy);
        this.trpo = new TrpoStep(policy, config.trpo());
    }

    /** The initial meta-prior φ₀: Glorot weights from (seed, POLICY_INIT), log σ = initLogStd. */
    public double[] initialPhi() {
        return policy.initialParameters(Seeds.rng(config.seed(), Purpose.POLICY_INIT.code()), config.initLogStd(),
                config.outputScale());
    }

    /** A new policy object of the experiment's architecture. */
    public GaussianMlpPolicy policy() {
        return policy.copy();
    }

    /** Rollouts of H steps plus the C-step continuation (environments need horizon H + C). */
    public ContinuousRollouts trainingRollouts() {
        return new ContinuousRollouts(policy, config.horizon(), config.continuation(), config.gamma());
    }

    /** The normaliser in force for a round, from the moments accumulated over the previous rounds. */
    public ObservationNormalizer normalizer(RunningMoments moments) {
        return config.normalizeObservations() ? ObservationNormalizer.of(moments)
                : ObservationNormalizer.identity(moments.dim());
    }

    /**
     * The batch (normalised s, a, Â) of a collection, episodes in index order; Â standardised when the
     * config says {@code standardize-advantages}.
     */
    public ContinuousBatch estimate(List<ContinuousTrajectory> episodesInOrder, ObservationNormalizer normalizer) {
        ContinuousBatch raw = centredEstimate(episodesInOrder, normalizer);
        return config.standardizeAdvantages() ? MonteCarloAdvantages.standardized(raw) : raw;
    }

    /**
     * The batch with centred Â (Monte-Carlo returns minus the config's {@code advantage-baseline}: the batch
     * mean of BOMRL.md by default), not standardised whatever {@code standardize-advantages} says.
     */
    ContinuousBatch centredEstimate(List<ContinuousTrajectory> episodesInOrder, ObservationNormalizer normalizer) {
        return config.advantageBaseline().batch(episodesInOrder, normalizer, config.gamma());
    }

    /** The lower level Alg(π_anchor, λ, τ) on a batch collected with π_anchor. */
    public ContinuousLowerLevel.Solution adapt(double[] anchor, ContinuousBatch batch) {
        return lowerLevel.solve(anchor, batch);
    }

    /** The task's result from its PRE collection (with π_φ), θ* and its POST collection (with π_θ*). */
    public TaskResult taskResult(double[] phi, double[] theta, List<ContinuousTrajectory> preEpisodes,
                                 List<ContinuousTrajectory> postEpisodes, ObservationNormalizer normalizer) {
        ContinuousBatch pre = estimate(preEpisodes, normalizer);
        ContinuousBatch post = estimate(postEpisodes, normalizer);
        double[] g = new double[phi.length];
        PolicyGradient.lossGradient(policy, theta, post, g);
        ContinuousHypergradient.Result h = hypergradient.compute(phi, theta, pre, g);
        double klAdapted = kl.value(theta, phi, pre.obs(), pre.n());
        int m = Math.min(pre.n(), config.fisherStates());
        return new TaskResult(h.metaGradient(), h.cgSolution(), theta.clone(), h.cgResidual(), klAdapted,
                ContinuousRollouts.meanUndiscountedReturn(preEpisodes), ContinuousRollouts.meanUndiscountedReturn(postEpisodes),
                taskMoments(config, preEpisodes, postEpisodes, pre.obsDim()), m, evenlySpacedRows(pre.obs(), pre.n(),
                        pre.obsDim(), m));
    }

    /**
     * The raw observations a task adds to the normaliser after the meta-step: its PRE rollouts' s_0 … s_{T−1}, episodes
     * in order, followed by its POST rollouts' when the config says {@code normalizer-post}.
     */
    static RunningMoments taskMoments(ContinuousExperimentConfig config, List<ContinuousTrajectory> preEpisodes,
                                      List<ContinuousTrajectory> postEpisodes, int obsDim) {
        RunningMoments pre = RunningMoments.ofTrajectories(preEpisodes, obsDim);
        return config.normalizerPost() ? pre.merge(RunningMoments.ofTrajectories(postEpisodes, obsDim)) : pre;
    }

    @Override
    public MetaMethod method() {
        return MetaMethod.BOMRL;
    }

    /** {@link #metaUpdate(double[], List)}: BO-MRL's meta-step needs no batches. */
    @Override
    public MetaUpdate metaUpdate(double[] phi, List<TaskResult> results, List<ProMpObjective.Task> batches) {
        return metaUpdate(phi, results);
    }

    /** BO-MRL's TRPO meta-step carries no state from one round to the next. */
    @Override
    public double[] optimizerState() {
        return new double[0];
    }

    @Override
    public void restoreOptimizer(double[] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException("BO-MRL's TRPO meta-step has no state, got " + state.length + " values");
        }
    }

    /** One TRPO step from φ on the meta-loss surrogate of the tasks' results (slot order). */
    public MetaUpdate metaUpdate(double[] phi, List<TaskResult> slotOrder) {
        FisherStates states = FisherStates.of(slotOrder, policy.obsDim(), config.fisherTasks());
        TrpoStep.Result step = trpo.step(phi, states.obs(), states.rows(), metaLoss(slotOrder));
        return new MetaUpdate(step.theta(), mean(slotOrder.stream().map(TaskResult::metaGradient).toList()), step);
    }

    /**
     * The states of the meta-step's Fisher products and line-search KL: the kept PRE states of the first
     * {@code fisherTasks} results (every result when 0), stacked in slot order.
     */
    public record FisherStates(double[] obs, int rows) {

        public static FisherStates of(List<TaskResult> slotOrder, int obsDim, int fisherTasks) {
            List<TaskResult> used = fisherTasks == 0 || fisherTasks >= slotOrder.size() ? slotOrder
                    : slotOrder.subList(0, fisherTasks);
            int rows = 0;
            for (TaskResult r : used) {
                rows += r.fisherRows();
            }
            double[] obs = new double[rows * obsDim];
            int row = 0;
            for (TaskResult r : used) {
                System.arraycopy(r.fisherStates(), 0, obs, row * obsDim, r.fisherRows() * obsDim);
                row += r.fisherRows();
            }
            return new FisherStates(obs, rows);
        }
    }

    /** M(φ) = mean_τ −x_τ·∇_θ D(θ*_τ, φ) over each task's kept PRE states, terms in slot order. */
    public MetaLossSurrogate metaLoss(List<TaskResult> slotOrder) {
        int obsDim = policy.obsDim();
        int actDim = policy.actDim();
        List<MetaLossSurrogate.Term> terms = new ArrayList<>(slotOrder.size());
        for (TaskResult r : slotOrder) {
            int m = r.fisherRows();
            terms.add(new MetaLossSurrogate.Term(r.theta(), r.cgSolution(),
                    new ContinuousBatch(m, obsDim, actDim, r.fisherStates(), new double[m * actDim], new double[m])));
        }
        return new MetaLossSurrogate(lowerLevel, terms);
    }

    /** {@code running} followed by each task's PRE moments in slot order. */
    public static RunningMoments mergeMoments(RunningMoments running, List<TaskResult> slotOrder) {
        RunningMoments m = running;
        for (TaskResult r : slotOrder) {
            m = m.merge(r.preMoments());
        }
        return m;
    }

    /** Element-wise mean, summed in list order. */
    public static double[] mean(List<double[]> vectors) {
        return TabularBoMrl.average(vectors);
    }

    /** Rows ⌊i·n/m⌋, i &lt; m, of a row-major n × dim array (all rows when m = n): a deterministic subsample. */
    static double[] evenlySpacedRows(double[] rows, int n, int dim, int m) {
        double[] out = new double[m * dim];
        for (int i = 0; i < m; i++) {
            int src = (int) ((long) i * n / m);
            System.arraycopy(rows, src * dim, out, i * dim, dim);
        }
        return out;
    }

    public ContinuousExperimentConfig config() {
        return config;
    }
}
