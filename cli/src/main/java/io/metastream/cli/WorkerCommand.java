package io.metastream.cli;

import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code metastream worker}: one rollout worker until SIGTERM. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run a rollout worker (joins the experiment's worker group) until SIGTERM.")
final class WorkerCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--worker-id", description = "Worker id (default: worker-<hostname>-<pid>, unique across containers).")
    String workerId;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws Exception {
        RunConfig ef = config.loadAny();
        ef.requireRunnable();
        String id = workerId != null ? workerId : "worker-" + hostname() + "-" + ProcessHandle.current().pid();
        cluster.requireReachable();   // its consumers would wait for a broker forever
        MetricsEndpoint m = metrics.start(ef.experimentId(), System.out);
        RolloutWorker worker = RolloutWorker.start(RunSession.worker(ef, id, cluster.bootstrapServers, cluster.clientProperties()));
        RunSession.bindWorker(m, worker);
        return RunSession.runUntilStoppedOrFailed(closeAll(worker, m), "worker " + id + " of " + ef.experimentId(), System.out,
                () -> worker.failure().map(e -> String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ")));
    }

    /** Closes {@code role}, then {@code metrics} (if any). */
    static AutoCloseable closeAll(AutoCloseable role, MetricsEndpoint metrics) {
        return closeAll(role, () -> {
            if (metrics != null) {
                metrics.close();
            }
        });
    }

    /** Closes {@code role}, then {@code then}. */
    static AutoCloseable closeAll(AutoCloseable role, AutoCloseable then) {
        return () -> {
            try {
                role.close();
            } finally {
                then.close();
            }
        };
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }
}
