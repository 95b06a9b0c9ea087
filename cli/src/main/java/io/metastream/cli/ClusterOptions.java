package io.metastream.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
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

    /**
     * Asks the cluster to describe itself and waits at most {@code default.api.timeout.ms} (the client's default,
     * 60 s, unless --client-config sets it): a role whose clients would otherwise retry a dead or wrong address
     * forever fails instead, with the one line {@link MetastreamCommand#userError} gives a Kafka timeout.
     */
    void requireReachable() throws Exception {
        Map<String, Object> props = new java.util.HashMap<>(clientProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int timeout = Integer.parseInt(String.valueOf(props.getOrDefault(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "60000")));
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout)).clusterId().get();
        }
    }
}
