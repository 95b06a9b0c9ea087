package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.ContinuousLowerLevel;
import io.metastream.core.continuous.DiagonalGaussianKl;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.continuous.LinearOperator;
import io.metastream.core.continuous.PolicyGradient;
import io.metastream.core.continuous.ScalarObjective;
import io.metastream.core.continuous.ScoreFunctionCalculus;
import io.metastream.core.continuous.TrpoStep;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.MonteCarloAdvantages;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;

import java.util.List;

/**
 * The MAML-family baselines of BOMRL.md §Baselines for the Gaussian MLP policy, shaped like
 * {@link ContinuousBoMrl} (same φ₀, rollouts, normaliser and estimator; per-task {@link #adapt} and
 * {@link #taskResult}; a meta-update from the slot-ordered results). Losses are minimised; data frozen
 * (the PRE batch from π_φ, the POST batch from π_θ'), as the authors do for BO-MRL.
 *
 * <pre>
 *   inner step (every method)   θ' = φ − α ∇L_pre(φ),   L_pre(θ) = −mean_i Â_i ρ(π_θ(a_i|s_i)/π_φ(a_i|s_i)),  ρ(r) = 2σ(2(r−1))
 *                               (∇L_pre(φ) = −mean_i Â_i ∇log π_φ(a_i|s_i), {@link PolicyGradient#lossGradient} on PRE)
 *   POST gradient               g = ∇L_post(θ'),   L_post(θ) = −mean_j Â_j log π_θ(a_j|s_j) on POST
 *   MAML-TRPO, ProMP            m_τ = (I − α H_LVC) g,   H_LVC = ∇²L_pre(φ) = −mean_i Â_i (∇²log π_i + ∇log π_i ∇log π_iᵀ)
 *   MAML-VPG                    m_τ = (I − α H_LL) g,    H_LL = −mean_i Â_i ∇²log π_i  (the log-likelihood surrogate's: biased)
 *   E-MAML                      m_τ = MAML-TRPO's − (R̄_post − R̄_pre) (1/N_pre) Σ_episodes Σ_t ∇log π_φ(a_t|s_t)
 * </pre>
 *
 * Every Â here comes from {@link #estimate}, which standardises the batch's advantages (divides them
 * by their standard deviation), as MAML's, ProMP's and E-MAML's reference code does; α = 0.1 assumes it.
 *
 * <p>E-MAML's exploration term is the score function of the PRE episodes times the POST return; we
 * subtract R̄_pre (mean undiscounted PRE return) as its baseline, so the term rewards a prior whose
 * own data made adaptation improve on it. Hessian products are exact ({@link ScoreFunctionCalculus}).
 *
 * <p>{@link ContinuousBoMrl.TaskResult} carries a task's result: {@code metaGradient} = m_τ (descent
 * direction −m_τ), {@code theta} = θ', <b>{@code cgSolution} = g</b> (the POST gradient the inner
 * step's Jacobian multiplies; no CG is solved), {@code cgResidual} = 0, the rest as for BO-MRL.
 *
 * <p>Outer steps ({@link #metaUpdate}, from the results alone, ḡ = mean_τ m_τ summed in slot order):
 * MAML-TRPO and E-MAML take one {@link TrpoStep} (max_kl = {@code meta-max-kl}, Fisher of
 * KL(π_φold ‖ π_φ) on the kept PRE states) on the linear surrogate M(φ) = ḡ·(φ − φ_old); its actual
 * improvement equals the prediction, so the line search only enforces the KL. MAML-VPG takes one Adam
 * step (lr {@code meta-learning-rate}) along −ḡ, its moments in {@link #optimizer()} (state/restore
 * for a resumed pipeline). ProMP ({@link #proMpUpdate}) takes {@code promp-steps} Adam steps on
 * {@link ProMpObjective}, which needs the POST batches: in-process only. The Adam of MAML-VPG and ProMP
 * keeps its moments across meta-iterations (as ProMP's reference code does). For Adam steps the
 * returned {@link ContinuousBoMrl.MetaUpdate#trpo()} reports accepted = true, 0 halvings, KL(π_φold ‖ π_φnew)
 * on the kept states, improvement = expected = the linear prediction −ḡ·Δφ (ProMP: O(φold) − O(φnew))
 * and CG residual 0.
 *
 * <p>Not thread-safe (workspaces): one instance per thread.
 */
