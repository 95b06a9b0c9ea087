package io.metastream.cli;

import io.metastream.schemas.Topics;
import io.metastream.trainer.ExperimentTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code metastream topics}: create (idempotently) or describe an experiment's topics. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create the experiment's topics (policies compacted, the rest kept forever), or describe them.")
final class TopicsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--replication", defaultValue = "1", description = "Replication factor. Default: ${DEFAULT-VALUE}.")
    short replication;

    @Option(names = "--describe", description = "Only describe the existing topics.")
    boolean describe;

    @Override
    public Integer call() throws Exception {
        RunConfig ef = config.loadAny();
        if (replication < 1) {
            throw new IllegalArgumentException("--replication must be at least 1 (and at most the number of brokers), got "
                    + replication);
        }
        if (!describe) {
            List<String> created = ExperimentTopics.create(cluster.bootstrapServers, ef.experimentId(), ef.partitions(), replication,
                    Map.copyOf(cluster.clientProperties()));
            System.out.println("created " + created.size() + " topic(s)" + (created.isEmpty() ? " (all existed)" : ": " + created));
        }
        Map<String, Object> adminProps = new java.util.HashMap<>(cluster.clientProperties());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers);
        try (Admin admin = Admin.create(adminProps)) {
            for (Topics t : Topics.values()) {
                String name = t.of(ef.experimentId());
                TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
                ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
                System.out.printf("%-45s partitions=%d replication=%d cleanup.policy=%s retention.ms=%s%n", name,
                        d.partitions().size(), d.partitions().get(0).replicas().size(), c.get("cleanup.policy").value(),
                        c.get("retention.ms").value());
            }
        }
        return 0;
    }
}
