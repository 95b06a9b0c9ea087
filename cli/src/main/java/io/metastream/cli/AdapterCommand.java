package io.metastream.cli;

import io.metastream.streams.AdapterApp;
import io.metastream.streams.AdapterConfig;
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

    @Override
    public Integer call() throws Exception {
        ExperimentFile ef = config.load();
        AdapterApp app = AdapterApp.create(AdapterConfig.of(ef.experimentId(), ef.experiment()), cluster.bootstrapServers).start();
        RunSession.runUntilStopped(app, "adapter of " + ef.experimentId(), System.out);
        return 0;
    }
}
