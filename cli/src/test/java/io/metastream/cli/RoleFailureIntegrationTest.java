package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.schemas.Topics;
import io.metastream.trainer.ExperimentTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A role whose work died exits non-zero with one line naming the cause, instead of running on: a {@code worker}
 * whose pipeline stopped (its trajectories are larger than the topic accepts), an {@code adapter} whose Streams
 * thread died (likewise for its meta-gradients), {@code run} on a disk that fills up, and {@code run}, whose worker dies
 * that way, stops every role and exits 1 at once instead of waiting for the trainer's 10-minute round timeout.
 */
@Tag("fault")
@ExtendWith(SharedKafkaBroker.class)
class RoleFailureIntegrationTest {

    @Test
    void aWorkerWhosePipelineFailedExitsNonZeroNamingTheCause(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String id = SharedKafkaBroker.uniqueName("dying-worker");
        Path config = tinyTrajectoriesExperiment(broker, id, dir);
        String bootstrap = broker.bootstrapServers();
        // the trainer publishes the meta-prior and round 0's assignments
        try (RoleProcess trainer = RoleProcess.start("trainer", dir, List.of("trainer", "--config", config.toString(),
                "--bootstrap-servers", bootstrap, "--out", dir.resolve("trainer").toString()));
             RoleProcess worker = RoleProcess.start("worker", dir, List.of("worker", "--config", config.toString(),
                "--bootstrap-servers", bootstrap, "--worker-id", "w1"))) {
            int exit = worker.awaitExit(Duration.ofSeconds(90));
            assertThat(exit).as(worker.log()).isEqualTo(1);
            List<String> lines = worker.log().lines().filter(l -> l.startsWith("metastream: ")).toList();
            assertThat(lines).as(worker.log()).hasSize(1);
            assertThat(lines.get(0)).startsWith("metastream: worker w1 of " + id + " stopped: worker w1: the trajectory of")
                    .contains("too large for topic " + Topics.TRAJECTORIES.of(id));
        }
    }

    /**
     * The adapter's Streams thread dies (its meta-gradient records are larger than the meta-gradients topic
     * accepts: a fatal production error under exactly-once): {@code adapter} exits 1 with one line naming it,
     * instead of sitting in Kafka Streams' ERROR state.
     */
    @Test
    void anAdapterWhoseStreamsThreadDiedExitsNonZeroNamingTheCause(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String id = SharedKafkaBroker.uniqueName("dying-adapter");
        Path config = tinyTopicExperiment(broker, id, dir, Topics.META_GRADIENTS);
        String bootstrap = broker.bootstrapServers();
        try (RoleProcess trainer = RoleProcess.start("trainer", dir, List.of("trainer", "--config", config.toString(),
                "--bootstrap-servers", bootstrap, "--out", dir.resolve("trainer").toString()));
             RoleProcess worker = RoleProcess.start("worker", dir, List.of("worker", "--config", config.toString(),
                "--bootstrap-servers", bootstrap, "--worker-id", "w1"));
             RoleProcess adapter = RoleProcess.start("adapter", dir, List.of("adapter", "--config", config.toString(),
                "--bootstrap-servers", bootstrap, "--state-dir", dir.resolve("state").toString()))) {
            int exit = adapter.awaitExit(Duration.ofSeconds(120));
            assertThat(exit).as(adapter.log()).isEqualTo(1);
            List<String> lines = adapter.log().lines().filter(l -> l.startsWith("metastream: ")).toList();
            assertThat(lines).as(adapter.log()).hasSize(1);
            assertThat(lines.get(0)).as(adapter.log())
                    .startsWith("metastream: adapter of " + id + " stopped: the adapter's stream thread died: ")
                    .contains("RecordTooLargeException", "larger than the max message size");
        }
    }

