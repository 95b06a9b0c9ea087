package io.metastream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Brokers of its own (not the shared one): restart, temp-dir ownership, configuration errors. */
class EmbeddedKafkaBrokerTest {

    @Test
    void restartKeepsAddressTopicAndRecords() throws Exception {
        Path logDir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
            logDir = broker.logDir();
            String address = broker.bootstrapServers();
            broker.start();
            assertThat(broker.lastStartupMillis()).isNotNegative();
            String topic = "restart-topic";
            List<String> sent = KafkaTestClients.values("before-restart", 20);
            KafkaTestClients.createTopic(broker, topic, 3);
            KafkaTestClients.produce(broker, topic, sent);

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThat(KraftStorage.isFormatted(logDir)).as("stop keeps the log dir").isTrue();
            broker.start();

            assertThat(broker.bootstrapServers()).isEqualTo(address);
            assertThat(broker.logDir()).isEqualTo(logDir);
            assertThat(broker.startCount()).isEqualTo(2);
            assertThat(KafkaTestClients.topicNames(broker)).contains(topic);
            assertThat(KafkaTestClients.endOffsetSum(broker, topic)).isEqualTo(sent.size());
            List<String> received = KafkaTestClients.consumeUntil(broker, topic,
                ConsumerConfig.DEFAULT_ISOLATION_LEVEL, read -> read.size() >= sent.size());
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        }
        assertThat(logDir).as("close deletes the temp log dir the broker created").doesNotExist();
    }

    @Test
    void startFailsWithAClearMessageWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).build()) {
            assertThatThrownBy(broker::start)
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("port " + taken.getLocalPort())
                .hasMessageContaining("already in use");
            assertThat(broker.isRunning()).isFalse();
            assertThat(broker.startCount()).isZero();
        }
    }

    @Test
    void startFailsWithAClearMessageWhenTheLogDirIsLockedByAnotherBroker(@TempDir Path logDir) throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().logDir(logDir).build().start();
             EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().logDir(logDir).build()) {
            assertThatThrownBy(second::start)
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(logDir.toString())
                .hasMessageContaining("locked by another broker in this JVM");
            assertThat(second.isRunning()).isFalse();
            assertThat(first.isRunning()).isTrue();
            String topic = "still-served";
            KafkaTestClients.createTopic(first, topic, 1);
            assertThat(KafkaTestClients.topicNames(first)).contains(topic);
        }
    }

    @Test
    void closeKeepsALogDirTheCallerProvided(@TempDir Path tempDir) throws Exception {
        Path logDir = tempDir.resolve("kafka");
        Files.createDirectories(logDir.resolve("marker"));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(logDir).build();
        broker.close();
        assertThat(logDir.resolve("marker")).isDirectory();
    }

    @Test
    void aClosedBrokerCannotBeStarted() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
        broker.close();
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(broker.logDir()).doesNotExist();
    }

    @Test
    void singleNodeDefaultsMakeTransactionsAndGroupsWorkOnOneReplica() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
            assertThat(broker.brokerProperties())
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("num.partitions", "3")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:" + broker.port()
                    + ",CONTROLLER://127.0.0.1:" + broker.controllerPort());
        }
    }

    @Test
    void extraPropertiesOverrideDefaultsButNotTheNodeLayout() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                 .brokerProperty("num.partitions", "7")
                 .listener("sasl", "SASL_PLAINTEXT", 0)
                 .build()) {
            assertThat(broker.brokerProperties()).containsEntry("num.partitions", "7");
            assertThat(broker.bootstrapServers("SASL")).startsWith("127.0.0.1:").isNotEqualTo(broker.bootstrapServers());
            assertThat(broker.brokerProperties().get("listener.security.protocol.map")).contains("SASL:SASL_PLAINTEXT");
        }
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().brokerProperty("listeners", "PLAINTEXT://0.0.0.0:9092"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'listeners'");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(70_000))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }
}
