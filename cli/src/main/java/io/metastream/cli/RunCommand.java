package io.metastream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code metastream run}: every role in one JVM, on an external cluster or an embedded broker. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment with workers, adapter and trainer in this JVM (embedded broker unless --bootstrap-servers).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--bootstrap-servers", description = "Kafka cluster (default: start an embedded broker).")
    String bootstrapServers;

    @Option(names = "--broker-log-dir", paramLabel = "DIR",
            description = "Where the embedded broker keeps its log (default: <run directory>/kafka-log). The log outlives the"
                    + " run: the same command resumes a stopped run from it; 'metastream broker --log-dir DIR' serves it to"
                    + " report and replay.")
    Path brokerLogDir;

    @Option(names = "--ephemeral", description = "Delete the embedded broker's log on exit (default: keep it).")
    boolean ephemeral;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*, timeouts) for every client (with --bootstrap-servers).")
    Path clientConfig;

    @Mixin
    OutputOptions output;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws Exception {
        if (brokerLogDir != null && bootstrapServers != null) {
            throw new IllegalArgumentException("--broker-log-dir is for the embedded broker; with --bootstrap-servers the cluster"
                    + " keeps the log: drop one of the two");
        }
        if (ephemeral && (brokerLogDir != null || bootstrapServers != null)) {
            throw new IllegalArgumentException("--ephemeral deletes the embedded broker's log; it goes with neither"
                    + " --broker-log-dir nor --bootstrap-servers");
        }
        RunConfig ef = config.loadAny();
        ef.requireRunnable();
        Path dir = output.directory(ef);
        System.out.println("metastream run: " + ef.experimentId() + " -> " + dir);
        Path log = bootstrapServers != null || ephemeral ? null : brokerLogDir != null ? brokerLogDir
                : RunSession.keptLogDir(dir);
        try (MetricsEndpoint m = metrics.start(ef.experimentId(), System.out)) {
            RunSession.runAll(ef, bootstrapServers, log, ClientProperties.load(clientConfig), dir, System.out, m);
        }
        return 0;
    }
}