public final class ContinuousMaml implements ContinuousMethod {

    private final ContinuousExperimentConfig config;
    private final MetaMethod method;
    private final ContinuousBoMrl common;
    private final GaussianMlpPolicy policy;
    private final ScoreFunctionCalculus calculus;
    private final DiagonalGaussianKl kl;
    private final TrpoStep trpo;
    private final Adam adam;

    public ContinuousMaml(ContinuousExperimentConfig config, int obsDim, int actDim) {
        if (!config.method().isMaml()) {
            throw new IllegalArgumentException("ContinuousMaml runs the MAML-family baselines, not method "
                    + config.method().label());
        }
        this.config = config;
        this.method = config.method();
        this.common = new ContinuousBoMrl(config, obsDim, actDim);
        this.policy = common.policy();
        this.calculus = new ScoreFunctionCalculus(policy);
        this.kl = new DiagonalGaussianKl(policy);
        this.trpo = new TrpoStep(policy, config.trpo());
        this.adam = new Adam(config.metaLearningRate(), 0.9, 0.999, 1e-8);
    }

    public MetaMethod method() {
        return method;
    }

    /** φ₀, the same as BO-MRL's for the same seed. */
    public double[] initialPhi() {
        return common.initialPhi();
    }

    public ContinuousRollouts trainingRollouts() {
        return common.trainingRollouts();
    }

    public ObservationNormalizer normalizer(RunningMoments moments) {
        return common.normalizer(moments);
    }

    public ContinuousBatch estimate(List<ContinuousTrajectory> episodesInOrder, ObservationNormalizer normalizer) {
        return MonteCarloAdvantages.standardized(common.centredEstimate(episodesInOrder, normalizer));
    }


    /**
     * The inner step θ' = φ − α ∇L_pre(φ) on a batch collected with π_φ, as a lower-level solution:
     * 1 step, mean KL(π_φ ‖ π_θ') on the batch states, loss L_pre(θ').
     */
    public ContinuousLowerLevel.Solution adapt(double[] anchor, ContinuousBatch batch) {
        double[] grad = new double[anchor.length];
        PolicyGradient.lossGradient(policy, anchor, batch, grad);
        double[] theta = new double[anchor.length];
        for (int k = 0; k < theta.length; k++) {
            theta[k] = anchor[k] - config.innerStepSize() * grad[k];
        }
        return new ContinuousLowerLevel.Solution(theta, 1, false, kl.value(anchor, theta, batch.obs(), batch.n()),
                boundedSurrogate(theta, anchor, batch));
    }

    /** The task's result from its PRE collection (with π_φ), θ' and its POST collection (with π_θ'). */
    public ContinuousBoMrl.TaskResult taskResult(double[] phi, double[] theta, List<ContinuousTrajectory> preEpisodes,
                                                 List<ContinuousTrajectory> postEpisodes, ObservationNormalizer normalizer) {
        ContinuousBatch pre = estimate(preEpisodes, normalizer);
        ContinuousBatch post = estimate(postEpisodes, normalizer);
        double preReturn = ContinuousRollouts.meanUndiscountedReturn(preEpisodes);
        double postReturn = ContinuousRollouts.meanUndiscountedReturn(postEpisodes);
        double[] g = new double[phi.length];
        PolicyGradient.lossGradient(policy, theta, post, g);
        double[] metaGradient = metaGradient(phi, pre, g, preEpisodes.size(), postReturn - preReturn);
        int m = Math.min(pre.n(), config.fisherStates());
        return new ContinuousBoMrl.TaskResult(metaGradient, g, theta.clone(), 0, kl.value(theta, phi, pre.obs(), pre.n()),
                preReturn, postReturn, ContinuousBoMrl.taskMoments(config, preEpisodes, postEpisodes, pre.obsDim()), m,
                ContinuousBoMrl.evenlySpacedRows(pre.obs(), pre.n(), pre.obsDim(), m));
    }

