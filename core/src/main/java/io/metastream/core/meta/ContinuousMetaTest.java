package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.core.task.TaskEnvironment;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Continuous meta-test (EXPERIMENTS.md §MuJoCo): on every test task, for k = 0..K evaluate the
 * current policy (undiscounted H-step return, deterministic = mean action and stochastic, each over
 * {@code evalEpisodes} episodes), then, if k &lt; K, collect {@code preRollouts} rollouts with it and
 * replace it by Alg(π_current, λ, τ) on that batch.
 *
 * <p>Seeds (EVAL purpose, shared by every method): step k's evaluation and the collection that
 * follows it both use collection seed {@link TabularBoMrl#evalSeed}(seed, task, k + 1); the collection
 * takes episodes 0 … preRollouts−1 and the evaluation episodes preRollouts … preRollouts+evalEpisodes−1,
 * so the two never share noise. The normaliser stays frozen during the test.
 *
 * <p>Methods: {@link Method#BOMRL} starts from the trained φ, {@link Method#RANDOM_INIT} from the
 * untrained φ₀; both see observations through the same trained normaliser (part of the pipeline, as
 * the network is), so the comparison isolates what meta-training put into φ. Best-prior selection
 * on validation tasks is not done here. A MAML-family prior ({@link MetaMethod}) is tested with its
 * own adaptation, one inner policy-gradient step per collection ({@link #evaluatePrior}).
 */
public final class ContinuousMetaTest<T> {

    /** The meta-test methods. */
    public enum Method {
        BOMRL("bomrl"), RANDOM_INIT("random-init");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Returns [task][k], k = 0..K, of the deterministic and the stochastic evaluations. */
    public record Returns(double[][] deterministic, double[][] stochastic) {

        /** Means over tasks of the deterministic evaluation, per k. */
        public double[] meanDeterministic() {
            return TabularMetaTest.meanOverTasks(deterministic);
        }

        /** Means over tasks of the stochastic evaluation, per k. */
        public double[] meanStochastic() {
            return TabularMetaTest.meanOverTasks(stochastic);
        }

        /**
         * Means over tasks of the better of the two evaluations, task by task and k by k: the third figure the
         * authors' scripts print per goal (which of the three the paper's table reports is not known).
         */
        public double[] meanMax() {
            double[][] max = new double[deterministic.length][];
            for (int t = 0; t < max.length; t++) {
                max[t] = new double[deterministic[t].length];
                for (int k = 0; k < max[t].length; k++) {
                    max[t][k] = Math.max(deterministic[t][k], stochastic[t][k]);
                }
            }
            return TabularMetaTest.meanOverTasks(max);
        }

        /** The means per k of every evaluation mode, in the order deterministic, stochastic, max. */
        public double[][] meansByMode() {
            return new double[][]{meanDeterministic(), meanStochastic(), meanMax()};
        }
    }

    private final ContinuousExperimentConfig config;
    private final ContinuousTaskFamily<T> family;
    private final ContinuousBoMrl bomrl;
    private final ContinuousRollouts collect;
    private final ContinuousRollouts evaluate;

    public ContinuousMetaTest(ContinuousExperimentConfig config, ContinuousTaskFamily<T> family) {
        this.config = config;
        this.family = family;
        this.bomrl = new ContinuousBoMrl(config, family.obsDim(), family.actDim());
        this.collect = bomrl.trainingRollouts();
        this.evaluate = new ContinuousRollouts(bomrl.policy(), config.horizon(), 0, config.gamma());
    }

    /**
     * The curves of the prior {@code trained} learned with {@code config.method()}, adapted with that
     * method's own within-task step ({@link #evaluate(MetaMethod, double[], ObservationNormalizer, List)}).
     */
    public Returns evaluatePrior(ContinuousMetaTrainer.Result trained, List<T> tasks) {
        return evaluate(config.method(), trained.phi(), trained.normalizer(), tasks);
    }

    /** A method's curves from a training result (both adapt with BO-MRL's Alg). */
    public Returns evaluate(Method method, ContinuousMetaTrainer.Result trained, List<T> tasks) {
        return switch (method) {
            case BOMRL -> evaluate(trained.phi(), trained.normalizer(), tasks);
            case RANDOM_INIT -> evaluate(trained.initialPhi(), trained.normalizer(), tasks);
        };
    }

    /** The curves of adapting from {@code start} with BO-MRL's Alg and the frozen {@code normalizer}. */
    public Returns evaluate(double[] start, ObservationNormalizer normalizer, List<T> tasks) {
        return evaluate(MetaMethod.BOMRL, start, normalizer, tasks);
    }

    /**
     * The curves of adapting from {@code start} with {@code adaptation}'s within-task step: BO-MRL's
     * Alg(π_θ, λ, τ), or for a MAML-family method its inner step θ ← θ − α∇L_pre(θ) on the k-th collection
     * ({@link ContinuousMaml#adapt}); same seeds, collections and evaluations either way.
     */
    public Returns evaluate(MetaMethod adaptation, double[] start, ObservationNormalizer normalizer, List<T> tasks) {
        return evaluate(adaptation, start, normalizer, tasks, task -> { });
    }

    /**
     * As {@link #evaluate(MetaMethod, double[], ObservationNormalizer, List)}, calling {@code afterTask}
     * with the task's index once each task's curve is complete: for progress output, and for a caller
     * that stops a long meta-test early (an exception thrown there ends the evaluation). The callback
     * does not change any number.
     */
    public Returns evaluate(MetaMethod adaptation, double[] start, ObservationNormalizer normalizer, List<T> tasks,
                            IntConsumer afterTask) {
        ContinuousMaml maml = adaptation.isMaml()
                ? new ContinuousMaml(config.withMethod(adaptation), family.obsDim(), family.actDim()) : null;
        int steps = config.testSteps();
        double[][] det = new double[tasks.size()][steps + 1];
        double[][] sto = new double[tasks.size()][steps + 1];
        for (int i = 0; i < tasks.size(); i++) {
            TaskEnvironment<T, double[], double[]> env = family.newEnvironment(tasks.get(i), collect.environmentHorizon());
            try {
                double[] theta = start.clone();
                for (int k = 0; k <= steps; k++) {
                    long seed = TabularBoMrl.evalSeed(config.seed(), i, k + 1);
                    int first = config.preRollouts();
                    det[i][k] = ContinuousRollouts.meanUndiscountedReturn(evaluate.collect(env, theta, normalizer, seed,
                            first, config.evalEpisodes(), ContinuousRollouts.Mode.DETERMINISTIC));
                    sto[i][k] = ContinuousRollouts.meanUndiscountedReturn(evaluate.collect(env, theta, normalizer, seed,
                            first, config.evalEpisodes(), ContinuousRollouts.Mode.STOCHASTIC));
                    if (k < steps) {
                        List<ContinuousTrajectory> episodes = collect.collect(env, theta, normalizer, seed, 0,
                                config.preRollouts(), ContinuousRollouts.Mode.STOCHASTIC);
                        ContinuousBatch batch = maml == null ? bomrl.estimate(episodes, normalizer)
                                : maml.estimate(episodes, normalizer);
                        theta = maml == null ? bomrl.adapt(theta, batch).theta() : maml.adapt(theta, batch).theta();
                    }
                }
            } finally {
                ContinuousTaskFamily.close(env);
            }
            afterTask.accept(i);
        }
        return new Returns(det, sto);
    }
}
