package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.continuous.HypergradientConfig;
import io.metastream.core.continuous.LowerLevelConfig;
import io.metastream.core.continuous.TrpoStep;
import io.metastream.core.estimate.AdvantageBaseline;

import java.util.Arrays;

/**
 * Everything that defines a continuous BO-MRL experiment (EXPERIMENTS.md §MuJoCo locomotion, and
 * the small point-navigation setting for CI). Validated at construction; an invalid value names its key.
 *
 * @param family            task family name ({@code pointnav}, {@code halfcheetah-vel}, …)
 * @param algorithm         within-task algorithm (the proximity D)
 * @param hidden            hidden layer widths of the tanh MLP (e.g. 128, 128)
 * @param initLogStd        initial log σ (−0.7)
 * @param outputScale       scale of the output layer's initial weights (0.01, so μ ≈ 0 at start)
 * @param lambda            λ of the lower level (0.5)
 * @param innerSteps        Adam steps of the lower level (50)
 * @param innerLearningRate Adam step size of the lower level (1e-3)
 * @param innerMaxKl        early stop of the lower level on mean KL (3)
 * @param preRollouts       PRE rollouts per task, also per meta-test step (20; 40 for Ant-Dir)
 * @param postRollouts      POST rollouts per task for the hypergradient's policy gradient (100)
 * @param tasksPerIteration tasks per meta-batch (10 velocity, 4 direction)
 * @param gamma             discount of the Monte-Carlo returns (0.995)
 * @param horizon           H, steps per trajectory (200)
 * @param continuation      C, steps of the bootstrap continuation rollout (0 disables it)
 * @param cgIterations      CG iterations of the hypergradient solve (10)
 * @param cgDamping         Tikhonov damping of the hypergradient solve
 * @param metaMaxKl         TRPO trust region of the meta-update (0.01 velocity, 0.03 direction)
 * @param iterations        meta-training iterations (500)
 * @param testSteps         meta-test adaptation steps (0..testSteps are reported; 3)
 * @param evalEpisodes      episodes of each meta-test evaluation (deterministic and stochastic)
 * @param fisherStates      per-task cap on the PRE states kept for the meta-step's Fisher and line search
 * @param normalizeObservations whether the policy sees running-normalised observations
 * @param method            the meta-learner: BO-MRL or a MAML-family baseline ({@link MetaMethod}; key {@code method})
 * @param innerStepSize     α of the MAML-family inner policy-gradient step θ' = φ − α∇L_pre(φ) (0.1)
 * @param metaLearningRate  Adam step size of the outer step of MAML-VPG and ProMP (1e-3)
 * @param prompSteps        ProMP's Adam steps on its outer objective per meta-iteration (5)
 * @param prompClip         ProMP's clip range ε of the outer likelihood ratio (0.3)
 * @param prompKlWeight     ProMP's weight η of mean_s KL(π_φold ‖ π_φ) in the outer objective (5e-4)
 * @param seed              the experiment seed every random draw derives from
 * @param standardizeAdvantages whether BO-MRL divides every batch's (centred) advantages by their standard
 *                          deviation, as the MAML family always does (key {@code standardize-advantages}, default
 *                          false = BOMRL.md's estimator). Dividing Â by the batch's s is the same lower level as
 *                          λ·s on the raw batch: with raw Â (s ≈ 10–50 on HalfCheetah-Vel, by goal and prior) λ = 0.5 is a weak
 *                          penalty, with standardised Â it is the proximity weight MAML-style code assumes
 * @param advantageBaseline what the Monte-Carlo returns are centred by, for every method (key
 *                          {@code advantage-baseline}: {@code batch-mean}, BOMRL.md's estimator and the default, or
 *                          {@code linear-feature}, the garage / ProMP linear feature baseline fitted per batch)
 */
