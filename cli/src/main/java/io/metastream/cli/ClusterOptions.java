package io.metastream.cli;

import picocli.CommandLine.Option;

/** The Kafka cluster option of the role commands that run against an existing cluster. */
final class ClusterOptions {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka cluster, HOST:PORT[,HOST:PORT...].")
    String bootstrapServers;
}
