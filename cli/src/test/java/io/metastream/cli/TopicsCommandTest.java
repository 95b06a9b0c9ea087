package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SharedKafkaBroker.class)
class TopicsCommandTest {

    @Test
    void createsEveryTopicOnceWithCompactedPoliciesAndUnlimitedRetention(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        String id = SharedKafkaBroker.uniqueName("topics");
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "experiment-id: " + id + "\nfamily: frozenlake-low\nalg: 2\npartitions: 2\n");
        String[] args = {"topics", "--config", config.toString(), "--bootstrap-servers", broker.bootstrapServers()};
        assertThat(MetastreamCommand.execute(args)).isZero();
        assertThat(MetastreamCommand.execute(args)).as("idempotent").isZero();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            for (Topics t : Topics.values()) {
                String name = t.of(id);
                assertThat(admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions()).hasSize(2);
                ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
                if (t == Topics.POLICIES) {
                    assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
                } else {
                    assertThat(c.get("cleanup.policy").value()).as(name).isEqualTo("delete");
                    assertThat(c.get("retention.ms").value()).as(name).isEqualTo("-1");
                    assertThat(c.get("retention.bytes").value()).as(name).isEqualTo("-1");
                }
            }
        }
    }
}
