package io.metastream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code metastream trainer}: the coordinator and meta-learner against a cluster. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = "Run the trainer (coordinator + meta-learner) to the end against a Kafka cluster; workers and adapters run elsewhere.")
final class TrainerCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    OutputOptions output;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws Exception {
        RunConfig ef = config.loadAny();
        ef.requireRunnable();
        Path dir = output.directory(ef);
        System.out.println("metastream trainer: " + ef.experimentId() + " on " + cluster.bootstrapServers + " -> " + dir);
        try (MetricsEndpoint m = metrics.start(ef.experimentId(), System.out)) {
            RunSession.train(ef, cluster.bootstrapServers, cluster.clientProperties(), dir, System.out, m);
        }
        return 0;
    }
}
