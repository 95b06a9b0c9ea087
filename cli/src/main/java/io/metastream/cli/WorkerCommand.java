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

    @Override
    public Integer call() throws Exception {
        ExperimentFile ef = config.load();
        String id = workerId != null ? workerId : "worker-" + hostname() + "-" + ProcessHandle.current().pid();
        RolloutWorker worker = RolloutWorker.start(WorkerConfig.of(ef.experimentId(), id, cluster.bootstrapServers)
                .withClientProperties(cluster.clientProperties()));
        RunSession.runUntilStopped(worker, "worker " + id + " of " + ef.experimentId(), System.out);
        return 0;
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }
}
