package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.cli.plots.AdaptationCurve;
import io.metastream.cli.plots.AdaptationPlot;
import io.metastream.cli.plots.ProgressPlot;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTest;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.streams.AdapterApp;
import io.metastream.streams.AdapterConfig;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.StreamingTrainer;
import io.metastream.trainer.TrainerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code demo}, {@code run} and {@code trainer} share: start the roles, train with progress
 * lines, and print and write the meta-test of the trained meta-prior into the run directory
 * ({@code progress.csv}, {@code meta-test.csv}, {@code config.txt}, and the plots {@code progress.png}
 * and {@code adaptation.png}).
 */
final class RunSession {

    private RunSession() {
    }

    /** Every role in this JVM; an embedded broker when {@code bootstrapOrNull} is null. */
    static void runAll(ExperimentFile ef, String bootstrapOrNull, Map<String, String> clientProps, Path dir, PrintStream out)
            throws IOException {
        EmbeddedKafkaBroker broker = null;
        String bootstrap = bootstrapOrNull;
        if (bootstrap == null) {
            broker = EmbeddedKafkaBroker.builder().build().start();
            bootstrap = broker.bootstrapServers();
            out.printf(Locale.ROOT, "embedded Kafka broker (KRaft) up at %s in %d ms%n", bootstrap, broker.lastStartupMillis());
        }
        List<RolloutWorker> workers = new ArrayList<>();
        try {
            ExperimentTopics.create(bootstrap, ef.experimentId(), ef.partitions(), (short) 1, Map.copyOf(clientProps));
            try (AdapterApp adapter = adapter(ef, bootstrap, clientProps, null).start()) {
                for (int w = 0; w < ef.workers(); w++) {
                    workers.add(RolloutWorker.start(WorkerConfig.of(ef.experimentId(), "worker-" + w, bootstrap)
                            .withClientProperties(clientProps)));
                }
                train(ef, bootstrap, clientProps, dir, out);
            } finally {
                for (RolloutWorker w : workers) {
                    w.close();
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** Runs the trainer against {@code bootstrap}, then the meta-test; returns the final meta-prior. */
    static double[] train(ExperimentFile ef, String bootstrap, Map<String, String> clientProps, Path dir, PrintStream out)
            throws IOException {
        Files.createDirectories(dir);
        TabularExperimentConfig exp = ef.experiment();
        Files.writeString(dir.resolve("config.txt"), ef + System.lineSeparator());
        int iterations = exp.iterations();
        double perRound = 2.0 * exp.episodes() * exp.tasksPerIteration();
        StringBuilder csv = new StringBuilder("round,version,pre_return,post_return,staleness,elapsed_s,trajectories_per_s\n");
        TrainerConfig tc = new TrainerConfig(ef.experimentId(), bootstrap, exp, Duration.ofMinutes(10), ef.maxStaleness(),
                Map.copyOf(clientProps));
        double[] phi;
        double[][] pipelineEval;
        try (StreamingTrainer trainer = new StreamingTrainer(tc)) {
            long start = System.nanoTime();
            phi = trainer.run(r -> {
                double secs = (System.nanoTime() - start) / 1e9;
                double rate = perRound * (r.round() + 1) / secs;
                out.printf(Locale.ROOT, "round %d/%d  PRE return %.3f  POST return %.3f  staleness %d  %.0f trajectories/s"
                                + "  elapsed %.0f s  ETA %.0f s%n", r.round() + 1, iterations, r.preReturn(), r.postReturn(),
                        r.staleness(), rate, secs, secs / (r.round() + 1) * (iterations - r.round() - 1));
                csv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%d,%.3f,%.1f%n", r.round(), r.newVersion(),
                        r.preReturn(), r.postReturn(), r.staleness(), secs, rate));
            });
            Files.writeString(dir.resolve("progress.csv"), csv.toString());
            out.printf("meta-test through the pipeline: %d test tasks x %d adaptation steps ...%n",
                    FrozenLakeFamily.byName(exp.family()).testTasks().size(), exp.testSteps());
            pipelineEval = trainer.evaluate(iterations, phi);
        }
        metaTest(exp, phi, pipelineEval, dir, out);
        String alg = exp.alg().name().toLowerCase(Locale.ROOT);
        Path progressPng = ProgressPlot.write(dir.resolve("progress.csv"), ef.experimentId() + ", " + exp.family() + ", " + alg,
                dir.resolve("progress.png"));
        Path adaptationPng = AdaptationPlot.write(AdaptationCurve.readCsv(dir.resolve("meta-test.csv"), exp.family(), alg),
                PaperReference.CURVES, dir.resolve("adaptation.png"));
        out.printf("Wrote %s, %s, %s, %s, %s%n", dir.resolve("config.txt"), dir.resolve("progress.csv"),
                dir.resolve("meta-test.csv"), progressPng, adaptationPng);
        return phi;
    }

    /**
     * The experiment's adapter with {@code clientProps} passed to its Kafka clients and its RocksDB
     * state in {@code stateDir} (a fresh temporary directory when null: the state is then restored
     * from the changelog topics on start).
     */
    static AdapterApp adapter(ExperimentFile ef, String bootstrap, Map<String, String> clientProps, Path stateDir)
            throws IOException {
        AdapterConfig config = AdapterConfig.of(ef.experimentId(), ef.experiment());
        Path dir = stateDir != null ? Files.createDirectories(stateDir) : Files.createTempDirectory(config.applicationId() + "-state");
        return AdapterApp.create(config, bootstrap, dir, clientProps);
    }

    private static void metaTest(TabularExperimentConfig exp, double[] phi, double[][] pipelineEval, Path dir,
                                 PrintStream out) throws IOException {
        List<FrozenLakeMap> tasks = FrozenLakeFamily.byName(exp.family()).testTasks();
        TabularMetaTest test = new TabularMetaTest(exp);
        StringBuilder csv = new StringBuilder("method,step,mean\n");
        out.println();
        out.printf("Meta-test of the trained meta-prior (%d test tasks of %s; mean accumulated reward after k adaptation steps)%n",
                tasks.size(), exp.family());
        out.printf("%-16s %s%n", "method", "k = 0.." + exp.testSteps());
        for (TabularMetaTest.Method m : TabularMetaTest.Method.values()) {
            // BO-MRL from the pipeline's EVAL rounds; the baselines in-process with the same seeds
            double[] curve = TabularMetaTest.meanOverTasks(m == TabularMetaTest.Method.BOMRL ? pipelineEval
                    : test.evaluate(m, phi, tasks));
            out.printf("%-16s %s%s%n", m.label(), FrozenLakeReproduction.format(curve),
                    m == TabularMetaTest.Method.BOMRL ? "  (EVAL rounds through Kafka)" : "  (in-process, same seeds)");
            for (int k = 0; k < curve.length; k++) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%.6f%n", m.label(), k, curve[k]));
            }
        }
        double[] ref = PaperReference.CURVES.get(exp.family() + "/bomrl-" + exp.alg().name().toLowerCase(Locale.ROOT));
        if (ref != null) {
            out.printf("%-16s %s  (150 iterations)%n", "paper BO-MRL", FrozenLakeReproduction.format(ref));
        }
        Files.writeString(dir.resolve("meta-test.csv"), csv.toString());
    }

    /** Blocks the calling thread until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes {@code resource}. */
    static void runUntilStopped(AutoCloseable resource, String what, PrintStream out) throws InterruptedException {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println(what + ": stopping");
            try {
                resource.close();
            } catch (Exception e) {
                out.println(what + ": error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }));
        out.println(what + ": running; stop with SIGTERM or Ctrl-C");
        stopped.await();
    }
}
