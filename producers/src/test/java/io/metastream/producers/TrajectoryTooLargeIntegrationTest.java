package io.metastream.producers;

import static org.assertj.core.api.Assertions.assertThat;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.RolloutAssignment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A trajectory too large for the trajectories topic (max.message.bytes 100) stops the worker with an
 * error naming the assignment, the episode, the size, the topic and the fix; nothing is published and
 * the assignment stays uncommitted, so a worker started after the limit is raised plays it.
 */
@ExtendWith(SharedKafkaBroker.class)
class TrajectoryTooLargeIntegrationTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void trajectoryTooLargeForTheTopicStopsTheWorkerNamingTheAssignmentAndItStaysUncommitted(EmbeddedKafkaBroker broker)
      throws Exception {
    String bootstrap = broker.bootstrapServers();
    String experiment = SharedKafkaBroker.uniqueName("too-large");
    WorkerConfig config = WorkerConfig.of(experiment, "w-small", bootstrap);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
         KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
             bootstrap), new StringSerializer(), new ByteArraySerializer())) {
      admin.createTopics(List.of(new NewTopic(config.assignmentsTopic(), 1, (short) 1),
          new NewTopic(config.policiesTopic(), 1, (short) 1)
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
          new NewTopic(config.trajectoriesTopic(), 1, (short) 1)
              .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "100")))).all().get();
      producer.send(new ProducerRecord<>(config.policiesTopic(), "phi-0", MetastreamSerdes.policyParams()
          .serialize(Fixtures.metaPrior("phi-0", 0, Fixtures.logits(5))))).get();
      RolloutAssignment a = Fixtures.assignment(experiment, "big-0", "task-9", "phi-0", 0, 3, 77L);
      producer.send(new ProducerRecord<>(config.assignmentsTopic(), "task-9",
          MetastreamSerdes.assignment().serialize(a))).get();

      TrajectoryTooLargeException failure;
      try (RolloutWorker worker = RolloutWorker.start(config)) {
        await(() -> worker.failure().isPresent(), "the worker did not report the oversized trajectory");
        assertThat(worker.failure().get()).isInstanceOf(TrajectoryTooLargeException.class)
            .hasCauseInstanceOf(RecordTooLargeException.class);
        failure = (TrajectoryTooLargeException) worker.failure().get();
        assertThat(worker.episodesPublished()).isZero();
      }
      System.out.println("worker error: " + failure.getMessage());
      assertThat(failure.getMessage()).contains("assignment 'big-0'", "task task-9", "bytes serialized",
          "too large for topic " + config.trajectoriesTopic(), "max.message.bytes", "max.request.size");
      assertThat(committed(admin, config)).as("the assignment is not committed").isNull();

      // after the fix a new worker of the group plays the same assignment
      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, config.trajectoriesTopic());
      admin.incrementalAlterConfigs(Map.of(res, List.of(new AlterConfigOp(
          new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588"), AlterConfigOp.OpType.SET)))).all().get();
      try (RolloutWorker worker = RolloutWorker.start(config.withWorkerId("w-fixed"))) {
        await(() -> worker.episodesPublished() == 3, "the assignment was not played after the fix");
        await(() -> committed(admin, config) != null, "the assignment was not committed after the fix");
        assertThat(worker.failure()).isEmpty();
      }
      assertThat(committed(admin, config).offset()).isEqualTo(1);
    }
  }

  private static OffsetAndMetadata committed(Admin admin, WorkerConfig config) {
    try {
      return admin.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata().get()
          .get(new TopicPartition(config.assignmentsTopic(), 0));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for a worker's own counters (no Kafka polling of ours), at most {@link #DEADLINE}. */
  private static void await(BooleanSupplier done, String message) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(message).isLessThan(deadline);
      LockSupport.parkNanos(20_000_000L);
    }
  }
}
