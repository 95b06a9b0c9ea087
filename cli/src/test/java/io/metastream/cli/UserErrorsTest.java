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

    /** picocli's parse errors: one line on stderr naming the mistake and the nearest names, exit 1, nothing on stdout. */
    @Test
    void commandLineMistakesAreOneLineWithTheNearestNames() {
        CapturedCommand.Result unknown = CapturedCommand.run("evaluate", "--help");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err().strip()).isEqualTo("metastream: unknown command 'evaluate' (commands: demo, run, worker, adapter,"
                + " trainer, replay, report, compare, topics, checkpoint, broker, frozenlake, bench)");
        assertThat(ContinuousExperimentFileTest.runCommand("rnu")).startsWith("metastream: unknown command 'rnu'; did you mean 'run'? (");
        assertThat(ContinuousExperimentFileTest.runCommand("run", "--confg", "x"))
                .isEqualTo("metastream: unknown option '--confg'; did you mean '--config'? (see 'metastream run --help')");
        assertThat(ContinuousExperimentFileTest.runCommand("run", "--bogus"))
                .isEqualTo("metastream: unknown option '--bogus' (see 'metastream run --help')");
        assertThat(ContinuousExperimentFileTest.runCommand("demo", "--iterations", "abc")).isEqualTo("metastream: Invalid value"
                + " for option '--iterations': 'abc' is not an int (see 'metastream demo --help')");
        assertThat(ContinuousExperimentFileTest.runCommand("checkpoint", "exprt"))
                .isEqualTo("metastream: unknown command 'exprt'; did you mean 'export'? (see 'metastream checkpoint --help')");
        assertThat(ContinuousExperimentFileTest.runCommand("run", "--config")).isEqualTo("metastream: Missing required parameter"
                + " for option '--config' (<config>) (see 'metastream run --help')");
        assertThat(MetastreamCommand.editDistance("rnu", "run")).isEqualTo(1);
        assertThat(MetastreamCommand.editDistance("kitten", "sitting")).isEqualTo(3);
    }

    /** A worker or adapter whose broker never answers says so in one line after default.api.timeout.ms, exit 1. */
    @Test
    void aWorkerOrAdapterWhoseBrokerNeverAnswersExitsAfterTheApiTimeout(@TempDir Path dir) throws Exception {
        Path props = java.nio.file.Files.writeString(dir.resolve("client.properties"), "default.api.timeout.ms=2000\nrequest.timeout.ms=1000\n");
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String dead = "127.0.0.1:" + closed.getLocalPort();
            closed.close();   // nothing listens there any more
            for (String role : new String[] {"worker", "adapter"}) {
                String err = ContinuousExperimentFileTest.runCommand(role, "--config", "../configs/pointnav-alg1.yaml",
                        "--bootstrap-servers", dead, "--client-config", props.toString());
                assertThat(err.lines().filter(l -> l.startsWith("metastream: ")).toList()).as(role).singleElement()
                        .asString().startsWith("metastream: the Kafka cluster did not answer in time: ")
                        .contains("check --bootstrap-servers");
                assertThat(err).as(role).doesNotContain("\tat ");
            }
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
