package io.metastream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafkaBroker.class)
class SharedBrokerRecordsTest {

    private static final int RECORDS = 100;
    private static final long TIMEOUT_MS = KafkaTestClients.TIMEOUT.toMillis();

    @Test
    void producedRecordsAreConsumedBackExactly(EmbeddedKafkaBroker broker) throws Exception {
        String topic = SharedKafkaBroker.uniqueName("records");
        KafkaTestClients.createTopic(broker, topic, 3);
        List<String> sent = KafkaTestClients.values("v", RECORDS);

        KafkaTestClients.produce(broker, topic, sent);
        List<String> received = KafkaTestClients.consumeUntil(broker, topic,
            ConsumerConfig.DEFAULT_ISOLATION_LEVEL, read -> read.size() >= RECORDS);

        assertThat(KafkaTestClients.topicNames(broker)).contains(topic);
        assertThat(KafkaTestClients.endOffsetSum(broker, topic)).isEqualTo(RECORDS);
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void topicsCreatedWithoutPartitionCountGetTheDefaultThree(EmbeddedKafkaBroker broker) throws Exception {
        String topic = SharedKafkaBroker.uniqueName("default-partitions");
        try (Admin admin = KafkaTestClients.admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            // a created topic reaches the broker's metadata cache asynchronously (KRaft): retry, bounded
            int partitions = -1;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (partitions < 0) {
                try {
                    partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic).partitions().size();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
            assertThat(partitions).isEqualTo(3);
        }
    }

    @Test
    void isTheOneSharedBrokerOfTheJvm(EmbeddedKafkaBroker broker) {
        SharedBrokerWitness.assertSingleSharedBroker(broker);
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
    }
}
