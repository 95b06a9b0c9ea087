package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.cli.plots.AdaptationCurve;
import io.metastream.cli.plots.AdaptationPlot;
import io.metastream.cli.plots.GapBoundPlot;
import io.metastream.cli.plots.ProgressPlot;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.MetaExperiment;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTest;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.streams.AdapterApp;
import io.metastream.streams.AdapterConfig;
import io.metastream.trainer.ExperimentLog;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code demo}, {@code run} and {@code trainer} share: start the roles, train with progress
 * lines, and print and write the meta-test of the trained meta-prior into the run directory
 * ({@code progress.csv}, {@code meta-test.csv}, {@code config.txt}, and the plots {@code progress.png}
 * and {@code adaptation.png}). Tabular experiments run their meta-test through the pipeline (EVAL
 * rounds); continuous ones in-process ({@link ContinuousResults}), as core's meta-test prescribes.
 */
final class RunSession {

    private RunSession() {
    }

    /** Every role in this JVM; an embedded broker when {@code bootstrapOrNull} is null. */
    static void runAll(RunConfig ef, String bootstrapOrNull, Map<String, String> clientProps, Path dir, PrintStream out)
            throws IOException {
        runAll(ef, bootstrapOrNull, clientProps, dir, out, null);
    }

    /** As above, with every role's metrics bound to {@code metrics} (none when null). */
    static void runAll(RunConfig ef, String bootstrapOrNull, Map<String, String> clientProps, Path dir, PrintStream out,
                       MetricsEndpoint metrics) throws IOException {
        runAll(ef, bootstrapOrNull, null, clientProps, dir, out, metrics);
    }

    /**
     * As above; the embedded broker (when {@code bootstrapOrNull} is null) keeps its log in
     * {@code brokerLogDirOrNull} (a temporary directory, deleted on exit, when null).
     */
    static void runAll(RunConfig ef, String bootstrapOrNull, Path brokerLogDirOrNull, Map<String, String> clientProps, Path dir,
                       PrintStream out, MetricsEndpoint metrics) throws IOException {
        try (GracefulStop stop = new GracefulStop(out)) {
            runAll(ef, bootstrapOrNull, brokerLogDirOrNull, clientProps, dir, out, stop, metrics);
        }
    }

    /** Where {@code run} and {@code demo} keep the embedded broker's log by default: under the run directory. */
    static Path keptLogDir(Path runDirectory) {
        return runDirectory.resolve("kafka-log");
    }

    /**
     * Refuses to write into a run directory that holds an earlier run of {@code id} unless the experiment is on this
     * cluster, where the trainer resumes it (or refuses another configuration): a directory is never overwritten by a
     * fresh start. {@code bootstrap} null: a new ephemeral broker, which holds no experiment.
     */
    static void requireNoOtherRun(Path dir, String bootstrap, Map<String, String> clientProps, String id) {
        if (Files.exists(dir.resolve("config.txt"))
                && (bootstrap == null || ExperimentLog.read(bootstrap, clientProps, id).manifest() == null)) {
            throw new IllegalArgumentException("run directory " + dir + " holds an earlier run of " + id + " whose Kafka"
                    + " log is not on this broker (it ran with --ephemeral, another --broker-log-dir or another cluster):"
                    + " nothing there is overwritten; choose another --out, or resume that run where its log is");
        }
    }

