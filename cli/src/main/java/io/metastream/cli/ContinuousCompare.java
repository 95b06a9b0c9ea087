package io.metastream.cli;

import io.metastream.cli.plots.AdaptationCurve;
import io.metastream.cli.plots.AdaptationPlot;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.ContinuousMetaTest;
import io.metastream.core.meta.ContinuousMetaTrainer;
import io.metastream.core.meta.MetaMethod;
import io.metastream.core.task.ContinuousTaskFamily;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code compare} on a continuous family: every method meta-trained in-process ({@link ContinuousMetaTrainer},
 * bit-identical to the synchronous pipeline) from the same config file, the same seeds and the same data
 * budgets, then meta-tested on the family's test tasks ({@link ContinuousMetaTest}: each prior adapted with
 * its own method's within-task step; deterministic and stochastic returns after k = 0..test-steps).
 * {@code random-init} is φ₀ adapted with BO-MRL's Alg of the file, seeing observations through the
 * normaliser trained by the file's BO-MRL run of the same seed (so that run is trained too).
 * Writes {@code compare.csv} (method,family,alg,mode,step,mean,std,seeds) and {@code compare.png}
 * (one panel per evaluation mode, ±std bands, the authors' curves dashed).
 */
final class ContinuousCompare {

    static final List<String> METHODS = List.of("bomrl-alg1", "bomrl-alg2", "bomrl-alg3", "maml-vpg", "maml-trpo",
            "promp", "e-maml", "random-init");

    private ContinuousCompare() {
    }

    /** The default methods of a continuous config: its own BO-MRL algorithm, MAML-TRPO and random initialisation. */
    static List<String> defaults(ContinuousExperimentFile file) {
        return List.of("bomrl-" + file.experiment().algorithm().name().toLowerCase(Locale.ROOT), "maml-trpo", "random-init");
    }

    /** One meta-training: the method's label and the config it trains. */
    private record Run(String method, ContinuousExperimentConfig config) {
    }

    static void run(ContinuousExperimentFile file, Path configPath, List<String> overrides, List<String> methods, int seeds,
                    int threads, Path dir, PrintStream out) throws IOException, InterruptedException {
        Set<String> wanted = new LinkedHashSet<>();
        for (String m : methods) {
            String name = m.trim().toLowerCase(Locale.ROOT);
            if (!METHODS.contains(name)) {
                throw new IllegalArgumentException("--methods: unknown method '" + m + "' for the continuous family "
                        + file.experiment().family() + " (known: " + String.join(", ", METHODS) + ")");
            }
            wanted.add(name);
        }
        ContinuousTaskFamily<?> family = file.family();
        String text = Files.readString(configPath);
        String fileBoMrl = "bomrl-" + file.experiment().algorithm().name().toLowerCase(Locale.ROOT);
        Set<String> trained = new LinkedHashSet<>();
        for (String m : wanted) {
            trained.add(m.equals("random-init") ? fileBoMrl : m);
        }
        List<Run> runs = new ArrayList<>();
        for (String m : trained) {
            for (int seed = 0; seed < seeds; seed++) {
                Map<String, Object> raw = ExperimentFile.rawMap(text, "config " + configPath, overrides);
                if (m.startsWith("bomrl-")) {
                    raw.put("method", "bomrl");
                    raw.put("alg", m.substring("bomrl-".length()).replace("alg", ""));
                } else {
                    raw.put("method", m);
                }
                raw.put("seed", seed);
                runs.add(new Run(m, ContinuousExperimentFile.fromMap(raw, "config " + configPath).experiment()));
            }
        }
        ContinuousExperimentConfig base = file.experiment();
        out.printf(Locale.ROOT, "compare on %s: %s over %d seeds (%d in-process meta-trainings of %d iterations, %d in"
                        + " parallel; meta-test on %d test tasks) -> %s%n", base.family(), String.join(", ", wanted), seeds,
                runs.size(), base.iterations(), threads, family.testTasks().size(), dir);
        Map<String, double[][][]> perSeed = trainAndTest(runs, family, wanted.contains("random-init") ? fileBoMrl : null,
                seeds, threads, out);
        write(base, wanted, perSeed, seeds, dir, out);
    }

    /** method → [seed][mode][k]; random-init filled from the file's BO-MRL runs when {@code randomInitFrom} is set. */
    private static Map<String, double[][][]> trainAndTest(List<Run> runs, ContinuousTaskFamily<?> family,
                                                          String randomInitFrom, int seeds, int threads, PrintStream out)
            throws InterruptedException {
        Map<String, double[][][]> results = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<double[][][]>> futures = new ArrayList<>();
            for (Run run : runs) {
                futures.add(pool.submit(() -> one(run, family, run.method().equals(randomInitFrom), out)));
            }
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                double[][][] curves;
                try {
                    curves = futures.get(i).get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                }
                int seed = (int) run.config().seed();
                results.computeIfAbsent(run.method(), k -> new double[seeds][][])[seed] = curves[0];
                if (curves.length > 1) {
                    results.computeIfAbsent("random-init", k -> new double[seeds][][])[seed] = curves[1];
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    /** Trains one run and meta-tests it: [0] = the trained prior, [1] = random init (when asked), each [mode][k]. */
    private static <T> double[][][] one(Run run, ContinuousTaskFamily<T> family, boolean withRandomInit, PrintStream out) {
        ContinuousExperimentConfig c = run.config();
        String tag = String.format(Locale.ROOT, "[%s %s seed %d]", c.family(), run.method(), c.seed());
        long t0 = System.nanoTime();
        int every = Math.max(1, c.iterations() / 10);
        ContinuousMetaTrainer.Result r = new ContinuousMetaTrainer<>(c, family).train(s -> {
            if ((s.iteration() + 1) % every == 0 || s.iteration() + 1 == c.iterations()) {
                out.printf(Locale.ROOT, "%s meta-iteration %d/%d  PRE return %.2f  POST return %.2f  (%.0f s)%n", tag,
                        s.iteration() + 1, c.iterations(), s.preReturn(), s.postReturn(), (System.nanoTime() - t0) / 1e9);
            }
        });
        ContinuousMetaTest<T> test = new ContinuousMetaTest<>(c, family);
        List<T> tasks = family.testTasks();
        ContinuousMetaTest.Returns own = test.evaluatePrior(r, tasks);
        double[][] trained = own.meansByMode();
        out.printf(Locale.ROOT, "%s done in %.0f s: after 0..%d steps deterministic %s, stochastic %s%n", tag,
                (System.nanoTime() - t0) / 1e9, c.testSteps(), FrozenLakeReproduction.format(trained[0]),
                FrozenLakeReproduction.format(trained[1]));
        if (!withRandomInit) {
            return new double[][][]{trained};
        }
        ContinuousMetaTest.Returns random = test.evaluate(MetaMethod.BOMRL, r.initialPhi(), r.normalizer(), tasks);
        return new double[][][]{trained, random.meansByMode()};
    }

    private static void write(ContinuousExperimentConfig base, Set<String> wanted, Map<String, double[][][]> perSeed,
                              int seeds, Path dir, PrintStream out) throws IOException {
        String alg = base.algorithm().name().toLowerCase(Locale.ROOT);
        StringBuilder csv = new StringBuilder("method,family,alg,mode,step,mean,std,seeds\n");
        List<AdaptationCurve> plotted = new ArrayList<>();
        Map<String, List<String>> table = new LinkedHashMap<>();
        for (String m : wanted) {
            double[][][] runs = perSeed.get(m);
            String methodAlg = m.startsWith("bomrl-") ? m.substring("bomrl-".length()) : alg;
            for (int mode = 0; mode < ContinuousResults.MODES.size(); mode++) {
                int steps = runs[0][mode].length;
                double[] mean = new double[steps];
                double[] std = new double[steps];
                for (int k = 0; k < steps; k++) {
                    double s = 0;
                    for (double[][] run : runs) {
                        s += run[mode][k];
                    }
                    mean[k] = s / seeds;
                    double v = 0;
                    for (double[][] run : runs) {
                        v += (run[mode][k] - mean[k]) * (run[mode][k] - mean[k]);
                    }
                    std[k] = Math.sqrt(v / seeds);
                    csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%.6f,%.6f,%d%n", m, base.family(), methodAlg,
                            ContinuousResults.MODES.get(mode), k, mean[k], std[k], seeds));
                }
                String mode0 = ContinuousResults.MODES.get(mode);
                plotted.add(new AdaptationCurve(base.family() + ", " + mode0, methodAlg,
                        m.startsWith("bomrl-") ? "bomrl" : m, mean, std, seeds));
                List<String> cells = new ArrayList<>();
                for (int k = 0; k < steps; k++) {
                    cells.add(String.format(Locale.ROOT, "%.1f ± %.1f", mean[k], std[k]));
                }
                table.put(String.format(Locale.ROOT, "%-12s %-14s", m, mode0), cells);
            }
        }
        Map<String, double[]> paper = new HashMap<>();
        for (Map.Entry<String, String> s : PaperReference.LOCOMOTION_SERIES) {
            double[] ref = PaperReference.LOCOMOTION.get(base.family() + "/" + s.getKey());
            if (ref != null && wanted.contains(s.getKey())) {
                for (String mode : ContinuousResults.MODES) {
                    paper.put(base.family() + ", " + mode + "/" + s.getKey(), ref);
                }
            }
        }
        Path csvFile = Files.writeString(dir.resolve("compare.csv"), csv.toString());
        Path png = AdaptationPlot.write(plotted, paper, dir.resolve("compare.png"));
        out.println();
        out.printf("%s: mean undiscounted %d-step return over the %s test tasks after k = 0..%d adaptation steps"
                + " (mean ± std over %d seeds)%n", base.family(), base.horizon(), base.family(), base.testSteps(), seeds);
        table.forEach((m, cells) -> out.printf("%s %s%n", m, String.join("  ", cells)));
        for (Map.Entry<String, String> s : PaperReference.LOCOMOTION_SERIES) {
            double[] ref = PaperReference.LOCOMOTION.get(base.family() + "/" + s.getKey());
            if (ref != null) {
                out.printf("%-27s %s  (the authors, 500 iterations)%n", "paper " + s.getValue(),
                        FrozenLakeReproduction.format(ref));
            }
        }
        out.printf("Wrote %s, %s%n", csvFile, png);
    }
}