public record ContinuousExperimentConfig(String family, ContinuousAlgorithm algorithm, int[] hidden, double initLogStd,
                                         double outputScale, double lambda, int innerSteps, double innerLearningRate,
                                         double innerMaxKl, int preRollouts, int postRollouts, int tasksPerIteration,
                                         double gamma, int horizon, int continuation, int cgIterations, double cgDamping,
                                         double metaMaxKl, int iterations, int testSteps, int evalEpisodes,
                                         int fisherStates, boolean normalizeObservations, MetaMethod method,
                                         double innerStepSize, double metaLearningRate, int prompSteps,
                                         double prompClip, double prompKlWeight, long seed,
                                         boolean standardizeAdvantages, AdvantageBaseline advantageBaseline,
                                         int normalizerWarmup, boolean normalizerPost, int fisherTasks)
        implements MetaExperiment {

    /**
     * The newest config format: the defaults a config file's absent keys take. Format 1 (every manifest recorded
     * before the key {@code config-format} existed): our choices where the paper is silent (continuation 100,
     * output-layer scale 0.01, CG damping 1e-5, 10 evaluation episodes, no normaliser warm-up, the Fisher on every
     * task's states). Format 2: the authors' final scripts (EXPERIMENTS.md; {@link #paper(String, ContinuousAlgorithm,
     * long, int)}).
     */
    public static final int FORMAT = 2;

    /** The experiment without a normaliser warm-up and with the meta-step's Fisher on every task's states. */
    public ContinuousExperimentConfig(String family, ContinuousAlgorithm algorithm, int[] hidden, double initLogStd,
                                      double outputScale, double lambda, int innerSteps, double innerLearningRate,
                                      double innerMaxKl, int preRollouts, int postRollouts, int tasksPerIteration,
                                      double gamma, int horizon, int continuation, int cgIterations, double cgDamping,
                                      double metaMaxKl, int iterations, int testSteps, int evalEpisodes,
                                      int fisherStates, boolean normalizeObservations, MetaMethod method,
                                      double innerStepSize, double metaLearningRate, int prompSteps,
                                      double prompClip, double prompKlWeight, long seed,
                                      boolean standardizeAdvantages, AdvantageBaseline advantageBaseline) {
        this(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps, innerLearningRate, innerMaxKl,
                preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation, cgIterations, cgDamping,
                metaMaxKl, iterations, testSteps, evalEpisodes, fisherStates, normalizeObservations, method,
                innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight, seed, standardizeAdvantages,
                advantageBaseline, 0, false, 0);
    }

    /** The experiment with BOMRL.md's batch-mean advantage baseline. */
    public ContinuousExperimentConfig(String family, ContinuousAlgorithm algorithm, int[] hidden, double initLogStd,
                                      double outputScale, double lambda, int innerSteps, double innerLearningRate,
                                      double innerMaxKl, int preRollouts, int postRollouts, int tasksPerIteration,
                                      double gamma, int horizon, int continuation, int cgIterations, double cgDamping,
                                      double metaMaxKl, int iterations, int testSteps, int evalEpisodes,
                                      int fisherStates, boolean normalizeObservations, MetaMethod method,
                                      double innerStepSize, double metaLearningRate, int prompSteps,
                                      double prompClip, double prompKlWeight, long seed,
                                      boolean standardizeAdvantages) {
        this(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps, innerLearningRate, innerMaxKl,
                preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation, cgIterations, cgDamping,
                metaMaxKl, iterations, testSteps, evalEpisodes, fisherStates, normalizeObservations, method,
                innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight, seed, standardizeAdvantages,
                AdvantageBaseline.BATCH_MEAN);
    }

    public ContinuousExperimentConfig {
        if (advantageBaseline == null) {
            throw new IllegalArgumentException("advantage-baseline must be set (one of batch-mean, linear-feature)");
        }
        if (family == null || family.isBlank()) {
            throw new IllegalArgumentException("family must be a non-empty name, got '" + family + "'");
        }
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm must be set");
        }
        hidden = hidden.clone();
        for (int h : hidden) {
            positive("hidden", h);
        }
        finite("init-log-std", initLogStd);
        positive("output-scale", outputScale);
        positive("lambda", lambda);
        nonNegative("inner-steps", innerSteps);
        positive("inner-learning-rate", innerLearningRate);
        if (!(innerMaxKl > 0)) {
            throw new IllegalArgumentException("inner-max-kl must be positive (or Infinity), got " + innerMaxKl);
        }
        positive("pre-rollouts", preRollouts);
        positive("post-rollouts", postRollouts);
        positive("tasks-per-iteration", tasksPerIteration);
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        positive("horizon", horizon);
        nonNegative("continuation", continuation);
        positive("cg-iterations", cgIterations);
        if (!(cgDamping >= 0) || !Double.isFinite(cgDamping)) {
            throw new IllegalArgumentException("cg-damping must be >= 0 and finite, got " + cgDamping);
        }
        positive("meta-max-kl", metaMaxKl);
        positive("iterations", iterations);
        nonNegative("test-steps", testSteps);
        positive("eval-episodes", evalEpisodes);
        positive("fisher-states", fisherStates);
        if (method == null) {
            throw new IllegalArgumentException("method must be set (one of bomrl, maml-vpg, maml-trpo, promp, e-maml)");
        }
        positive("inner-step-size", innerStepSize);
        positive("meta-learning-rate", metaLearningRate);
        positive("promp-steps", prompSteps);
        if (!(prompClip > 0 && prompClip < 1)) {
            throw new IllegalArgumentException("promp-clip must be in (0, 1), got " + prompClip);
        }
        if (!(prompKlWeight >= 0) || !Double.isFinite(prompKlWeight)) {
            throw new IllegalArgumentException("promp-kl-weight must be >= 0 and finite, got " + prompKlWeight);
        }
        nonNegative("normalizer-warmup", normalizerWarmup);
        if (normalizerWarmup > 0 && !normalizeObservations) {
            throw new IllegalArgumentException("normalizer-warmup needs normalize-observations: true (got "
                    + normalizerWarmup + " warm-up rollouts for a policy that sees raw observations)");
        }
        if (normalizerPost && !normalizeObservations) {
            throw new IllegalArgumentException("normalizer-post needs normalize-observations: true");
        }
        nonNegative("fisher-tasks", fisherTasks);
        if (standardizeAdvantages && method != MetaMethod.BOMRL) {
            throw new IllegalArgumentException("standardize-advantages applies to method bomrl only ("
                    + method.label() + " always standardises its advantages)");
        }
    }

    /** {@link #paper(String, ContinuousAlgorithm, long, int)} in config format 1. */
    public static ContinuousExperimentConfig paper(String family, ContinuousAlgorithm algorithm, long seed) {
        return paper(family, algorithm, seed, 1);
    }

    /**
     * The paper's setting for a MuJoCo family (EXPERIMENTS.md): MLP 128-128, log σ −0.7, λ 0.5,
     * 50 Adam steps at 1e-3, 20 PRE rollouts (40 Ant-Dir), 100 POST, 10 tasks (velocity) or 4
     * (direction), γ 0.995, horizon 200, CG 10, TRPO max_kl 0.01 / 0.03, 500 iterations, meta-test
     * 0..3 steps, at most 2000 Fisher states per task. Where the paper is silent, config format 2 follows the
     * authors' final scripts: a 200-step continuation, output-layer weights ×0.1, CG without damping, 20 evaluation
     * episodes (40 Ant-Dir), the observation normaliser warmed with 100 rollouts of φ₀ and updated by the PRE and POST
     * rollouts' observations, the meta-step's Fisher on the
     * PRE states of the first 5 task batches (4 direction). Format 1 keeps our earlier choices (continuation 100,
     * ×0.01, damping 1e-5, 10 episodes, no warm-up, PRE observations only, every task's states). Method BO-MRL; the baselines' settings take
     * the MAML/ProMP papers' values (inner step 0.1, outer Adam 1e-3, ProMP 5 steps, clip 0.3, KL weight 5e-4).
     */
    public static ContinuousExperimentConfig paper(String family, ContinuousAlgorithm algorithm, long seed, int format) {
        boolean direction = switch (family) {
            case "halfcheetah-vel", "ant-vel" -> false;
            case "halfcheetah-dir", "ant-dir" -> true;
            default -> throw new IllegalArgumentException("family must be one of halfcheetah-vel, halfcheetah-dir, ant-vel, "
                    + "ant-dir, got '" + family + "'");
        };
        if (format < 1 || format > FORMAT) {
            throw new IllegalArgumentException("config-format must be 1 or " + FORMAT + ", got " + format);
        }
        boolean scripts = format >= 2;
        LowerLevelConfig low = LowerLevelConfig.paper(algorithm);
        HypergradientConfig hyper = HypergradientConfig.paper();
        boolean antDir = family.equals("ant-dir");
        return new ContinuousExperimentConfig(family, algorithm, new int[] {128, 128}, -0.7, scripts ? 0.1 : 0.01,
                low.lambda(), low.steps(), low.learningRate(), low.maxKl(), antDir ? 40 : 20, 100,
                direction ? 4 : 10, 0.995, 200, scripts ? 200 : 100, hyper.cgIterations(),
                scripts ? 0 : hyper.cgDamping(), direction ? 0.03 : 0.01, 500, 3, scripts ? (antDir ? 40 : 20) : 10,
                2000, true, MetaMethod.BOMRL, 0.1, 1e-3, 5, 0.3, 5e-4, seed, false, AdvantageBaseline.BATCH_MEAN,
                scripts ? 100 : 0, scripts, scripts ? (direction ? 4 : 5) : 0);
    }

    /**
     * A CI-sized point-navigation setting (family {@code pointnav}): MLP 16-16, horizon 20 with a
     * 10-step continuation, 8 tasks per iteration, 20 PRE / 100 POST rollouts, 15 iterations, meta-test
     * 0..3 steps over 4 evaluation episodes. Everything else is the paper's velocity setting: λ 0.5,
     * log σ −0.7, 50 inner Adam steps at 1e-3 with the KL stop at 3, γ 0.995, CG 10, meta max_kl 0.01.
     * Horizon 20 (not MAML's 100) because every goal is reachable within 5 steps at the speed limit
     * and the lower-level solve's cost is linear in the PRE rows. Method BO-MRL; baseline settings as
     * in {@link #paper}.
     */
    public static ContinuousExperimentConfig pointNav(ContinuousAlgorithm algorithm, long seed) {
        LowerLevelConfig low = LowerLevelConfig.paper(algorithm);
        HypergradientConfig hyper = HypergradientConfig.paper();
        return new ContinuousExperimentConfig("pointnav", algorithm, new int[] {16, 16}, -0.7, 0.01, low.lambda(),
                low.steps(), low.learningRate(), low.maxKl(), 20, 100, 8, 0.995, 20, 10, hyper.cgIterations(),
                hyper.cgDamping(), 0.01, 15, 3, 4, 2000, true, MetaMethod.BOMRL, 0.1, 1e-3, 5, 0.3, 5e-4, seed, false);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** The lower level's settings. */
    public LowerLevelConfig lowerLevel() {
        return new LowerLevelConfig(algorithm, lambda, innerSteps, innerLearningRate, innerMaxKl);
    }

    /** The hypergradient's CG settings. */
    public HypergradientConfig hypergradient() {
        return new HypergradientConfig(cgIterations, cgDamping);
    }

    /** The meta-update's TRPO settings (spec defaults with {@link #metaMaxKl}). */
    public TrpoStep.Config trpo() {
        return TrpoStep.Config.defaults(metaMaxKl);
    }

    public ContinuousExperimentConfig withSeed(long newSeed) {
        return new ContinuousExperimentConfig(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps,
                innerLearningRate, innerMaxKl, preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation,
                cgIterations, cgDamping, metaMaxKl, iterations, testSteps, evalEpisodes, fisherStates,
                normalizeObservations, method, innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight,
                newSeed, standardizeAdvantages, advantageBaseline, normalizerWarmup, normalizerPost, fisherTasks);
    }

    public ContinuousExperimentConfig withIterations(int n) {
        return new ContinuousExperimentConfig(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps,
                innerLearningRate, innerMaxKl, preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation,
                cgIterations, cgDamping, metaMaxKl, n, testSteps, evalEpisodes, fisherStates, normalizeObservations,
                method, innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight, seed, standardizeAdvantages, advantageBaseline,
                normalizerWarmup, normalizerPost, fisherTasks);
    }

    public ContinuousExperimentConfig withTestSteps(int k) {
        return new ContinuousExperimentConfig(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps,
                innerLearningRate, innerMaxKl, preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation,
                cgIterations, cgDamping, metaMaxKl, iterations, k, evalEpisodes, fisherStates, normalizeObservations,
                method, innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight, seed, standardizeAdvantages, advantageBaseline,
                normalizerWarmup, normalizerPost, fisherTasks);
    }

    public ContinuousExperimentConfig withFisherStates(int cap) {
        return new ContinuousExperimentConfig(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps,
                innerLearningRate, innerMaxKl, preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation,
                cgIterations, cgDamping, metaMaxKl, iterations, testSteps, evalEpisodes, cap, normalizeObservations,
                method, innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight, seed, standardizeAdvantages, advantageBaseline,
                normalizerWarmup, normalizerPost, fisherTasks);
    }

    /**
     * This experiment run by another meta-learner (the baselines keep every other setting;
     * {@code standardize-advantages} carries over to BO-MRL only, since the MAML family always standardises).
     */
    public ContinuousExperimentConfig withMethod(MetaMethod newMethod) {
        return new ContinuousExperimentConfig(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps,
                innerLearningRate, innerMaxKl, preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation,
                cgIterations, cgDamping, metaMaxKl, iterations, testSteps, evalEpisodes, fisherStates,
                normalizeObservations, newMethod, innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight,
                seed, standardizeAdvantages && newMethod == MetaMethod.BOMRL, advantageBaseline, normalizerWarmup,
                normalizerPost, fisherTasks);
    }

    /** The MAML-family step sizes: inner α and the outer Adam learning rate. */
    public ContinuousExperimentConfig withStepSizes(double newInnerStepSize, double newMetaLearningRate) {
        return new ContinuousExperimentConfig(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps,
                innerLearningRate, innerMaxKl, preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation,
                cgIterations, cgDamping, metaMaxKl, iterations, testSteps, evalEpisodes, fisherStates,
                normalizeObservations, method, newInnerStepSize, newMetaLearningRate, prompSteps, prompClip,
                prompKlWeight, seed, standardizeAdvantages, advantageBaseline,
                normalizerWarmup, normalizerPost, fisherTasks);
    }

    /** This experiment with BO-MRL's {@code standardize-advantages} switch set. */
    public ContinuousExperimentConfig withStandardizeAdvantages(boolean on) {
        return new ContinuousExperimentConfig(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps,
                innerLearningRate, innerMaxKl, preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation,
                cgIterations, cgDamping, metaMaxKl, iterations, testSteps, evalEpisodes, fisherStates,
                normalizeObservations, method, innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight,
                seed, on, advantageBaseline, normalizerWarmup, normalizerPost, fisherTasks);
    }

    /** This experiment with the given {@code advantage-baseline}. */
    public ContinuousExperimentConfig withAdvantageBaseline(AdvantageBaseline baseline) {
        return new ContinuousExperimentConfig(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps,
                innerLearningRate, innerMaxKl, preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation,
                cgIterations, cgDamping, metaMaxKl, iterations, testSteps, evalEpisodes, fisherStates,
                normalizeObservations, method, innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight,
                seed, standardizeAdvantages, baseline, normalizerWarmup, normalizerPost, fisherTasks);
    }

    /** This experiment with {@code normalizer-warmup}, {@code normalizer-post} and {@code fisher-tasks} set. */
    public ContinuousExperimentConfig withNormalizerAndFisher(int warmupRollouts, boolean post, int tasks) {
        return new ContinuousExperimentConfig(family, algorithm, hidden, initLogStd, outputScale, lambda, innerSteps,
                innerLearningRate, innerMaxKl, preRollouts, postRollouts, tasksPerIteration, gamma, horizon, continuation,
                cgIterations, cgDamping, metaMaxKl, iterations, testSteps, evalEpisodes, fisherStates,
                normalizeObservations, method, innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight,
                seed, standardizeAdvantages, advantageBaseline, warmupRollouts, post, tasks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContinuousExperimentConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "ContinuousExperimentConfig[family=" + family + ", algorithm=" + algorithm + ", hidden="
                + Arrays.toString(hidden) + ", initLogStd=" + initLogStd + ", outputScale=" + outputScale + ", lambda="
                + lambda + ", innerSteps=" + innerSteps + ", innerLearningRate=" + innerLearningRate + ", innerMaxKl="
                + innerMaxKl + ", preRollouts=" + preRollouts + ", postRollouts=" + postRollouts + ", tasksPerIteration="
                + tasksPerIteration + ", gamma=" + gamma + ", horizon=" + horizon + ", continuation=" + continuation
                + ", cgIterations=" + cgIterations + ", cgDamping=" + cgDamping + ", metaMaxKl=" + metaMaxKl
                + ", iterations=" + iterations + ", testSteps=" + testSteps + ", evalEpisodes=" + evalEpisodes
                + ", fisherStates=" + fisherStates + ", normalizeObservations=" + normalizeObservations + ", method="
                + method.label() + ", innerStepSize=" + innerStepSize + ", metaLearningRate=" + metaLearningRate
                + ", prompSteps=" + prompSteps + ", prompClip=" + prompClip + ", prompKlWeight=" + prompKlWeight
                + ", seed=" + seed + (standardizeAdvantages ? ", standardizeAdvantages=true" : "")
                + (advantageBaseline != AdvantageBaseline.BATCH_MEAN ? ", advantageBaseline=" + advantageBaseline.label() : "")
                + (normalizerWarmup != 0 ? ", normalizerWarmup=" + normalizerWarmup : "")
                + (normalizerPost ? ", normalizerPost=true" : "")
                + (fisherTasks != 0 ? ", fisherTasks=" + fisherTasks : "")
                + "]";
    }

    private static void positive(String key, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
    }

    private static void nonNegative(String key, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(key + " must be >= 0, got " + v);
        }
    }

    private static void finite(String key, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(key + " must be finite, got " + v);
        }
    }
}