    /**
     * m_τ of this method (class comment) from the PRE batch, g = ∇L_post(θ'), the number of PRE
     * episodes and R̄_post − R̄_pre (both used by E-MAML only).
     */
    public double[] metaGradient(double[] phi, ContinuousBatch pre, double[] g, int preEpisodes, double returnGain) {
        LinearOperator hessian = method == MetaMethod.MAML_VPG ? calculus.logLikelihoodHessian(phi, pre)
                : calculus.likelihoodRatioHessian(phi, pre, null);
        double[] hg = new double[phi.length];
        hessian.apply(g, hg);
        double alpha = config.innerStepSize();
        double[] out = new double[phi.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = g[k] - alpha * hg[k];
        }
        if (method == MetaMethod.E_MAML) {
            double[] score = new double[phi.length];
            double[] w = new double[pre.n()];
            java.util.Arrays.fill(w, -returnGain / preEpisodes);
            policy.surrogateGradient(phi, pre.obs(), pre.actions(), w, pre.n(), score);
            for (int k = 0; k < out.length; k++) {
                out[k] += score[k];
            }
        }
        return out;
    }

    /** ProMP's {@link #proMpUpdate} on the slot's batches, else {@link #metaUpdate(double[], List)}. */
    @Override
    public ContinuousBoMrl.MetaUpdate metaUpdate(double[] phi, List<ContinuousBoMrl.TaskResult> results,
                                                 List<ProMpObjective.Task> batches) {
        return method == MetaMethod.PROMP ? proMpUpdate(phi, results, batches) : metaUpdate(phi, results);
    }

    /** Adam's state for MAML-VPG and ProMP (their outer optimiser); empty for the TRPO methods. */
    @Override
    public double[] optimizerState() {
        return usesAdam() ? adam.state() : new double[0];
    }

    @Override
    public void restoreOptimizer(double[] state) {
        if (usesAdam()) {
            adam.restore(state);
        } else if (state.length != 0) {
            throw new IllegalArgumentException(method.label() + "'s TRPO meta-step has no state, got " + state.length
                    + " values");
        }
    }

    private boolean usesAdam() {
        return method == MetaMethod.MAML_VPG || method == MetaMethod.PROMP;
    }

    /** The outer step of MAML-VPG, MAML-TRPO or E-MAML from φ on the tasks' results (slot order). */
    public ContinuousBoMrl.MetaUpdate metaUpdate(double[] phi, List<ContinuousBoMrl.TaskResult> slotOrder) {
        if (method == MetaMethod.PROMP) {
            throw new IllegalStateException("ProMP's outer step needs the POST batches: use proMpUpdate (in-process only)");
        }
        double[] mean = ContinuousBoMrl.mean(slotOrder.stream().map(ContinuousBoMrl.TaskResult::metaGradient).toList());
        ContinuousBoMrl.FisherStates states = states(slotOrder);
        if (method == MetaMethod.MAML_VPG) {
            double[] next = adam.step(phi, negated(mean));
            return new ContinuousBoMrl.MetaUpdate(next, mean, adamReport(phi, next, states, -dotDelta(mean, next, phi)));
        }
        TrpoStep.Result step = trpo.step(phi, states.obs(), states.rows(), linear(mean, phi));
        return new ContinuousBoMrl.MetaUpdate(step.theta(), mean, step);
    }

