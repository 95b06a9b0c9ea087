package io.metastream.cli;

import io.metastream.cli.plots.AdaptationCurve;
import io.metastream.cli.plots.AdaptationPlot;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.meta.TabularExperimentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code metastream compare}: several methods on one task family, side by side, over seeds 0..N−1,
 * through the in-process reference loop (bit-identical to the synchronous pipeline, tested): one
 * combined table ({@code compare.csv}: method, family, alg, step, mean, std, seeds) and one plot
 * of return against adaptation steps with ±std bands.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run several methods on the config's task family over N seeds and write one combined table and plot.",
                "Frozen Lake methods: bomrl-alg1, bomrl-alg2, bomrl-alg3, random-init, policy-gradient. BO-MRL runs use the"
                        + " config file's keys; for an algorithm other than the file's, lambda-train and lambda-test take the"
                        + " paper's value for that algorithm. The baselines start from the meta-prior trained with the file's alg.",
                "Continuous methods (pointnav, MuJoCo): bomrl-alg1, bomrl-alg2, bomrl-alg3, maml-vpg, maml-trpo, promp, e-maml,"
                        + " random-init; each is meta-trained in-process with the file's keys and meta-tested on the family's"
                        + " test tasks with its own adaptation step (deterministic and stochastic returns)."})
final class CompareCommand implements java.util.concurrent.Callable<Integer> {

    static final List<String> TABULAR_METHODS = List.of("bomrl-alg1", "bomrl-alg2", "bomrl-alg3", "random-init", "policy-gradient");
    static final List<String> CONTINUOUS_ONLY = List.of("maml-vpg", "maml-trpo", "promp", "e-maml");

    @Mixin
    ConfigOptions config;

    @Option(names = "--methods", split = ",", description = "Methods, comma-separated. Default: Frozen Lake"
            + " bomrl-alg1,bomrl-alg2,random-init,policy-gradient; continuous bomrl-<the file's alg>,maml-trpo,random-init.")
    List<String> methods;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds 0..N-1. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--parallelism", description = "Runs in parallel (default: available processors).")
    Integer parallelism;

    @Option(names = "--out", description = "Output directory (default: runs/compare-<family>-<timestamp>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        RunConfig any = config.loadAny();
        int threads = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            throw new IllegalArgumentException("--parallelism must be >= 1, got " + threads);
        }
        if (any instanceof ContinuousExperimentFile continuous) {
            continuous.requireCurrentNumerics("compare");
            Path dir = outputDir(continuous.experiment().family());
            ContinuousCompare.run(continuous, config.config, config.overrides,
                    methods != null ? methods : ContinuousCompare.defaults(continuous), seeds, threads, dir, System.out);
            return 0;
        }
        ExperimentFile base = config.load();
        if (methods == null) {
            methods = List.of("bomrl-alg1", "bomrl-alg2", "random-init", "policy-gradient");
        }
        String text = Files.readString(config.config);
        Set<String> wanted = new LinkedHashSet<>();
        for (String m : methods) {
            String name = m.trim().toLowerCase(Locale.ROOT);
            if (CONTINUOUS_ONLY.contains(name)) {
                throw new IllegalArgumentException("--methods: '" + name + "' is a continuous-control baseline; on "
                        + base.experiment().family() + " the methods are " + String.join(", ", TABULAR_METHODS));
            }
            if (!TABULAR_METHODS.contains(name)) {
                throw new IllegalArgumentException("--methods: unknown method '" + m + "' (known: "
                        + String.join(", ", TABULAR_METHODS) + ")");
            }
            wanted.add(name);
        }
        TabularAlgorithm fileAlg = base.experiment().alg();
        Set<TabularAlgorithm> algs = new LinkedHashSet<>();
        for (String m : wanted) {
            algs.add(m.startsWith("bomrl-") ? TabularAlgorithm.parse(m.substring("bomrl-".length())) : fileAlg);
        }
        List<TabularExperimentConfig> runs = new ArrayList<>();
        for (TabularAlgorithm alg : algs) {
            for (int seed = 0; seed < seeds; seed++) {
                Map<String, Object> raw = ExperimentFile.rawMap(text, "config " + config.config, config.overrides);
                if (alg != fileAlg) {
                    raw.remove("lambda-train");
                    raw.remove("lambda-test");
                }
                raw.put("alg", alg.name().substring(3));
                raw.put("seed", seed);
                runs.add(ExperimentFile.fromMap(raw, "config " + config.config).experiment());
            }
        }
        String family = base.experiment().family();
        Path dir = outputDir(family);
        System.out.printf(Locale.ROOT, "compare on %s: %s over %d seeds (%d meta-trainings of %d iterations, %d in parallel) -> %s%n",
                family, String.join(", ", wanted), seeds, runs.size(), base.experiment().iterations(), threads, dir);
        List<FrozenLakeReproduction.Outcome> outcomes = FrozenLakeReproduction.runAll(runs, threads, System.out);
        Path all = dir.resolve("all-methods.csv");
        new FrozenLakeReport(outcomes).writeCsv(all);
        String fileAlgName = fileAlg.name().toLowerCase(Locale.ROOT);
        StringBuilder csv = new StringBuilder();
        Map<String, List<String>> table = new LinkedHashMap<>();
        for (String line : Files.readAllLines(all)) {
            if (csv.length() == 0) {
                csv.append(line).append('\n');
                continue;
            }
            String[] f = line.split(",");
            String method = f[0].equals("bomrl") ? "bomrl-" + f[2] : f[0];
            boolean keep = wanted.contains(method) && (f[0].equals("bomrl") || f[2].equals(fileAlgName));
            if (keep) {
                csv.append(line).append('\n');
                table.computeIfAbsent(method, k -> new ArrayList<>()).add(String.format(Locale.ROOT, "%.3f ± %.3f",
                        Double.parseDouble(f[4]), Double.parseDouble(f[5])));
            }
        }
        Files.delete(all);
        Path csvFile = Files.writeString(dir.resolve("compare.csv"), csv.toString());
        Path png = AdaptationPlot.write(AdaptationCurve.readCsv(csvFile, family, null), PaperReference.CURVES,
                dir.resolve("compare.png"));
        System.out.println();
        System.out.printf("%s: mean accumulated reward over the test tasks after k adaptation steps (mean ± std over %d seeds)%n",
                family, seeds);
        table.forEach((m, cells) -> System.out.printf("%-16s %s%n", m, String.join("  ", cells)));
        System.out.printf("Wrote %s, %s%n", csvFile, png);
        return 0;
    }

    private Path outputDir(String family) throws java.io.IOException {
        Path dir = out != null ? out : Path.of("runs", "compare-" + family + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return Files.createDirectories(dir);
    }
}
