package io.metastream.cli;

import io.metastream.cli.plots.AdaptationCurve;
import io.metastream.cli.plots.AdaptationPlot;
import io.metastream.cli.plots.GapBoundPlot;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.estimate.UntriedActions;
import io.metastream.core.meta.HypergradientKind;
import io.metastream.core.meta.TabularExperimentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code metastream frozenlake}: the Frozen Lake reproduction of the paper through the in-process
 * reference loop, over N seeds, writing {@code meta-test.csv}, {@code gap-bound.csv},
 * {@code benchmark.txt} and the plots {@code adaptation.png} and {@code gap-bound.png} into the run directory.
 */
@Command(name = "frozenlake", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's Frozen Lake results (meta-training + meta-test + optimality-gap bound)"
                + " with the in-process reference loop.")
final class FrozenLakeCommand implements Callable<Integer> {

    @Option(names = "--seeds", defaultValue = "3", description = "Number of seeds (0..N-1). Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--families", split = ",", defaultValue = "frozenlake-high,frozenlake-low",
            description = "Task families. Default: ${DEFAULT-VALUE}.")
    List<String> families;

    @Option(names = "--algs", split = ",", defaultValue = "1,2", description = "Within-task algorithms (1, 2, 3). Default: ${DEFAULT-VALUE}.")
    List<String> algs;

    @Option(names = "--iterations", description = "Meta-training iterations (paper: 150).")
    Integer iterations;

    @Option(names = "--hypergradient", defaultValue = "identity",
            description = "identity (the authors' approximation) or implicit. Default: ${DEFAULT-VALUE}.")
    String hypergradient;

    @Option(names = "--sarsa-sweeps", defaultValue = "20",
            description = "Expected-SARSA passes over each batch: 1 is the paper's single pass, more sweeps TD(0) to its fixed point on the one batch. Default: ${DEFAULT-VALUE}.")
    int sarsaSweeps;

    @Option(names = "--untried-actions", defaultValue = "state-value",
            description = "Q-hat of the state-action pairs a batch never tried: zero (the paper's initial value) or state-value (the mean over the tried actions, so their advantage is 0). Default: ${DEFAULT-VALUE}.")
    String untriedActions;

    @Option(names = "--parallelism", description = "Runs in parallel (default: available processors).")
    Integer parallelism;

    @Option(names = "--out", description = "Run directory (default: runs/frozenlake-<timestamp>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        HypergradientKind kind = HypergradientKind.parse(hypergradient);
        UntriedActions untried = UntriedActions.parse(untriedActions);
        List<TabularExperimentConfig> configs = new ArrayList<>();
        for (String family : families) {
            for (String a : algs) {
                TabularAlgorithm alg = TabularAlgorithm.parse(a);
                for (int seed = 0; seed < seeds; seed++) {
                    TabularExperimentConfig c = TabularExperimentConfig.paper(family, alg, seed).withHypergradient(kind)
                            .withSarsaSweeps(sarsaSweeps).withUntriedActions(untried);
                    configs.add(iterations == null ? c : c.withIterations(iterations));
                }
            }
        }
        Path dir = out != null ? out : Path.of("runs", "frozenlake-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        int threads = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "Frozen Lake reproduction: %d runs (%s x algs %s x %d seeds), hypergradient %s,"
                        + " sarsa sweeps %d, untried actions %s, %d in parallel -> %s%n", configs.size(), families, algs,
                seeds, kind, sarsaSweeps, untried.label(), threads, dir);
        long start = System.nanoTime();
        List<FrozenLakeReproduction.Outcome> outcomes = FrozenLakeReproduction.runAll(configs, threads, System.out);
        FrozenLakeReport report = new FrozenLakeReport(outcomes);
        report.writeCsv(dir.resolve("meta-test.csv"));
        report.writeGapCsv(dir.resolve("gap-bound.csv"));
        report.writeBenchmark(dir.resolve("benchmark.txt"), (System.nanoTime() - start) / 1e9, threads);
        List<Path> written = new ArrayList<>(List.of(dir.resolve("meta-test.csv"), dir.resolve("gap-bound.csv"),
                dir.resolve("benchmark.txt")));
        written.add(AdaptationPlot.write(AdaptationCurve.readCsv(dir.resolve("meta-test.csv"), null, null),
                PaperReference.CURVES, dir.resolve("adaptation.png")));
        GapBoundPlot.write(GapBoundPlot.readCsv(dir.resolve("gap-bound.csv")), PaperReference.GAP_BOUND,
                dir.resolve("gap-bound.png")).ifPresent(written::add);
        report.print(System.out);
        System.out.printf(Locale.ROOT, "Wrote %s%n", String.join(", ", written.stream().map(Path::toString).toList()));
        return 0;
    }


}
