package io.metastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.core.meta.TabularBoMrl;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.TaskMetaGradient;
import io.metastream.schemas.Topics;
import io.metastream.schemas.Trajectory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The adapter on the real embedded broker with exactly_once_v2: one task, a batch of 20 episodes. */
@ExtendWith(SharedKafkaBroker.class)
class AdapterAppBrokerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void adapterPublishesCoresMetaGradientForASmallBatchOnARealBroker(EmbeddedKafkaBroker broker,
                                                                      @TempDir Path stateDir) throws Exception {
        TaskFixture task = TaskFixture.small(SharedKafkaBroker.uniqueName("adapter-it"), 20);
        AdapterConfig config = task.adapterConfig();
        createTopics(broker, config);

        try (KafkaProducer<String, PolicyParams> policies = producer(broker, MetastreamSerdes.policyParams().serializer());
             KafkaProducer<String, RolloutAssignment> assignments =
                     producer(broker, MetastreamSerdes.assignment().serializer())) {
            policies.send(new ProducerRecord<>(config.topic(Topics.POLICIES), TaskFixture.PRIOR_ID, task.prior())).get();
            assignments.send(new ProducerRecord<>(config.topic(Topics.ASSIGNMENTS), TaskFixture.TASK_ID,
                    task.preAssignment())).get();
        }

        try (AdapterApp app = AdapterApp.create(config, broker.bootstrapServers(), stateDir, Map.of()).start();
             KafkaProducer<String, Trajectory> trajectories = producer(broker, MetastreamSerdes.trajectory().serializer())) {
            send(trajectories, config, task.preTrajectories());

            RolloutAssignment post = firstMatching(broker, config.topic(Topics.ASSIGNMENTS),
                    MetastreamSerdes.assignment().deserializer(), a -> a.getPhase() == Phase.POST);
            assertThat(post.getSeed()).isEqualTo(TabularBoMrl.postSeed(task.preSeed));
            PolicyParams adapted = firstMatching(broker, config.topic(Topics.POLICIES),
                    MetastreamSerdes.policyParams().deserializer(), p -> p.getPolicyId().equals(post.getPolicyId()));
            assertThat(adapted.getParams()).containsExactlyElementsOf(TaskFixture.boxed(task.theta));

            send(trajectories, config, task.postTrajectories());

            TaskMetaGradient gradient = firstMatching(broker, config.topic(Topics.META_GRADIENTS),
                    MetastreamSerdes.metaGradient().deserializer(), g -> true);
            assertThat(gradient.getGradient()).containsExactlyElementsOf(TaskFixture.boxed(task.gradient));
            assertThat(gradient.getTaskId()).isEqualTo(TaskFixture.TASK_ID);
        }
        // the episodes changelog is compacted with small segments, so deleted episodes are cleaned away
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            org.apache.kafka.common.config.ConfigResource res = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                    config.applicationId() + "-" + AdapterTopology.EPISODES_STORE + "-changelog");
            org.apache.kafka.clients.admin.Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(c.get("segment.bytes").value()).isEqualTo(String.valueOf(64 << 20));
            assertThat(c.get("min.cleanable.dirty.ratio").value()).isEqualTo("0.1");
        }
    }

    private static void createTopics(EmbeddedKafkaBroker broker, AdapterConfig config) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            // trajectories and assignments are co-partitioned by task id: same partition count
            admin.createTopics(Arrays.stream(Topics.values())
                    .map(t -> new NewTopic(config.topic(t), t == Topics.POLICIES ? 1 : 2, (short) 1))
                    .toList()).all().get();
        }
    }

    private static <V> KafkaProducer<String, V> producer(EmbeddedKafkaBroker broker, Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), values);
    }

    private static void send(KafkaProducer<String, Trajectory> producer, AdapterConfig config, List<Trajectory> batch)
            throws Exception {
        for (Trajectory t : batch) {
            producer.send(new ProducerRecord<>(config.topic(Topics.TRAJECTORIES), t.getTaskId(), t));
        }
        producer.flush();
    }

    /** Reads the topic from the start, committed records only, until a value matches; fails after {@link #DEADLINE}. */
    private static <V> V firstMatching(EmbeddedKafkaBroker broker, String topic, Deserializer<V> values,
                                       Predicate<V> wanted) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedKafkaBroker.uniqueName("adapter-it-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(record.value())) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("no matching record on " + topic + " within " + DEADLINE);
    }
}
