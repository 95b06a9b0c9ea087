package io.metastream.cli;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Ordinary mistakes end with one line and exit 1, never a stack trace. */
@org.junit.jupiter.api.extension.ExtendWith(io.metastream.broker.SharedKafkaBroker.class)
class UserErrorsTest {

    @Test
    void replicationZeroABusyBrokerPortAndDescribingAMissingExperimentAreOneLine(io.metastream.broker.EmbeddedKafkaBroker broker)
            throws Exception {
        String b = broker.bootstrapServers();
        assertThat(ContinuousExperimentFileTest.runCommand("topics", "--config", "../configs/pointnav-alg1.yaml",
                "--bootstrap-servers", b, "--replication", "0"))
                .isEqualTo("metastream: --replication must be at least 1 (and at most the number of brokers), got 0");
        String missing = io.metastream.broker.SharedKafkaBroker.uniqueName("missing");
        String err = ContinuousExperimentFileTest.runCommand("topics", "--config", "../configs/pointnav-alg1.yaml", "--set",
                "experiment-id=" + missing, "--bootstrap-servers", b, "--describe");
        assertThat(err).startsWith("metastream: a topic of the experiment does not exist on this cluster")
                .contains("metastream topics --config").doesNotContain("\n", "\tat ");
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String line = ContinuousExperimentFileTest.runCommand("broker", "--port", Integer.toString(busy.getLocalPort()));
            assertThat(line).startsWith("metastream: cannot start embedded Kafka broker: port " + busy.getLocalPort())
                    .contains("already in use").doesNotContain("\n");
        }
    }

    /**
     * Topics that would put more partition replicas on a broker than metastream's limit are refused before any is
     * created, with one line naming the counts; under the limit nothing is refused.
     */
    @Test
    void anExperimentThatWouldOverloadTheBrokerWithPartitionsIsRefusedBeforeCreatingAnything(
            io.metastream.broker.EmbeddedKafkaBroker broker) throws Exception {
        String id = io.metastream.broker.SharedKafkaBroker.uniqueName("too-many-partitions");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            java.util.Set<String> before = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get();
            long existing = 0;
            for (var d : admin.describeTopics(before).allTopicNames().get().values()) {
                existing += d.partitions().size();
            }
            long planned = (io.metastream.schemas.Topics.values().length + 5) * 20L;
            int tight = (int) (existing + planned - 1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.metastream.trainer.ExperimentTopics.checkBrokerPartitions(
                    admin, id, 20, (short) 1, tight)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("creating the topics of " + id + " (" + planned + " partition replicas")
                    .hasMessageContaining("which hold " + existing + " now; metastream's limit is " + tight + " per broker")
                    .hasMessageNotContaining("\n");
            io.metastream.trainer.ExperimentTopics.checkBrokerPartitions(admin, id, 20, (short) 1, tight + 1);
            assertThat(admin.listTopics().names().get()).noneMatch(n -> n.startsWith(id));
            assertThat(io.metastream.trainer.ExperimentTopics.MAX_BROKER_PARTITIONS).isEqualTo(10_000);
        }
    }

    @Test
    void aBootstrapServerThatIsNoHostPortIsOneLine() {
        for (String servers : new String[] {"not a host", ""}) {
            String err = ContinuousExperimentFileTest.runCommand("topics", "--config", "../configs/pointnav-alg1.yaml",
                    "--bootstrap-servers", servers);
            assertThat(err).as("'%s'", servers).startsWith("metastream: invalid Kafka client setting: ")
                    .contains("check --bootstrap-servers").doesNotContain("\n", "\tat ");
        }
    }

    @Test
    void aCsvPathNamingADirectoryIsOneLine(@TempDir Path dir) {
        String err = ContinuousExperimentFileTest.runCommand("checkpoint", "inspect", "--file",
                "../experiments/halfcheetah-vel-alg1-lfb.ckpt", "--csv", dir.toString());
        assertThat(err).isEqualTo("metastream: cannot use " + dir + ": Is a directory");
    }

    @Test
    void aFencedTrainerSaysAnotherTrainerTookOver() {
        String line = MetastreamCommand.userError(new IllegalStateException("round 3",
                new KafkaException("commit failed", new ProducerFencedException("There is a newer producer with the same"
                        + " transactionalId which fences the current one."))));
        assertThat(line).startsWith("another trainer has taken over this experiment").doesNotContain("\n");
    }
}
