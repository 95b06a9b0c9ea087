package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.ContinuousMetaTrainer;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.producers.RolloutWorker;
import io.metastream.streams.AdapterApp;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.StreamingTrainer;
import io.metastream.trainer.TrainerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code metastream bench}: the end-to-end benchmark of the pipeline against the in-process reference loop.
 * One invocation runs N meta-iterations of a config in-process (the reference loop, the round's tasks on as
 * many threads as the pipeline has cores) and then the same N through an embedded Kafka broker with every
 * role in this JVM (as {@code run} does, without the meta-test), and prints each round's wall time, the
 * medians over rounds 2..N (round 1 pays for JIT compilation and, in the pipeline, the consumer groups'
 * first joins), their ratio (in-process ÷ pipeline: 1 means Kafka costs nothing, 0.5 that the pipeline takes
 * twice as long), the pipeline's per-phase medians ({@code RoundTimings}), and the machine state (cores,
 * load average before and after, JVM, kernels). Synchronous configs compute the same meta-priors both ways,
 * and the command checks it. Results also go to {@code --out}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark: N meta-iterations through the pipeline (embedded broker) vs the in-process loop, with"
                + " per-phase times; prints medians of rounds 2..N and their ratio.")
final class BenchCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--rounds", defaultValue = "6", description = "Meta-iterations to time on each side (default ${DEFAULT-VALUE}; round 1 is warm-up).")
    int rounds;

    @Option(names = "--threads", description = "Threads of the in-process loop (default: the JVM's available processors).")
    Integer threads;

    @Option(names = "--only", description = "Run one side only: pipeline or in-process (default: both).")
    String only;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the report to FILE.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (rounds < 2) {
            throw new IllegalArgumentException("--rounds must be at least 2 (round 1 is warm-up), got " + rounds);
        }
        if (only != null && !only.equals("pipeline") && !only.equals("in-process")) {
            throw new IllegalArgumentException("--only takes pipeline or in-process, got '" + only + "'");
        }
        List<String> overrides = new ArrayList<>(config.overrides);
        overrides.add("iterations=" + rounds);
        RunConfig base = RunConfig.load(config.config, overrides);
        base.requireRunnable();
        String id = base.experimentId() + "-bench-" + Instant.now().toEpochMilli();
        RunConfig ef = base.withExperimentId(id);
        int cores = Runtime.getRuntime().availableProcessors();
        int t = threads != null ? threads : cores;
        StringBuilder report = new StringBuilder();
        PrintStream console = System.out;
        Report r = new Report(console, report);
        r.line("metastream bench: %s (%s), %d rounds; %d cores, load average %.2f at start; JVM %s; kernels %s",
                config.config, ef.experiment().family(), rounds, cores, load(), System.getProperty("java.version"),
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "Vector API" : "scalar loops");
        double[] inProcess = null;
        List<double[]> inProcessPhis = new ArrayList<>();
        if (!"pipeline".equals(only)) {
            r.line("in-process reference loop (%d threads) ...", t);
            inProcess = inProcess(ef, t, inProcessPhis, r);
        }
        double[] pipeline = null;
        List<double[]> pipelinePhis = new ArrayList<>();
        Map<String, List<Double>> phases = new TreeMap<>();
        if (!"in-process".equals(only)) {
            r.line("pipeline (embedded broker, %d workers, %d partitions, max-staleness %d) ...", ef.workers(),
                    ef.partitions(), ef.maxStaleness());
            pipeline = pipeline(ef, pipelinePhis, phases, r);
        }
        r.line("");
        r.line("median of rounds 2..%d (s per meta-iteration):", rounds);
        if (inProcess != null) {
            r.line("  in-process %.3f", median(inProcess));
        }
        if (pipeline != null) {
            r.line("  pipeline   %.3f", median(pipeline));
            for (String key : ProgressCsv.PHASE_KEYS) {
                List<Double> v = phases.get(key);
                if (v != null) {
                    r.line("    %-24s %.3f", key, median(v.stream().mapToDouble(Double::doubleValue).toArray()));
                }
            }
        }
        if (inProcess != null && pipeline != null) {
            r.line("  ratio in-process / pipeline: %.3f", median(inProcess) / median(pipeline));
            if (ef.maxStaleness() == 0) {
                boolean same = inProcessPhis.size() == pipelinePhis.size();
                for (int i = 0; same && i < inProcessPhis.size(); i++) {
                    same = Arrays.equals(inProcessPhis.get(i), pipelinePhis.get(i));
                }
                r.line("  meta-priors of the two sides: %s", same ? "bit-identical" : "DIFFERENT");
            }
        }
        r.line("load average at the end %.2f", load());
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report.toString());
            console.println("Wrote " + out);
        }
        return 0;
    }

    /** Round wall times of rounds 2..N of the in-process loop; its meta-priors into {@code phis}. */
    private double[] inProcess(RunConfig ef, int threads, List<double[]> phis, Report r) {
        List<Double> times = new ArrayList<>();
        long[] last = {System.nanoTime()};
        if (ef instanceof ContinuousExperimentFile c) {
            ContinuousTaskFamily<?> family = c.family();
            train(c.experiment(), family, threads, s -> {
                long now = System.nanoTime();
                times.add((now - last[0]) / 1e9);
                phis.add(s.phi());
                r.line("  round %d  %.3f s  POST return %.3f", s.iteration() + 1, (now - last[0]) / 1e9, s.postReturn());
                last[0] = System.nanoTime();
            });
        } else {
            TabularExperimentConfig exp = ((ExperimentFile) ef).experiment();
            new TabularMetaTrainer(exp).train(s -> {
                long now = System.nanoTime();
                times.add((now - last[0]) / 1e9);
                r.line("  round %d  %.3f s  POST return %.3f", s.iteration() + 1, (now - last[0]) / 1e9, s.postReturn());
                last[0] = System.nanoTime();
            });
        }
        return afterFirst(times);
    }

    private static <T> void train(ContinuousExperimentConfig exp, ContinuousTaskFamily<T> family, int threads,
                                  java.util.function.Consumer<ContinuousMetaTrainer.IterationStats> progress) {
        new ContinuousMetaTrainer<>(exp, family).train(progress, threads);
    }

    /** Round wall times (the trainer's roundSeconds) of rounds 2..N through the pipeline; meta-priors and phases collected. */
    private double[] pipeline(RunConfig ef, List<double[]> phis, Map<String, List<Double>> phases, Report r)
            throws IOException {
        List<Double> times = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            String bootstrap = broker.bootstrapServers();
            ExperimentTopics.create(bootstrap, ef.experimentId(), ef.partitions(), (short) 1, Map.of());
            List<RolloutWorker> workers = new ArrayList<>();
            try (AdapterApp adapter = RunSession.adapter(ef, bootstrap, Map.of(), null).start()) {
                for (int w = 0; w < ef.workers(); w++) {
                    workers.add(RolloutWorker.start(RunSession.worker(ef, "worker-" + w, bootstrap, Map.of())));
                }
                TrainerConfig tc = new TrainerConfig(ef.experimentId(), bootstrap, ef.experiment(), Duration.ofMinutes(10),
                        ef.maxStaleness(), Map.of(), ef.canonicalText());
                try (StreamingTrainer trainer = new StreamingTrainer(tc)) {
                    trainer.run(s -> {
                        double secs = s.diagnostics().getOrDefault("roundSeconds", Double.NaN);
                        times.add(secs);
                        phis.add(s.phi());
                        if (s.round() > 0) {
                            for (String key : ProgressCsv.PHASE_KEYS) {
                                Double v = s.diagnostics().get(key);
                                if (v != null && !v.isNaN()) {
                                    phases.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
                                }
                            }
                        }
                        r.line("  round %d  %.3f s  POST return %.3f%s", s.round() + 1, secs, s.postReturn(),
                                ProgressCsv.phases(s.diagnostics()));
                    }, note -> { });
                }
            } finally {
                for (RolloutWorker w : workers) {
                    w.close();
                }
            }
        }
        return afterFirst(times);
    }

    private static double[] afterFirst(List<Double> times) {
        return times.subList(1, times.size()).stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Prints to the console and keeps the text for {@code --out}. */
    private record Report(PrintStream console, StringBuilder text) {
        synchronized void line(String format, Object... args) {
            String s = String.format(Locale.ROOT, format, args);
            console.println(s);
            text.append(s).append('\n');
        }
    }
}