    /**
     * {@code run} on a disk that fills up: the run's JVM may not grow a file past 15 MB ({@code ulimit -f}, writes
     * beyond fail with "File too large" as on a full disk; Kafka's preallocated 10 MB indexes still fit). After some
     * rounds the embedded broker's episode-store changelog segment hits the limit, every log directory fails and Kafka
     * asks for a JVM halt, which the embedded broker refuses: {@code run} sees it, stops every role within bounded
     * closes and exits 1 with one line, instead of retrying against a dead broker until the trainer's 10-minute round
     * timeout while printing thousands of WARN lines.
     */
    @Test
    void runOnAFullDiskStopsEveryRoleAndExitsNamingTheBroker(@TempDir Path dir) throws Exception {
        String id = SharedKafkaBroker.uniqueName("full-disk");
        List<String> jvm = List.of("-Xmx512m", "--add-modules=jdk.incubator.vector");
        try (RoleProcess run = RoleProcess.startWithFileSizeLimit("run", dir, 30_000, jvm, List.of("run", "--config",
                "../configs/pointnav-alg1.yaml", "--set", "experiment-id=" + id, "--set", "iterations=400", "--set",
                "partitions=1", "--out", dir.resolve("out").toString()))) {
            int exit = run.awaitExit(Duration.ofSeconds(300));
            String log = run.log();
            assertThat(exit).as(log).isEqualTo(1);
            assertThat(log).as("the fault was the full disk").contains("File too large", "all log dirs");
            List<String> lines = log.lines().filter(l -> l.startsWith("metastream: ")).toList();
            assertThat(lines).as(log).hasSize(1);
            assertThat(lines.get(0)).startsWith("metastream: the embedded Kafka broker hit a fatal fault and stopped serving")
                    .contains("every role stopped");
            assertThat(log.lines().filter(l -> l.startsWith("round ")).count()).as("rounds before the disk filled")
                    .isBetween(2L, 399L);
        }
    }

    @Test
    void runStopsEveryRoleAndExitsWhenAWorkerDies(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String id = SharedKafkaBroker.uniqueName("dying-run");
        Path config = tinyTrajectoriesExperiment(broker, id, dir);
        CapturedCommand.Result r = CapturedCommand.run("run", "--config", config.toString(), "--bootstrap-servers",
                broker.bootstrapServers(), "--out", dir.resolve("run").toString());
        String stderr = r.err();
        assertThat(r.exit()).as(r.out() + stderr).isEqualTo(1);
        List<String> lines = stderr.lines().filter(l -> l.startsWith("metastream: ")).toList();
        assertThat(lines).as(stderr).hasSize(1);
        // stopped by the dead worker, not by the trainer's 10-minute round timeout ("only 0 of 2 meta-gradients arrived")
        assertThat(lines.get(0)).startsWith("metastream: worker-").contains(" stopped: ", "too large for topic",
                "every role stopped");
    }

    /** A small Frozen Lake experiment whose trajectories topic accepts 300-byte records: every episode is larger. */
    private static Path tinyTrajectoriesExperiment(EmbeddedKafkaBroker broker, String id, Path dir) throws Exception {
        return tinyTopicExperiment(broker, id, dir, Topics.TRAJECTORIES);
    }

    /** A small Frozen Lake experiment whose {@code small} topic accepts 300-byte records: every record of it is larger. */
    private static Path tinyTopicExperiment(EmbeddedKafkaBroker broker, String id, Path dir, Topics small) throws Exception {
        Path config = dir.resolve("experiment.yaml");
        Files.writeString(config, String.join("\n", "experiment-id: " + id, "family: frozenlake-low", "alg: 2", "seed: 1",
                "iterations: 2", "tasks-per-iteration: 2", "episodes: 20", "workers: 1", "partitions: 1", ""));
        ExperimentTopics.create(broker.bootstrapServers(), id, 1, (short) 1, Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, small.of(id));
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "300"), AlterConfigOp.OpType.SET)))).all().get();
        }
        return config;
    }
}
