package io.metastream.cli;

import io.metastream.cli.plots.AdaptationCurve;
import io.metastream.cli.plots.AdaptationPlot;
import io.metastream.cli.plots.ProgressPlot;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.ContinuousBoMrl;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.ContinuousMetaTest;
import io.metastream.core.meta.MetaMethod;
import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.PolicyParams;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The meta-test of a continuous run, in-process (EXPERIMENTS.md §MuJoCo: it does not run through the
 * pipeline): core's {@link ContinuousMetaTest} on the trained φ (adapted with the experiment's own
 * method: BO-MRL's Alg, or a baseline's inner step) and on the untrained φ₀ (random initialisation,
 * BO-MRL's Alg), both with the trainer's final observation normaliser, deterministic and stochastic
 * returns after k = 0..testSteps adaptation steps. Printed beside the authors' numbers and written
 * into the run directory: {@code meta-test.csv} (method,mode,step,mean), {@code progress.png} and
 * {@code adaptation.png} (one panel per evaluation mode).
 */
final class ContinuousResults {

    /** The evaluation modes, as written in {@code meta-test.csv}'s mode column. */
    static final List<String> MODES = List.of("deterministic", "stochastic", "max");

    private ContinuousResults() {
    }

    /**
     * Runs the meta-test of {@code phi} (normaliser from {@code moments}) and writes the run directory's
     * result files. With {@code validate-every: k} it first scores every k-th meta-prior version of the log
     * (and the last) on the validation goals ({@link #validate}) and meta-tests the best one instead.
     */
    static void write(ContinuousExperimentFile cf, double[] phi, RunningMoments moments, Path dir, PrintStream out,
                      Supplier<SortedMap<Long, PolicyParams>> priors) throws IOException {
        write(cf, phi, moments, dir, out, priors, () -> false);
    }

    /**
     * As above; {@code stopRequested} is polled after every validation goal and test task, and when it
     * turns true the work ends with {@link Stopped} before any result file of the meta-test is written
     * (the log holds everything: {@code metastream report} runs the meta-test later).
     */
    static void write(ContinuousExperimentFile cf, double[] phi, RunningMoments moments, Path dir, PrintStream out,
                      Supplier<SortedMap<Long, PolicyParams>> priors, BooleanSupplier stopRequested) throws IOException {
        ContinuousExperimentConfig exp = cf.experiment();
        String alg = exp.algorithm().name().toLowerCase(Locale.ROOT);
        ContinuousTaskFamily<?> family = cf.family();
        if (cf.validateEvery() > 0) {
            Best best = validate(cf, family, priors.get(), dir, out, stopRequested);
            phi = best.phi();
            moments = best.moments();
        }
        Map<String, double[][]> curves = metaTest(exp, family, phi, moments, out, stopRequested);
        StringBuilder csv = new StringBuilder("method,mode,step,mean\n");
        List<AdaptationCurve> plotted = new ArrayList<>();
        out.println();
        out.printf("Meta-test of the trained meta-prior (%d test tasks of %s; mean undiscounted %d-step return after k"
                + " adaptation steps, in-process, same seeds for every method)%n", family.testTasks().size(), exp.family(), exp.horizon());
        out.printf("%-22s %-14s %s%n", "method", "mode", "k = 0.." + exp.testSteps());
        for (Map.Entry<String, double[][]> e : curves.entrySet()) {
            double[][] byMode = e.getValue();
            for (int mode = 0; mode < MODES.size(); mode++) {
                double[] curve = byMode[mode];
                out.printf("%-22s %-14s %s%n", e.getKey(), MODES.get(mode), FrozenLakeReproduction.format(curve));
                for (int k = 0; k < curve.length; k++) {
                    csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f%n", e.getKey(), MODES.get(mode), k, curve[k]));
                }
                plotted.add(new AdaptationCurve(exp.family() + ", " + MODES.get(mode), alg, e.getKey(), curve,
                        new double[curve.length], 1));
            }
        }
        Map<String, double[]> paper = new HashMap<>();
        for (Map.Entry<String, String> s : PaperReference.LOCOMOTION_SERIES) {
            double[] ref = PaperReference.LOCOMOTION.get(exp.family() + "/" + s.getKey());
            if (ref != null) {
                out.printf("%-22s %-14s %s  (the authors, 500 iterations)%n", "paper " + s.getValue(), "",
                        FrozenLakeReproduction.format(ref));
                if (s.getKey().equals(series(exp))) {
                    MODES.forEach(mode -> paper.put(exp.family() + ", " + mode + "/" + s.getKey(), ref));
                }
            }
        }
        Path metaTest = dir.resolve("meta-test.csv");
        Files.writeString(metaTest, csv.toString());
        Path progressPng = progressPlot(cf, dir);
        Path adaptationPng = AdaptationPlot.write(plotted, paper, dir.resolve("adaptation.png"));
        out.printf("Wrote %s, %s, %s, %s, %s%n", dir.resolve("manifest.txt"), dir.resolve("progress.csv"), metaTest,
                progressPng, adaptationPng);
    }

    /** The meta-prior chosen by validation: its version, parameters and normaliser moments. */
    record Best(long version, double[] phi, RunningMoments moments) {
    }

    /**
     * EXPERIMENTS.md's model selection: versions 0, k, 2k, … and the last are each adapted once
     * (the method's own step, {@code pre-rollouts} rollouts) on every validation goal of the family and
     * scored by the mean stochastic return after that step; the best (earliest on ties) wins. Each version
     * is evaluated with the normaliser it carries. Writes {@code validation.csv}
     * (version,deterministic,stochastic: returns after one adaptation step, means over the goals).
     */
    static <T> Best validate(ContinuousExperimentFile cf, ContinuousTaskFamily<T> family, SortedMap<Long, PolicyParams> priors,
                             Path dir, PrintStream out, BooleanSupplier stopRequested) throws IOException {
        ContinuousExperimentConfig exp = cf.experiment().withTestSteps(1);
        int every = cf.validateEvery();
        long last = priors.isEmpty() ? -1 : priors.lastKey();
        List<T> goals = family.validationTasks();
        out.printf(Locale.ROOT, "validation: meta-prior versions 0, %d, %d, ... and the last (of %d in the log) on %d validation"
                + " goals, one adaptation step each ...%n", every, 2 * every, priors.size(), goals.size());
        List<Long> missing = new ArrayList<>();
        for (long v = 0; v < last; v += every) {
            if (!priors.containsKey(v)) {
                missing.add(v);
            }
        }
        if (!missing.isEmpty()) {
            out.printf(Locale.ROOT, "note: %d of the versions to validate are not in the log (first v%d; e.g. it was imported from"
                    + " a checkpoint exported with a --keep-every that does not divide validate-every %d): the others are scored%n",
                    missing.size(), missing.get(0), every);
        }
        ContinuousMetaTest<T> test = new ContinuousMetaTest<>(exp, family);
        ContinuousBoMrl bomrl = new ContinuousBoMrl(exp, family.obsDim(), family.actDim());
        StringBuilder csv = new StringBuilder("version,deterministic,stochastic\n");
        Best best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Long, PolicyParams> e : priors.entrySet()) {
            long v = e.getKey();
            if (v % every != 0 && v != last) {
                continue;
            }
            PolicyParams p = e.getValue();
            double[] params = DoubleList.toArray(p.getParams());
            RunningMoments m = moments(p, family.obsDim());
            ContinuousMetaTest.Returns r = test.evaluate(exp.method(), params, bomrl.normalizer(m), goals,
                    goal -> stopIfRequested(stopRequested));
            double det = r.meanDeterministic()[1];
            double sto = r.meanStochastic()[1];
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f%n", v, det, sto));
            out.printf(Locale.ROOT, "validation meta-prior v%d: after one adaptation deterministic %.3f, stochastic %.3f%n", v, det, sto);
            if (sto > bestScore) {
                bestScore = sto;
                best = new Best(v, params, m);
            }
        }
        if (best == null) {
            throw new IllegalStateException("no meta-prior version of " + cf.experimentId() + " in the log to validate");
        }
        Files.writeString(dir.resolve("validation.csv"), csv.toString());
        out.printf(Locale.ROOT, "best on validation: meta-prior v%d (stochastic %.3f); the meta-test below uses it%n",
                best.version(), bestScore);
        return best;
    }

    /** The observation moments a meta-prior record carries (empty before the first round). */
    static RunningMoments moments(PolicyParams p, int obsDim) {
        return p.getObservationCount() == 0 ? RunningMoments.empty(obsDim)
                : new RunningMoments(p.getObservationCount(), DoubleList.toArray(p.getObservationMean()), DoubleList.toArray(p.getObservationM2()));
    }

    /** {@code progress.png} from the run directory's {@code progress.csv}. */
    static Path progressPlot(ContinuousExperimentFile cf, Path dir) throws IOException {
        ContinuousExperimentConfig exp = cf.experiment();
        return ProgressPlot.write(dir.resolve("progress.csv"), cf.experimentId() + ", " + exp.family() + ", "
                        + exp.algorithm().name().toLowerCase(Locale.ROOT),
                "mean undiscounted " + exp.horizon() + "-step return of the round's collections", dir.resolve("progress.png"));
    }

    /** The paper's series of this experiment's method: bomrl-algN or the baseline's label. */
    static String series(ContinuousExperimentConfig exp) {
        return exp.method() == MetaMethod.BOMRL ? "bomrl-" + exp.algorithm().name().toLowerCase(Locale.ROOT)
                : exp.method().label();
    }

    /**
     * method label → [mode][k] means over the test tasks, in order: the trained prior adapted with its own
     * method's within-task step (label {@code bomrl} or the baseline's), then random initialisation (φ₀
     * adapted with BO-MRL's Alg).
     */
    private static <T> Map<String, double[][]> metaTest(ContinuousExperimentConfig exp, ContinuousTaskFamily<T> family,
                                                        double[] phi, RunningMoments moments, PrintStream out,
                                                        BooleanSupplier stopRequested) {
        List<T> tasks = family.testTasks();
        out.printf("meta-test in-process: %d test tasks x %d adaptation steps x 2 methods ...%n", tasks.size(), exp.testSteps());
        ContinuousBoMrl bomrl = new ContinuousBoMrl(exp, family.obsDim(), family.actDim());
        var normalizer = bomrl.normalizer(moments);
        ContinuousMetaTest<T> test = new ContinuousMetaTest<>(exp, family);
        Map<String, double[][]> curves = new LinkedHashMap<>();
        long start = System.nanoTime();
        ContinuousMetaTest.Returns trained = test.evaluate(exp.method(), phi, normalizer, tasks,
                progress(exp.method().label(), tasks.size(), start, out, stopRequested));
        curves.put(exp.method().label(), trained.meansByMode());
        ContinuousMetaTest.Returns random = test.evaluate(MetaMethod.BOMRL, bomrl.initialPhi(), normalizer, tasks,
                progress(ContinuousMetaTest.Method.RANDOM_INIT.label(), tasks.size(), start, out, stopRequested));
        curves.put(ContinuousMetaTest.Method.RANDOM_INIT.label(), random.meansByMode());
        return curves;
    }

    /** Thrown when a stop was requested during validation or the meta-test; no meta-test file has been written. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("the meta-test was stopped before it finished", null, false, false);
        }
    }

    private static void stopIfRequested(BooleanSupplier stopRequested) {
        if (stopRequested.getAsBoolean()) {
            throw new Stopped();
        }
    }

    /** After each test task: a progress line (a MuJoCo task takes seconds), then the stop check. */
    private static IntConsumer progress(String method, int tasks, long start, PrintStream out, BooleanSupplier stopRequested) {
        return task -> {
            out.printf(Locale.ROOT, "meta-test %s: test task %d/%d done (%.0f s)%n", method, task + 1, tasks,
                    (System.nanoTime() - start) / 1e9);
            stopIfRequested(stopRequested);
        };
    }
}