    /**
     * ProMP's outer step: {@code promp-steps} Adam steps from φold on {@link ProMpObjective} built from each
     * task's PRE and POST batches (slot order, the same tasks as {@code slotOrder}). In-process only.
     */
    public ContinuousBoMrl.MetaUpdate proMpUpdate(double[] phiOld, List<ContinuousBoMrl.TaskResult> slotOrder,
                                                  List<ProMpObjective.Task> tasks) {
        if (method != MetaMethod.PROMP) {
            throw new IllegalStateException("proMpUpdate is ProMP's outer step, not " + method.label() + "'s");
        }
        if (tasks.size() != slotOrder.size()) {
            throw new IllegalArgumentException("expected the batches of " + slotOrder.size() + " tasks, got " + tasks.size());
        }
        ProMpObjective objective = proMpObjective(phiOld, tasks);
        double[] phi = phiOld.clone();
        double[] grad = new double[phi.length];
        double[] first = null;
        for (int s = 0; s < config.prompSteps(); s++) {
            objective.gradient(phi, grad);
            if (first == null) {
                first = grad.clone();
            }
            phi = adam.step(phi, negated(grad));
        }
        double improvement = objective.value(phiOld) - objective.value(phi);
        TrpoStep.Result report = adamReport(phiOld, phi, states(slotOrder), improvement);
        return new ContinuousBoMrl.MetaUpdate(phi, first, report);
    }

    /** ProMP's outer objective on a meta-batch's frozen data (the policy, α, ε and η of this experiment). */
    public ProMpObjective proMpObjective(double[] phiOld, List<ProMpObjective.Task> tasks) {
        return new ProMpObjective(policy, phiOld, tasks, config.innerStepSize(), config.prompClip(),
                config.prompKlWeight());
    }

    /** The outer Adam of MAML-VPG and ProMP; {@link MetaOptimizer#state()}/{@link MetaOptimizer#restore} resume it. */
    public MetaOptimizer optimizer() {
        return adam;
    }

    /** −mean_i Â_i ρ(π_θ/π_anchor) on the batch, the bounded surrogate L_pre(θ). */
    double boundedSurrogate(double[] theta, double[] anchor, ContinuousBatch batch) {
        int n = batch.n();
        double[] lpTheta = new double[n];
        double[] lpAnchor = new double[n];
        calculus.logProbs(theta, batch, lpTheta);
        calculus.logProbs(anchor, batch, lpAnchor);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double r = Math.exp(lpTheta[i] - lpAnchor[i]);
            s += batch.advantages()[i] * 2 / (1 + Math.exp(-2 * (r - 1)));
        }
        return -s / n;
    }

    private TrpoStep.Result adamReport(double[] phiOld, double[] phiNew, ContinuousBoMrl.FisherStates states, double improvement) {
        double klNew = kl.value(phiOld, phiNew, states.obs(), states.rows());
        return new TrpoStep.Result(phiNew.clone(), true, klNew, improvement, improvement, 0, 0);
    }

    private static double dotDelta(double[] g, double[] next, double[] phi) {
        double s = 0;
        for (int k = 0; k < g.length; k++) {
            s += g[k] * (next[k] - phi[k]);
        }
        return s;
    }

    private static double[] negated(double[] v) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = -v[k];
        }
        return out;
    }

    /** M(φ) = ḡ·(φ − φ_old), ∇M = ḡ. */
    private static ScalarObjective linear(double[] meanGradient, double[] phiOld) {
        double[] g = meanGradient.clone();
        double[] origin = phiOld.clone();
        return new ScalarObjective() {
            @Override
            public double value(double[] phi) {
                return dotDelta(g, phi, origin);
            }

            @Override
            public void gradient(double[] phi, double[] out) {
                System.arraycopy(g, 0, out, 0, g.length);
            }
        };
    }

    /** The meta-step's Fisher states ({@link ContinuousBoMrl.FisherStates}). */
    private ContinuousBoMrl.FisherStates states(List<ContinuousBoMrl.TaskResult> slotOrder) {
        return ContinuousBoMrl.FisherStates.of(slotOrder, policy.obsDim(), config.fisherTasks());
    }

    public ContinuousExperimentConfig config() {
        return config;
    }
}