    /** "12.3 MB": the bytes under {@code dir}. */
    static String sizeOf(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "size unknown";
        }
    }

    private static void runAll(RunConfig ef, String bootstrapOrNull, Path brokerLogDirOrNull, Map<String, String> clientProps,
                               Path dir, PrintStream out, GracefulStop stop, MetricsEndpoint metrics) throws IOException {
        EmbeddedKafkaBroker broker = null;
        String bootstrap = bootstrapOrNull;
        if (bootstrap == null && brokerLogDirOrNull == null) {
            requireNoOtherRun(dir, null, clientProps, ef.experimentId());   // before starting a broker for nothing
        }
        if (bootstrap == null) {
            EmbeddedKafkaBroker.Builder b = EmbeddedKafkaBroker.builder();
            if (brokerLogDirOrNull != null) {
                b.logDir(brokerLogDirOrNull);
            }
            broker = b.build().start();
            bootstrap = broker.bootstrapServers();
            out.printf(Locale.ROOT, "embedded Kafka broker (KRaft) up at %s in %d ms (log dir %s%s)%n", bootstrap,
                    broker.lastStartupMillis(), broker.logDir(), brokerLogDirOrNull == null ? ", deleted on exit" : ", kept");
        }
        List<RolloutWorker> workers = new ArrayList<>();
        try {
            ExperimentTopics.create(bootstrap, ef.experimentId(), ef.partitions(), (short) 1, Map.copyOf(clientProps));
            requireNoOtherRun(dir, bootstrap, clientProps, ef.experimentId());
            try (AdapterApp adapter = adapter(ef, bootstrap, clientProps, null).start()) {
                bindAdapter(metrics, adapter);
                for (int w = 0; w < ef.workers(); w++) {
                    workers.add(RolloutWorker.start(worker(ef, "worker-" + w, bootstrap, clientProps)));
                    bindWorker(metrics, workers.get(w));
                }
                // a role that dies (or the embedded broker, e.g. on a full disk) stops the run (the trainer at its next committed point) instead of leaving it to
                // wait for a round that cannot complete
                EmbeddedKafkaBroker embedded = broker;
                Thread watchdog = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        java.util.Optional<String> cause = embedded == null ? java.util.Optional.empty() : embedded.failure();
                        if (cause.isEmpty()) {
                            cause = adapter.failure();
                        }
                        for (RolloutWorker w : workers) {
                            if (cause.isEmpty() && w.failure().isPresent()) {
                                cause = java.util.Optional.of(w.config().workerId() + " stopped: "
                                        + String.valueOf(w.failure().get().getMessage()).replaceAll("\\s*\\R\\s*", " "));
                            }
                        }
                        if (cause.isPresent()) {
                            stop.fail(cause.get());
                            return;
                        }
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "metastream-role-watchdog");
                watchdog.setDaemon(true);
                watchdog.start();
                try {
                    train(ef, bootstrap, clientProps, dir, out, stop, metrics);
                } finally {
                    watchdog.interrupt();
                    if (embedded != null && embedded.failure().isPresent()) {
                        adapter.close(java.time.Duration.ofSeconds(2));   // its commits cannot complete: do not wait for them
                    }
                }
                if (stop.failure() != null) {
                    throw new RoleFailedException(stop.failure() + "; every role stopped, the rounds decided so far are"
                            + " committed: fix the cause and run the same command to resume");
                }
            } finally {
                for (RolloutWorker w : workers) {
                    w.close();
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
                if (brokerLogDirOrNull != null) {
                    out.printf("the embedded broker's log is kept in %s (%s): 'metastream broker --log-dir %s' serves it to"
                            + " report and replay, and the same command resumes the run from it%n", brokerLogDirOrNull,
                            sizeOf(brokerLogDirOrNull), brokerLogDirOrNull);
                }
            }
        }
    }

    /** Runs the trainer against {@code bootstrap}, then the meta-test; returns the final meta-prior. */
    static double[] train(RunConfig ef, String bootstrap, Map<String, String> clientProps, Path dir, PrintStream out,
                          MetricsEndpoint metrics) throws IOException {
        try (GracefulStop stop = new GracefulStop(out)) {
            return train(ef, bootstrap, clientProps, dir, out, stop, metrics);
        }
    }

    /** As above, stopping gracefully on SIGTERM through {@code stop}; returns null when stopped before the end. */
    private static double[] train(RunConfig ef, String bootstrap, Map<String, String> clientProps, Path dir,
                                  PrintStream out, GracefulStop stop, MetricsEndpoint metrics) throws IOException {
        Files.createDirectories(dir);
        MetaExperiment exp = ef.experiment();
        Files.writeString(dir.resolve("config.txt"), ef + System.lineSeparator());
        int iterations = exp.iterations();
        ProgressCsv csv = ef instanceof ContinuousExperimentFile c ? new ProgressCsv(c.trajectoriesPerRound())
                : new ProgressCsv((ExperimentFile) ef);
        TrainerConfig tc = new TrainerConfig(ef.experimentId(), bootstrap, exp, Duration.ofMinutes(10), ef.maxStaleness(),
                Map.copyOf(clientProps), ef.canonicalText());
        double[] phi;
        double[][] pipelineEval = null;
        RunningMoments moments = null;
        try (StreamingTrainer trainer = new StreamingTrainer(tc); ConsumerLag lag = new ConsumerLag(bootstrap, clientProps,
                ef.experimentId())) {
            stop.onStop(trainer::requestStop);
            if (metrics != null) {
                metrics.bindClients("trainer", trainer.kafkaClients());
                metrics.gauge("trainer.rounds.completed", "trainer", "meta-updates applied by this trainer process",
                        trainer::roundsCompleted);
            }
            // a resumed run's progress.csv starts with the rounds already in the log (their metrics records)
            Report.readMetrics(bootstrap, clientProps, ef.experimentId()).rounds()
                    .forEach((round, m) -> csv.add(round, round + 1L, m.getValues()));
            double recordedSecs = csv.elapsed();
            int[] done = {0};   // rounds done by this process (a resumed run starts after the recorded ones)
            phi = trainer.run(r -> {
                double rate = csv.add(r.round(), r.newVersion(), r.diagnostics());
                writeProgress(dir, csv, out);   // after every round, so a long run's file is always current
                done[0]++;
                double secs = csv.elapsed();
                out.printf(Locale.ROOT, "round %d/%d  PRE return %.3f  POST return %.3f  staleness %d  %.0f trajectories/s"
                                + "  %s  round %.1f s  elapsed %.0f s  ETA %.0f s%s%n", r.round() + 1, iterations, r.preReturn(),
                        r.postReturn(), r.staleness(), rate, lag.describe(), r.diagnostics().getOrDefault("roundSeconds", Double.NaN),
                        secs, (secs - recordedSecs) / done[0] * (iterations - r.round() - 1), ProgressCsv.phases(r.diagnostics()));
            }, out::println);
            Files.writeString(dir.resolve("progress.csv"), csv.text());
            if (trainer.stopped()) {
                out.printf("Wrote %s; the experiment is not finished: run the same command again to resume it%n",
                        dir.resolve("progress.csv"));
                return null;
            }
            if (ef instanceof ExperimentFile tab) {
                out.printf("meta-test through the pipeline: %d test tasks x %d adaptation steps ...%n",
                        FrozenLakeFamily.byName(tab.experiment().family()).testTasks().size(), exp.testSteps());
                pipelineEval = trainer.evaluate(iterations, phi);
            } else {
                moments = trainer.observationMoments();
            }
        }
        Files.writeString(dir.resolve("manifest.txt"), Report.manifestText(bootstrap, clientProps, ef.experimentId()));
        if (ef instanceof ContinuousExperimentFile c) {
            // the in-process meta-test of a MuJoCo run takes minutes: SIGTERM ends it after the current test task
            AtomicBoolean stopRequested = new AtomicBoolean();
            stop.onStop(() -> stopRequested.set(true));
            try {
                ContinuousResults.write(c, phi, moments, dir, out,
                        () -> ExperimentLog.read(bootstrap, clientProps, ef.experimentId()).priors(), stopRequested::get);
            } catch (ContinuousResults.Stopped e) {
                out.printf("meta-test stopped (SIGTERM): the training is complete and committed in the log; wrote %s and %s."
                        + " 'metastream report --experiment %s' runs the meta-test from the log%n",
                        dir.resolve("progress.csv"), dir.resolve("manifest.txt"), ef.experimentId());
                return null;
            }
        } else {
            writeResults((ExperimentFile) ef, phi, pipelineEval, dir, out);
        }
        return phi;
    }

    /** Rewrites progress.csv; a failure is reported, not fatal (the file is derived: 'report' rebuilds it from the log). */
    private static void writeProgress(Path dir, ProgressCsv csv, PrintStream out) {
        try {
            Files.writeString(dir.resolve("progress.csv"), csv.text());
        } catch (IOException e) {
            out.println("warning: could not write " + dir.resolve("progress.csv") + " (" + e + "); training goes on, and"
                    + " 'metastream report' rebuilds the file from the log");
        }
    }

    /** A worker of {@code ef}'s experiment (it checks assignments against the run's rounds and slots). */
    static WorkerConfig worker(RunConfig ef, String workerId, String bootstrap, Map<String, String> clientProps) {
        return WorkerConfig.of(ef.experimentId(), workerId, bootstrap).withClientProperties(clientProps)
                .withExperiment(ef.experiment());
    }

    static void bindWorker(MetricsEndpoint metrics, RolloutWorker worker) {
        if (metrics != null) {
            metrics.bindClients("worker", worker.kafkaClients());
            metrics.gauge("worker.episodes.published", "worker", "trajectories published and acknowledged",
                    worker::episodesPublished);
        }
    }

    static void bindAdapter(MetricsEndpoint metrics, AdapterApp adapter) {
        if (metrics != null) {
            adapter.kafkaStreams().forEach(s -> metrics.bindStreams("adapter", s));
        }
    }

    /**
     * The experiment's adapter with {@code clientProps} passed to its Kafka clients and its RocksDB
     * state in {@code stateDir} (a fresh temporary directory when null: the state is then restored
     * from the changelog topics on start).
     */
    static AdapterApp adapter(RunConfig ef, String bootstrap, Map<String, String> clientProps, Path stateDir)
            throws IOException {
        AdapterConfig config = AdapterConfig.of(ef.experimentId(), ef.experiment());
        Path dir = stateDir != null ? Files.createDirectories(stateDir) : Files.createTempDirectory(config.applicationId() + "-state");
        return AdapterApp.create(config, bootstrap, dir, clientProps);
    }

    /**
     * The meta-test table ({@code meta-test.csv}: BO-MRL from the pipeline's EVAL rounds, the
     * baselines in-process from the same φ and seeds) and the plots of the run directory.
     */
    static void writeResults(ExperimentFile ef, double[] phi, double[][] pipelineEval, Path dir, PrintStream out)
            throws IOException {
        TabularExperimentConfig exp = ef.experiment();
        metaTest(exp, phi, pipelineEval, dir, out);
        String alg = exp.alg().name().toLowerCase(Locale.ROOT);
        Path progressPng = ProgressPlot.write(dir.resolve("progress.csv"), ef.experimentId() + ", " + exp.family() + ", " + alg,
                dir.resolve("progress.png"));
        Path adaptationPng = AdaptationPlot.write(AdaptationCurve.readCsv(dir.resolve("meta-test.csv"), exp.family(), alg),
                PaperReference.CURVES, dir.resolve("adaptation.png"));
        List<FrozenLakeReproduction.GapRow> gaps = FrozenLakeReproduction.gapRows(exp, phi, pipelineEval);
        String gapPng = "";
        if (!gaps.isEmpty()) {
            new FrozenLakeReport(List.of(new FrozenLakeReproduction.Outcome(exp, null, null, null, gaps, 0)))
                    .writeGapCsv(dir.resolve("gap-bound.csv"));
            gapPng = GapBoundPlot.write(GapBoundPlot.readCsv(dir.resolve("gap-bound.csv")), PaperReference.GAP_BOUND,
                    dir.resolve("gap-bound.png")).map(p -> ", " + dir.resolve("gap-bound.csv") + ", " + p).orElse("");
        }
        out.printf("Wrote %s, %s, %s, %s, %s%s%n", dir.resolve("manifest.txt"), dir.resolve("progress.csv"),
                dir.resolve("meta-test.csv"), progressPng, adaptationPng, gapPng);
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

    /**
     * Graceful stop on SIGTERM (or Ctrl-C) for a command that runs in the foreground: the shutdown
     * hook runs the registered stop action (the trainer returns at its next committed point), then
     * waits (at most 60 s) until the command has closed its roles, which {@link #close()} signals.
     */
    static final class GracefulStop implements AutoCloseable {

        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        private final Thread hook;
        private volatile Runnable action = () -> { };
        private volatile String failure;

        GracefulStop(PrintStream out) {
            this.hook = new Thread(() -> {
                out.println("metastream: stop requested (SIGTERM); finishing the current step and closing every role ...");
                action.run();
                try {
                    if (!closed.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                        out.println("metastream: roles did not close within 60 s; exiting anyway");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "metastream-graceful-stop");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        void onStop(Runnable r) {
            this.action = r;
            if (failure != null) {
                r.run();   // a role died before this action was registered
            }
        }

        /** A role died: stop as on SIGTERM, remembering why. */
        void fail(String cause) {
            if (failure == null) {
                failure = cause;
                action.run();
            }
        }

        /** Why {@link #fail} stopped the command, or null. */
        String failure() {
            return failure;
        }

        @Override
        public void close() {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running and has just been released
            }
        }
    }

    /**
     * Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes {@code resource} and returns 0; or until
     * {@code failure} names why the role can no longer work (checked twice a second), then closes it, prints one line
     * on stderr and returns 1, so a supervisor sees the role die.
     */
    static int runUntilStoppedOrFailed(AutoCloseable resource, String what, PrintStream out,
                                       java.util.function.Supplier<java.util.Optional<String>> failure)
            throws InterruptedException {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println(what + ": stopping");
            closeQuietly(resource, what, out);
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(what + ": running; stop with SIGTERM or Ctrl-C");
        while (!stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            java.util.Optional<String> cause = failure.get();
            if (cause.isPresent()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    stopped.await();   // SIGTERM arrived meanwhile: the hook closes the role
                    return 0;
                }
                System.err.println("metastream: " + what + " stopped: " + cause.get());
                closeQuietly(resource, what, out);
                return 1;
            }
        }
        return 0;
    }

    private static void closeQuietly(AutoCloseable resource, String what, PrintStream out) {
        try {
            resource.close();
        } catch (Exception e) {
            out.println(what + ": error while stopping: " + e.getMessage());
        }
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
