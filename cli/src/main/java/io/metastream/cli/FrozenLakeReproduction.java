package io.metastream.cli;

import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.bound.OptimalityGapBound;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTest;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One (family, algorithm, seed) run of the Frozen Lake reproduction: meta-training through the
 * in-process reference loop, the meta-test of BO-MRL and both baselines, and the per-task
 * optimality gap beside its bound.
 */
final class FrozenLakeReproduction {

    /** Meta-test curves (mean over test tasks) per method, gap rows per task, and the training wall time. */
    record Outcome(TabularExperimentConfig config, double[] bomrl, double[] randomInit, double[] policyGradient,
                   List<GapRow> gaps, double trainingSeconds) {
    }

    /**
     * One test task's gaps: exact-Q one-time adaptation gap and its bound (infinite-horizon J), and
     * the gap of the sampled one-step adaptation of the meta-test (49-step accumulated reward).
     */
    record GapRow(String task, double optimum, double exactQGap, double bound, double sampledGap) {
    }

    private FrozenLakeReproduction() {
    }

    /** Runs every config on {@code threads} threads; progress lines go to {@code out}; outcomes in config order. */
    static List<Outcome> runAll(List<TabularExperimentConfig> configs, int threads, java.io.PrintStream out) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Outcome>> futures = new ArrayList<>();
            for (TabularExperimentConfig c : configs) {
                futures.add(pool.submit(() -> run(c, line -> {
                    synchronized (out) {
                        out.println(line);
                    }
                })));
            }
            for (java.util.concurrent.Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        return outcomes;
    }

    static Outcome run(TabularExperimentConfig config, Consumer<String> progress) {
        long start = System.nanoTime();
        String tag = String.format("[%s %s seed %d]", config.family(), config.alg().name().toLowerCase(), config.seed());
        TabularMetaTrainer.Result trained = new TabularMetaTrainer(config).train(stats -> {
            int done = stats.iteration() + 1;
            if (done % 25 == 0 || done == config.iterations()) {
                progress.accept(String.format("%s meta-iteration %d/%d  PRE return %.3f  POST return %.3f  |g| %.3g",
                        tag, done, config.iterations(), stats.preReturn(), stats.postReturn(), stats.gradientNorm()));
            }
        });
        double trainingSeconds = (System.nanoTime() - start) / 1e9;
        List<FrozenLakeMap> tasks = FrozenLakeFamily.byName(config.family()).testTasks();
        TabularMetaTest test = new TabularMetaTest(config);
        double[][] bomrlPerTask = test.evaluate(TabularMetaTest.Method.BOMRL, trained.phi(), tasks);
        double[] random = TabularMetaTest.meanOverTasks(test.evaluate(TabularMetaTest.Method.RANDOM_INIT, trained.phi(), tasks));
        double[] pg = TabularMetaTest.meanOverTasks(test.evaluate(TabularMetaTest.Method.POLICY_GRADIENT, trained.phi(), tasks));
        List<GapRow> gaps = gapRows(config, trained.phi(), bomrlPerTask);
        progress.accept(String.format("%s done in %.1f s: BO-MRL after 0..%d steps %s", tag,
                (System.nanoTime() - start) / 1e9, config.testSteps(), format(TabularMetaTest.meanOverTasks(bomrlPerTask))));
        return new Outcome(config, TabularMetaTest.meanOverTasks(bomrlPerTask), random, pg, gaps, trainingSeconds);
    }

    /**
     * Per test task: the exact-Q one-time adaptation gap of meta-prior {@code phi} and its bound, and
     * the gap of the sampled one-step adaptation ({@code bomrlPerTask[i][1]}); empty for Alg(3),
     * which the bound does not cover.
     */
    static List<GapRow> gapRows(TabularExperimentConfig config, double[] phi, double[][] bomrlPerTask) {
        List<GapRow> gaps = new ArrayList<>();
        if (config.alg() == TabularAlgorithm.ALG3 || config.testSteps() < 1) {
            return gaps;
        }
        List<FrozenLakeMap> tasks = FrozenLakeFamily.byName(config.family()).testTasks();
        for (int i = 0; i < tasks.size(); i++) {
            FrozenLakeMap map = tasks.get(i);
            OptimalityGapBound.TaskGap g = OptimalityGapBound.evaluate(map.toMdp(), config.alg(), phi, config.lambdaTest());
            double finiteOptimum = io.metastream.core.exact.OptimalControl.optimalFiniteHorizonReturn(map.toMdp());
            gaps.add(new GapRow(map.toString(), g.optimum(), g.gap(), g.bound(), finiteOptimum - bomrlPerTask[i][1]));
        }
        return gaps;
    }

    static String format(double[] xs) {
        StringBuilder sb = new StringBuilder();
        for (double x : xs) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%.3f", x));
        }
        return sb.toString();
    }
}
