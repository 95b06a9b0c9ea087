package io.metastream.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** The Kafka cluster options of the role commands that run against an existing cluster. */
final class ClusterOptions {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka cluster, HOST:PORT[,HOST:PORT...].")
    String bootstrapServers;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*, timeouts) for every client of this role.")
    Path clientConfig;

    Map<String, String> clientProperties() {
        return ClientProperties.load(clientConfig);
    }
}
