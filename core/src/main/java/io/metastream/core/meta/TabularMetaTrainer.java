package io.metastream.core.meta;

import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.estimate.TabularRollouts;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.random.Purpose;
import io.metastream.core.random.Seeds;
import io.metastream.core.task.FrozenLake;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The in-process reference loop of tabular BO-MRL (synchronous: the paper's algorithm). Each
 * iteration r draws the task slots with {@code Seeds.rng(seed, TASK_SAMPLING, r)}, and for slot k
 * collects PRE episodes with π_φ (collection seed (PRE, r, k)), adapts, collects POST episodes
 * with the adapted policy (seed {@link TabularBoMrl#postSeed} of the PRE seed), computes the task's hypergradient, and finally applies
 * the meta-optimiser to the slot-ordered mean. The streaming pipeline reproduces it bit for bit.
 */
public final class TabularMetaTrainer {

    /** Progress of one meta-iteration: mean discounted returns of the PRE and POST collections. */
    public record IterationStats(int iteration, double preReturn, double postReturn, double gradientNorm,
                                 double[] phi) {
    }

    /** The trained meta-prior and the per-iteration history. */
    public record Result(double[] phi, List<IterationStats> history) {
    }

    private final TabularExperimentConfig config;
    private final FrozenLakeFamily family;

    public TabularMetaTrainer(TabularExperimentConfig config) {
        this.config = config;
        this.family = FrozenLakeFamily.byName(config.family());
    }

    /** The initial meta-prior φ₀ (every logit {@code phiInit}). */
    public static double[] initialPhi(TabularExperimentConfig config, int nS, int nA) {
        double[] phi = new double[nS * nA];
        Arrays.fill(phi, config.phiInit());
        return phi;
    }

    /** The task indices of iteration {@code round}. */
    public static List<Integer> tasksOf(TabularExperimentConfig config, FrozenLakeFamily family, int round) {
        return family.sampleIndices(config.tasksPerIteration(), Seeds.rng(config.seed(), Purpose.TASK_SAMPLING.code(), round));
    }

    public Result train(Consumer<IterationStats> progress) {
        int nS = family.testTasks().get(0).nStates();
        int nA = FrozenLakeMap.N_ACTIONS;
        TabularBoMrl bomrl = new TabularBoMrl(config, nS, nA, FrozenLakeMap.GAMMA);
        MetaOptimizer optimizer = MetaOptimizer.of(config.optimizer(), config.metaLearningRate());
        double[] phi = initialPhi(config, nS, nA);
        List<IterationStats> history = new ArrayList<>();
        for (int round = 0; round < config.iterations(); round++) {
            List<Integer> tasks = tasksOf(config, family, round);
            List<double[]> grads = new ArrayList<>();
            double pre = 0;
            double post = 0;
            TabularSoftmaxPolicy prior = new TabularSoftmaxPolicy(nS, nA, phi);
            for (int slot = 0; slot < tasks.size(); slot++) {
                FrozenLake env = new FrozenLake(family.testTasks().get(tasks.get(slot)));
                long preSeed = TabularBoMrl.collectionSeed(config.seed(), Purpose.PRE, round, slot);
                List<TabularTrajectory> preEpisodes = TabularRollouts.collect(env, prior, preSeed, 0, config.episodes());
                TabularEstimates preEst = bomrl.estimate(preEpisodes, phi);
                double[] theta = bomrl.adapt(phi, preEst, config.lambdaTrain());
                List<TabularTrajectory> postEpisodes = TabularRollouts.collect(env, new TabularSoftmaxPolicy(nS, nA, theta),
                        TabularBoMrl.postSeed(preSeed), 0, config.episodes());
                TabularEstimates postEst = bomrl.estimate(postEpisodes, theta);
                grads.add(bomrl.taskMetaGradient(phi, theta, preEst, postEst));
                pre += meanReturn(preEpisodes) / tasks.size();
                post += meanReturn(postEpisodes) / tasks.size();
            }
            double[] g = TabularBoMrl.average(grads);
            phi = optimizer.step(phi, g);
            IterationStats stats = new IterationStats(round, pre, post, io.metastream.core.linalg.Dense.norm(g), phi.clone());
            history.add(stats);
            progress.accept(stats);
        }
        return new Result(phi, history);
    }

    /** Mean discounted return Σ_t γ^t r_t of a collection. */
    public static double meanReturn(List<TabularTrajectory> episodes) {
        double s = 0;
        for (TabularTrajectory e : episodes) {
            s += e.discountedReturn(FrozenLakeMap.GAMMA);
        }
        return s / episodes.size();
    }
}
