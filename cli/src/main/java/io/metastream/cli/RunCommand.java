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
            description = "Keep the embedded broker's log in DIR (default: a temporary directory, deleted on exit). The same"
                    + " command resumes a stopped run from it; 'metastream broker --log-dir DIR' serves it to report and replay.")
    Path brokerLogDir;

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
        RunConfig ef = config.loadAny();
        ef.requireRunnable();
        Path dir = output.directory(ef);
        System.out.println("metastream run: " + ef.experimentId() + " -> " + dir);
        try (MetricsEndpoint m = metrics.start(ef.experimentId(), System.out)) {
            RunSession.runAll(ef, bootstrapServers, brokerLogDir, ClientProperties.load(clientConfig), dir, System.out, m);
        }
        return 0;
    }
}
