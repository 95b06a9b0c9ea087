package io.metastream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code metastream demo}: an embedded KRaft broker and every role in one JVM — rollout workers,
 * the Kafka Streams adapter and the trainer — on Frozen Lake (high variance, Alg(1), the paper's
 * settings), then the meta-test table of the trained meta-prior.
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

    @Option(names = "--max-staleness", defaultValue = "0", description = "0 = synchronous (the paper); k = asynchronous. Default: ${DEFAULT-VALUE}.")
    int maxStaleness;

    @Option(names = "--seed", defaultValue = "0", description = "Experiment seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", description = "Run directory (default: runs/demo-<timestamp>).")
    Path out;

    @Option(names = "--ephemeral", description = "Delete the embedded broker's log on exit (default: keep it in"
            + " <run directory>/kafka-log, where 'metastream broker --log-dir' serves it to report and replay).")
    boolean ephemeral;

    @Override
    public Integer call() throws Exception {
        String id = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment-id", id);
        m.put("family", "frozenlake-high");
        m.put("alg", "1");
        m.put("seed", seed);
        m.put("iterations", iterations);
        m.put("episodes", episodes);
        m.put("sarsa-sweeps", 20);
        m.put("untried-actions", "state-value");
        m.put("workers", workers);
        m.put("max-staleness", maxStaleness);
        ExperimentFile ef = ExperimentFile.fromMap(m, "demo options");
        Path dir = out != null ? out : Path.of("runs", id);
        long t0 = System.nanoTime();
        System.out.println("metastream demo: Frozen Lake high variance, Alg(1), " + iterations + " meta-iterations x "
                + ef.experiment().tasksPerIteration() + " tasks x " + episodes + " episodes, " + workers + " workers -> " + dir);
        RunSession.runAll(ef, null, ephemeral ? null : RunSession.keptLogDir(dir), Map.of(), dir, System.out, null);
        System.out.printf(java.util.Locale.ROOT, "demo finished in %.1f s; run directory %s%n", (System.nanoTime() - t0) / 1e9, dir);
        return 0;
    }
}
