package io.metastream.core.meta;

import io.metastream.core.adapt.TabularAdaptation;
import io.metastream.core.adapt.TabularLowerLevel;
import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.hypergrad.Hypergradient;
import io.metastream.core.hypergrad.IdentityHypergradient;
import io.metastream.core.hypergrad.TabularImplicitHypergradient;
import io.metastream.core.hypergrad.TabularSolvedLevel;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.random.Purpose;
import io.metastream.core.random.Seeds;

import java.util.List;

/**
 * The per-task steps of tabular BO-MRL, shared by the in-process reference loop and the streaming
 * pipeline so that both compute bit-identical numbers:
 *
 * <ol>
 *   <li>{@link #estimate}: Q̂, ν̂ from one collection (episodes in index order);</li>
 *   <li>{@link #adapt}: θ_τ = Alg(π_φ, λ, τ) on the PRE estimates;</li>
 *   <li>{@link #taskMetaGradient}: the task's hypergradient from the PRE problem and the POST
 *       collection's policy-gradient estimate ν̂ π_θ Â / (1 − γ) at θ_τ;</li>
 *   <li>{@link #average}: the meta-batch mean, in slot order.</li>
 * </ol>
 */
public final class TabularBoMrl {

    private final TabularExperimentConfig config;
    private final int nS;
    private final int nA;
    private final double gamma;
    private final Hypergradient<TabularSolvedLevel> hypergradient;

    public TabularBoMrl(TabularExperimentConfig config, int nS, int nA, double gamma) {
        this.config = config;
        this.nS = nS;
        this.nA = nA;
        this.gamma = gamma;
        this.hypergradient = switch (config.hypergradient()) {
            case IDENTITY -> new IdentityHypergradient<>();
            case IMPLICIT -> new TabularImplicitHypergradient();
        };
    }

    /** The seed of one collection: (experiment seed, purpose, round, slot). Episode e then uses Seeds.rng(seed, e). */
    public static long collectionSeed(long experimentSeed, Purpose purpose, long round, long slot) {
        return Seeds.derive(experimentSeed, purpose.code(), round, slot);
    }

    /**
     * The POST collection's seed, derived from its PRE collection's seed alone, so that whoever
     * holds the PRE assignment (the adapter) can issue the POST one without more context.
     */
    public static long postSeed(long preSeed) {
        return Seeds.derive(preSeed, Purpose.POST.code());
    }

    /**
     * The seed of meta-test step {@code k} (k ≥ 1) of test task {@code task}: step 1 derives from
     * (experiment seed, EVAL, task, 1), each later step from the previous step's seed, so whoever
     * holds step k's assignment (the adapter) can issue step k+1.
     */
    public static long evalSeed(long experimentSeed, int task, int k) {
        long seed = collectionSeed(experimentSeed, Purpose.EVAL, task, 1);
        for (int step = 2; step <= k; step++) {
            seed = nextEvalSeed(seed);
        }
        return seed;
    }

    /** The seed of the meta-test step after the one with {@code evalSeed}. */
    public static long nextEvalSeed(long evalSeed) {
        return Seeds.derive(evalSeed, Purpose.EVAL.code());
    }

    /** Sample estimates of the behaviour policy with logits {@code behaviour}. */
    public TabularEstimates estimate(List<TabularTrajectory> episodesInOrder, double[] behaviour) {
        double[] pi = TabularSoftmaxPolicy.probabilities(behaviour, nS, nA);
        return TabularEstimates.fromSamples(episodesInOrder, pi, nS, nA, gamma, config.sarsaStep(), config.sarsaSweeps(),
                config.untriedActions());
    }

    /** θ = Alg(π_anchor, λ, τ) on the estimates of a collection with π_anchor. */
    public double[] adapt(double[] anchor, TabularEstimates data, double lambda) {
        return TabularAdaptation.solve(TabularLowerLevel.of(config.alg(), anchor, data, lambda));
    }

    /** The task's meta-gradient (ascent direction for φ). */
    public double[] taskMetaGradient(double[] phi, double[] theta, TabularEstimates pre, TabularEstimates post) {
        double[] piTheta = TabularSoftmaxPolicy.probabilities(theta, nS, nA);
        double[] outer = post.softmaxGradient(piTheta, gamma);
        TabularLowerLevel problem = TabularLowerLevel.of(config.alg(), phi, pre, config.lambdaTrain());
        return hypergradient.metaGradient(TabularSolvedLevel.penalised(problem, theta, null), outer);
    }

    /** Element-wise mean of the per-task gradients, summed in list order. */
    public static double[] average(List<double[]> gradients) {
        double[] mean = new double[gradients.get(0).length];
        for (double[] g : gradients) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += g[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= gradients.size();
        }
        return mean;
    }

    public TabularExperimentConfig config() {
        return config;
    }
}
