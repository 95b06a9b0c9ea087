package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTest;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.streams.AdapterApp;
import io.metastream.streams.AdapterConfig;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.SyncTrainer;
import io.metastream.trainer.TrainerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code metastream demo}: an embedded KRaft broker and every role in one JVM — rollout workers,
 * the Kafka Streams adapter and the synchronous trainer — on Frozen Lake (high variance, Alg(1)),
 * then the meta-test table of the trained meta-prior.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run BO-MRL on Frozen Lake through an embedded Kafka broker (workers, adapter, trainer in one JVM).")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--iterations", defaultValue = "150", description = "Meta-iterations (the paper: 150). Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--episodes", defaultValue = "500", description = "Episodes per collection. Default: ${DEFAULT-VALUE}.")
    int episodes;

    @Option(names = "--workers", defaultValue = "2", description = "Rollout workers. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--seed", defaultValue = "0", description = "Experiment seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", description = "Run directory (default: runs/demo-<timestamp>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
        }
        TabularExperimentConfig paper = TabularExperimentConfig.paper("frozenlake-high", TabularAlgorithm.ALG1, seed);
        TabularExperimentConfig exp = new TabularExperimentConfig(paper.family(), paper.alg(), paper.lambdaTrain(),
                paper.lambdaTest(), iterations, paper.tasksPerIteration(), episodes, paper.sarsaStep(), 20,
                paper.metaLearningRate(), paper.optimizer(), paper.phiInit(), paper.hypergradient(), paper.testSteps(),
                paper.pgStepSize(), seed);
        String experimentId = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = out != null ? out : Path.of("runs", experimentId);
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        System.out.println("metastream demo: Frozen Lake high variance, Alg(1), " + iterations + " meta-iterations x "
                + exp.tasksPerIteration() + " tasks x " + episodes + " episodes, " + workers + " workers -> " + dir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            System.out.printf(Locale.ROOT, "embedded Kafka broker (KRaft) up at %s in %d ms%n", broker.bootstrapServers(),
                    broker.lastStartupMillis());
            String bootstrap = broker.bootstrapServers();
            ExperimentTopics.create(bootstrap, experimentId, 3, (short) 1, Map.of());
            List<RolloutWorker> pool = new ArrayList<>();
            try (AdapterApp adapter = AdapterApp.create(AdapterConfig.of(experimentId, exp), bootstrap).start()) {
                for (int w = 0; w < workers; w++) {
                    pool.add(RolloutWorker.start(WorkerConfig.of(experimentId, "worker-" + w, bootstrap)));
                }
                TrainerConfig tc = new TrainerConfig(experimentId, bootstrap, exp, Duration.ofMinutes(5), Map.of());
                StringBuilder progressCsv = new StringBuilder("round,version,pre_return,post_return,elapsed_s,trajectories_per_s\n");
                double[] phi;
                try (SyncTrainer trainer = new SyncTrainer(tc)) {
                    long start = System.nanoTime();
                    phi = trainer.run(r -> {
                        double secs = (System.nanoTime() - start) / 1e9;
                        double trajPerSec = 2.0 * exp.episodes() * exp.tasksPerIteration() * (r.round() + 1) / secs;
                        double eta = secs / (r.round() + 1) * (iterations - r.round() - 1);
                        System.out.printf(Locale.ROOT, "round %d/%d  PRE return %.3f  POST return %.3f  %.0f trajectories/s"
                                        + "  elapsed %.0f s  ETA %.0f s%n", r.round() + 1, iterations, r.preReturn(),
                                r.postReturn(), trajPerSec, secs, eta);
                        progressCsv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.3f,%.1f%n", r.round(), r.newVersion(),
                                r.preReturn(), r.postReturn(), secs, trajPerSec));
                    });
                }
                Files.writeString(dir.resolve("progress.csv"), progressCsv.toString());
                printMetaTest(exp, phi, dir);
            } finally {
                for (RolloutWorker w : pool) {
                    w.close();
                }
            }
        }
        System.out.printf(Locale.ROOT, "demo finished in %.1f s; run directory %s%n", (System.nanoTime() - t0) / 1e9, dir);
        return 0;
    }

    private static void printMetaTest(TabularExperimentConfig exp, double[] phi, Path dir) throws Exception {
        List<FrozenLakeMap> tasks = FrozenLakeFamily.byName(exp.family()).testTasks();
        TabularMetaTest test = new TabularMetaTest(exp);
        StringBuilder csv = new StringBuilder("method,step,mean\n");
        System.out.println();
        System.out.println("Meta-test of the trained meta-prior (10 test tasks; mean accumulated reward after k adaptation steps)");
        System.out.printf("%-16s %s%n", "method", "k = 0..4");
        for (TabularMetaTest.Method m : TabularMetaTest.Method.values()) {
            double[] curve = TabularMetaTest.meanOverTasks(test.evaluate(m, phi, tasks));
            System.out.printf("%-16s %s%n", m.label(), FrozenLakeReproduction.format(curve));
            for (int k = 0; k < curve.length; k++) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%.6f%n", m.label(), k, curve[k]));
            }
        }
        System.out.printf("%-16s %s%n", "paper BO-MRL", FrozenLakeReproduction.format(PaperReference.CURVES.get("frozenlake-high/bomrl-alg1"))
                + "  (150 iterations)");
        Files.writeString(dir.resolve("meta-test.csv"), csv.toString());
    }
}
