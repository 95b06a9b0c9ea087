package io.metastream.cli;

import io.metastream.streams.AdapterApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code metastream adapter}: the Kafka Streams adapter until SIGTERM. */
@Command(name = "adapter", mixinStandardHelpOptions = true,
        description = "Run the Kafka Streams adapter (within-task adaptation and per-task hypergradients) until SIGTERM.")
final class AdapterCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the adapter keeps its RocksDB stores (default: a fresh temporary directory; state is restored from the changelogs).")
    java.nio.file.Path stateDir;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws Exception {
        ExperimentFile ef = config.load();
        MetricsEndpoint m = metrics.start(ef.experimentId(), System.out);
        AdapterApp app = RunSession.adapter(ef, cluster.bootstrapServers, cluster.clientProperties(), stateDir).start();
        RunSession.bindAdapter(m, app);
        RunSession.runUntilStopped(WorkerCommand.closeAll(app, m), "adapter of " + ef.experimentId(), System.out);
        return 0;
    }
}
