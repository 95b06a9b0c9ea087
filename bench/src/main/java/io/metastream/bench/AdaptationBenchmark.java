package io.metastream.bench;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.ContinuousHypergradient;
import io.metastream.core.continuous.ContinuousLowerLevel;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.continuous.HypergradientConfig;
import io.metastream.core.continuous.LowerLevelConfig;
import io.metastream.core.continuous.MetaLossSurrogate;
import io.metastream.core.continuous.PolicyGradient;
import io.metastream.core.continuous.TrpoStep;
import io.metastream.core.estimate.MonteCarloAdvantages;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.random.Seeds;
import io.metastream.mujoco.task.LocomotionEnv;
import io.metastream.mujoco.task.VelocityTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-task math of continuous BO-MRL on the reference PRE batch of EXPERIMENTS.md §MuJoCo, one
 * thread, milliseconds per operation:
 * <ul>
 *   <li>{@link #adapt}: one within-task adaptation θ* = Alg(π_φ, λ, τ) — 50 Adam steps (lr 1e-3)
 *       on L_low with λ = 0.5 ({@link LowerLevelConfig#paper}) over n = 20 × 200 = 4000 rows;</li>
 *   <li>{@link #hypergradient}: one hypergradient at θ* on the same batch — 10 CG iterations on
 *       ∇²_θθ L_low and the mixed derivative of D ({@link HypergradientConfig#paper}) — given the
 *       POST loss gradient g of 100 × 200 = 20 000 rows (computed once, in setup);</li>
 *   <li>{@link #postGradient}: that POST loss gradient itself ({@link PolicyGradient#lossGradient}, 20 000 rows);</li>
 *   <li>{@link #metaStep}: one TRPO meta-step of the trainer (max KL 0.01, 10 CG iterations on the Fisher, line
 *       search) on the meta-loss surrogate of 10 tasks, each with this task's θ*, CG solution x and
 *       {@value #FISHER_STATES} PRE states (the paper preset's {@code fisher-states}): 20 000 Fisher rows.</li>
 * </ul>
 * The batch is REAL half-cheetah data (HalfCheetah-Vel, goal 1.0 m/s; obsDim 17, actDim 6): 20
 * rollouts of the initial Gaussian MLP 128-128 (log σ = −0.7, fixed seed), observations normalised
 * with moments fitted to 20 earlier episodes of the same policy, Monte-Carlo advantages
 * ({@link MonteCarloAdvantages}, γ = 0.995, no continuation tail). Needs MuJoCo.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
public class AdaptationBenchmark {

    static final long SEED = 20240705L;
    static final String FAMILY = "halfcheetah-vel";
    static final double GOAL_VELOCITY = 1.0;
    static final int PRE_EPISODES = 20;
    static final int POST_EPISODES = 100;
    static final int FISHER_STATES = 2000;
    static final int META_TASKS = 10;

    /** The PRE batch, the initial policy φ and the lower level of one algorithm. */
    @State(Scope.Thread)
    public static class Pre {

        @Param({"ALG1", "ALG2", "ALG3"})
        public ContinuousAlgorithm algorithm;

        GaussianMlpPolicy policy;
        double[] phi;
        ObservationNormalizer normalizer;
        ContinuousBatch batch;
        ContinuousLowerLevel lowerLevel;

        @Setup(Level.Trial)
        public void setUp() {
            try (LocomotionEnv<VelocityTask> env = BenchRollouts.velocityEnv(FAMILY, GOAL_VELOCITY)) {
                policy = BenchRollouts.policy(env);
                phi = policy.initialParameters(Seeds.rng(SEED, 1), BenchRollouts.INIT_LOG_STD, BenchRollouts.OUTPUT_SCALE);
                normalizer = BenchRollouts.fitNormalizer(env, policy, phi, Seeds.derive(SEED, 2), PRE_EPISODES);
                batch = MonteCarloAdvantages.batch(
                        BenchRollouts.rollouts(env, policy, phi, normalizer, Seeds.derive(SEED, 3), PRE_EPISODES),
                        normalizer, BenchRollouts.GAMMA);
            }
            lowerLevel = new ContinuousLowerLevel(policy, LowerLevelConfig.paper(algorithm));
        }
    }

    /** θ* of the PRE batch and the POST loss gradient g = −∇̂_θ J(θ*) from 100 rollouts of π_θ*. */
    @State(Scope.Thread)
    public static class Post {

        double[] theta;
        double[] postLossGradient;
        ContinuousBatch post;
        ContinuousHypergradient hypergradient;
        TrpoStep trpo;
        MetaLossSurrogate metaLoss;
        double[] fisherStates;

        @Setup(Level.Trial)
        public void setUp(Pre pre) {
            ContinuousLowerLevel.Solution solution = pre.lowerLevel.solve(pre.phi, pre.batch);
            theta = solution.theta();
            try (LocomotionEnv<VelocityTask> env = BenchRollouts.velocityEnv(FAMILY, GOAL_VELOCITY)) {
                post = MonteCarloAdvantages.batch(
                        BenchRollouts.rollouts(env, pre.policy, theta, pre.normalizer, Seeds.derive(SEED, 4), POST_EPISODES),
                        pre.normalizer, BenchRollouts.GAMMA);
                postLossGradient = new double[pre.policy.parameterCount()];
                PolicyGradient.lossGradient(pre.policy, theta, post, postLossGradient);
            }
            hypergradient = new ContinuousHypergradient(pre.lowerLevel, HypergradientConfig.paper());
            // what the timed operations do on this batch (printed once per fork, outside the measurement)
            ContinuousHypergradient.Result r = hypergradient.compute(pre.phi, theta, pre.batch, postLossGradient);
            int obsDim = pre.policy.obsDim();
            int m = Math.min(FISHER_STATES, pre.batch.n());
            double[] taskStates = new double[m * obsDim];
            for (int i = 0; i < m; i++) {   // evenly spaced PRE rows, as ContinuousBoMrl keeps them
                System.arraycopy(pre.batch.obs(), (int) ((long) i * pre.batch.n() / m) * obsDim, taskStates, i * obsDim, obsDim);
            }
            List<MetaLossSurrogate.Term> terms = new ArrayList<>();
            fisherStates = new double[META_TASKS * m * obsDim];
            for (int t = 0; t < META_TASKS; t++) {
                terms.add(new MetaLossSurrogate.Term(theta, r.cgSolution(), new ContinuousBatch(m, obsDim, pre.policy.actDim(),
                        taskStates, new double[m * pre.policy.actDim()], new double[m])));
                System.arraycopy(taskStates, 0, fisherStates, t * m * obsDim, m * obsDim);
            }
            metaLoss = new MetaLossSurrogate(pre.lowerLevel, terms);
            trpo = new TrpoStep(pre.policy, TrpoStep.Config.defaults(0.01));
            System.out.printf("%n%s on n = %d rows: %d Adam steps, stopped early %b, mean KL(phi||theta*) %.4g, L_low %.4g;"
                    + " hypergradient CG residual %.3g, |g| %.3g%n", pre.algorithm, pre.batch.n(), solution.steps(),
                    solution.stoppedEarly(), solution.meanKl(), solution.loss(), r.cgResidual(), norm(postLossGradient));
        }

        private static double norm(double[] v) {
            double s = 0;
            for (double x : v) {
                s += x * x;
            }
            return Math.sqrt(s);
        }
    }

    /** One lower-level solve from θ = φ. */
    @Benchmark
    public ContinuousLowerLevel.Solution adapt(Pre pre) {
        return pre.lowerLevel.solve(pre.phi, pre.batch);
    }

    /** One hypergradient (10 CG iterations) at θ* on the PRE batch. */
    @Benchmark
    public ContinuousHypergradient.Result hypergradient(Pre pre, Post post) {
        return post.hypergradient.compute(pre.phi, post.theta, pre.batch, post.postLossGradient);
    }

    /** The POST loss gradient at θ* (20 000 rows). */
    @Benchmark
    public double[] postGradient(Pre pre, Post post) {
        double[] g = new double[pre.policy.parameterCount()];
        PolicyGradient.lossGradient(pre.policy, post.theta, post.post, g);
        return g;
    }

    /** One TRPO meta-step on 10 tasks' meta-loss terms, 20 000 Fisher states. */
    @Benchmark
    public TrpoStep.Result metaStep(Pre pre, Post post) {
        return post.trpo.step(pre.phi, post.fisherStates, META_TASKS * Math.min(FISHER_STATES, pre.batch.n()), post.metaLoss);
    }
}
