package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.Topics;
import io.metastream.trainer.ExperimentTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The topics {@link ExperimentTopics#create} makes keep the experiment (unlimited retention, set on
 * each topic, not inherited) and compact {@code policies}; {@link ExperimentTopics#checkPolicyFits}
 * accepts exactly the policy records the broker accepts on a policies topic with a tiny
 * {@code max.message.bytes}, and refuses the others with a message naming the topic, the size, the
 * limit and the fix.
 */
@ExtendWith(SharedKafkaBroker.class)
class TopicSettingsIntegrationTest {

    @Test
    void createdTopicsKeepEverythingForeverAndCompactPolicies(EmbeddedKafkaBroker broker) throws Exception {
        String id = SharedKafkaBroker.uniqueName("settings");
        assertThat(ExperimentTopics.create(broker.bootstrapServers(), id, 2, (short) 1, Map.of()))
                .hasSize(Topics.values().length);
        assertThat(ExperimentTopics.create(broker.bootstrapServers(), id, 2, (short) 1, Map.of()))
                .as("idempotent: nothing created twice").isEmpty();
        try (Admin admin = admin(broker)) {
            for (Topics t : Topics.values()) {
                Config c = config(admin, t.of(id));
                if (t == Topics.POLICIES) {
                    assertSetOnTopic(c, t, TopicConfig.CLEANUP_POLICY_CONFIG, "compact");
                } else {
                    assertSetOnTopic(c, t, TopicConfig.CLEANUP_POLICY_CONFIG, "delete");
                    assertSetOnTopic(c, t, TopicConfig.RETENTION_MS_CONFIG, "-1");
                    assertSetOnTopic(c, t, TopicConfig.RETENTION_BYTES_CONFIG, "-1");
                }
            }
        }
    }

    @Test
    void policyFitCheckAgreesWithTheBrokerOnATinyPoliciesTopic(EmbeddedKafkaBroker broker) throws Exception {
        String id = SharedKafkaBroker.uniqueName("tiny");
        String bootstrap = broker.bootstrapServers();
        ExperimentTopics.create(bootstrap, id, 1, (short) 1, Map.of());
        String topic = Topics.POLICIES.of(id);
        // a default topic holds the paper's largest prior (Ant 128-128: 169,616 B, RecordSizeTest)
        ExperimentTopics.checkPolicyFits(bootstrap, id, 169_616, Map.of());
        try (Admin admin = admin(broker)) {
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(res, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1000"), AlterConfigOp.OpType.SET)))).all().get();
            assertThat(config(admin, topic).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()).isEqualTo("1000");
        }
        byte[] small = prior(id, 40);   // 40 logits: 383 bytes
        byte[] large = prior(id, 120);  // 120 logits: 1,024 bytes
        System.out.printf("policy records on a 1000-byte topic: %d B and %d B%n", small.length, large.length);

        ExperimentTopics.checkPolicyFits(bootstrap, id, small.length, Map.of());
        assertThatThrownBy(() -> ExperimentTopics.checkPolicyFits(bootstrap, id, large.length, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(topic)
                .hasMessageContaining("policy record of " + large.length + " bytes")
                .hasMessageContaining("the limit is 1000 bytes")
                .hasMessageContaining("max.message.bytes");
        assertThatThrownBy(() -> ExperimentTopics.checkPolicyFits(bootstrap, id, small.length,
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "300")))
                .hasMessageContaining("producer max.request.size 300")
                .hasMessageContaining("raise max.request.size");

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, id + "/prior/v0", small)).get();
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, id + "/prior/v1", large)).get())
                    .as("the broker refuses what the check refuses")
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RecordTooLargeException.class);
        }
    }

    private static byte[] prior(String id, int logits) {
        return MetastreamSerdes.policyParams().serialize(PolicyParams.newBuilder().setPolicyId(id + "/prior/v0")
                .setVersion(0).setKind(PolicyKind.META_PRIOR).setPolicyType("tabular-softmax")
                .setShape(List.of(logits / 4, 4)).setParams(Collections.nCopies(logits, Math.PI)).setRound(-1).build());
    }

    private static void assertSetOnTopic(Config c, Topics t, String key, String value) {
        ConfigEntry e = c.get(key);
        assertThat(e.value()).as("%s of %s", key, t).isEqualTo(value);
        assertThat(e.source()).as("%s of %s is set on the topic", key, t)
                .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(res)).all().get().get(res);
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
