package io.metastream.producers;

import static org.assertj.core.api.Assertions.assertThat;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.core.estimate.TabularRollouts;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.task.FrozenLake;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two workers in one group on the real embedded broker; trajectories must equal the in-process rollouts. */
@ExtendWith(SharedKafkaBroker.class)
class RolloutWorkerIntegrationTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final long SEED = 424242L;
  private static final String TASK = "task-0";

  @Test
  void twoWorkersPublishEveryEpisodeBitIdenticalAndSurvivorTakesOver(EmbeddedKafkaBroker broker) throws Exception {
    String bootstrap = broker.bootstrapServers();
    String experiment = SharedKafkaBroker.uniqueName("exp");
    WorkerConfig base = WorkerConfig.of(experiment, "unused", bootstrap).withMaxInFlightEpisodes(4);
    createTopics(bootstrap, base);

    double[] phi = Fixtures.logits(99);
    TabularSoftmaxPolicy reference = new TabularSoftmaxPolicy(16, 4, phi);

    try (KafkaProducer<String, PolicyParams> policies = producer(bootstrap, MetastreamSerdes.policyParams().serializer());
         KafkaProducer<String, RolloutAssignment> assignments =
             producer(bootstrap, MetastreamSerdes.assignment().serializer());
         KafkaConsumer<String, Trajectory> trajectories = trajectoryConsumer(bootstrap, base.trajectoriesTopic())) {
      policies.send(new ProducerRecord<>(base.policiesTopic(), "phi-0", Fixtures.metaPrior("phi-0", 0, phi))).get();

      RolloutWorker w1 = RolloutWorker.start(base.withWorkerId("w1"));
      try (RolloutWorker w2 = RolloutWorker.start(base.withWorkerId("w2"))) {
        try (w1) {
          publish(assignments, base, Fixtures.assignment(experiment, "a-0", TASK, "phi-0", 0, 10, SEED));
          publish(assignments, base, Fixtures.assignment(experiment, "a-1", TASK, "phi-0", 10, 10, SEED));

          Map<Integer, Trajectory> byEpisode = new HashMap<>();
          pollUntil(trajectories, t -> t.getAssignmentId().startsWith("a-"),
              t -> byEpisode.put(t.getEpisodeIndex(), t), () -> byEpisode.size() == 20);

          assertThat(byEpisode.keySet()).isEqualTo(IntStream.range(0, 20).boxed().collect(Collectors.toSet()));
          byEpisode.forEach((e, t) -> assertEqualsReference(t, reference, e));
          assertThat(byEpisode.values()).allSatisfy(t -> {
            assertThat(t.getAssignmentId()).isEqualTo(t.getEpisodeIndex() < 10 ? "a-0" : "a-1");
            assertThat(t.getWorkerId()).isIn("w1", "w2");
            assertThat(t.getPolicyId()).isEqualTo("phi-0");
          });
        }   // closes w1: it leaves the group and w2 takes over every partition

        publish(assignments, base, Fixtures.assignment(experiment, "b-0", "task-1", "phi-0", 20, 5, SEED));
        Map<Integer, Trajectory> after = new HashMap<>();
        pollUntil(trajectories, t -> t.getAssignmentId().equals("b-0"),
            t -> after.put(t.getEpisodeIndex(), t), () -> after.size() == 5);

        assertThat(after.keySet()).containsExactlyInAnyOrder(20, 21, 22, 23, 24);
        after.forEach((e, t) -> assertEqualsReference(t, reference, e));
        assertThat(after.values()).extracting(Trajectory::getWorkerId).containsOnly("w2");
        assertThat(w2.episodesPublished()).isGreaterThanOrEqualTo(5);
      }
    }
  }

  @Test
  void skipsUndecodableAssignmentAndWaitsForAPolicyPublishedLater(EmbeddedKafkaBroker broker) throws Exception {
    String bootstrap = broker.bootstrapServers();
    String experiment = SharedKafkaBroker.uniqueName("exp");
    WorkerConfig config = WorkerConfig.of(experiment, "w-late", bootstrap);
    createTopics(bootstrap, config);
    double[] adapted = Fixtures.logits(7);

    try (KafkaProducer<String, PolicyParams> policies = producer(bootstrap, MetastreamSerdes.policyParams().serializer());
         KafkaProducer<String, byte[]> raw = producer(bootstrap, new ByteArraySerializer());
         KafkaProducer<String, RolloutAssignment> assignments =
             producer(bootstrap, MetastreamSerdes.assignment().serializer());
         KafkaConsumer<String, Trajectory> trajectories = trajectoryConsumer(bootstrap, config.trajectoriesTopic());
         Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
         RolloutWorker worker = RolloutWorker.start(config)) {
      // same key as the valid assignment, so both land in one partition, garbage first
      raw.send(new ProducerRecord<>(config.assignmentsTopic(), TASK, new byte[] {1, 2, 3})).get();
      publish(assignments, config, Fixtures.assignment(experiment, "late-0", TASK, "phi-late", 0, 3, SEED));
      policies.send(new ProducerRecord<>(config.policiesTopic(), "phi-late",
          Fixtures.metaPrior("phi-late", 0, adapted))).get();

      Map<Integer, Trajectory> got = new HashMap<>();
      pollUntil(trajectories, t -> true, t -> got.put(t.getEpisodeIndex(), t), () -> got.size() == 3);

      TabularSoftmaxPolicy reference = new TabularSoftmaxPolicy(16, 4, adapted);
      got.forEach((e, t) -> assertEqualsReference(t, reference, e));
      assertThat(got.values()).extracting(Trajectory::getPolicyId).containsOnly("phi-late");

      // both records (the skipped garbage and the finished assignment) end up committed
      Instant deadline = Instant.now().plus(DEADLINE);
      long committed = 0;
      while (committed < 2) {
        assertThat(Instant.now()).as("offsets not committed within %s", DEADLINE).isBefore(deadline);
        committed = admin.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata()
            .get().values().stream().filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
      }
      assertThat(committed).isEqualTo(2);
    }
  }

  private static void assertEqualsReference(Trajectory t, TabularSoftmaxPolicy reference, int episode) {
    TabularTrajectory expected = TabularRollouts.episode(
        new FrozenLake(FrozenLakeMap.parse(Fixtures.TASK_SPEC)), reference, SEED, episode);
    assertThat(t.getObservations()).as("states of episode %d", episode)
        .containsExactlyElementsOf(Arrays.stream(expected.states()).asDoubleStream().boxed().toList());
    assertThat(t.getActions()).as("actions of episode %d", episode)
        .containsExactlyElementsOf(Arrays.stream(expected.actions()).asDoubleStream().boxed().toList());
    assertThat(t.getRewards()).as("rewards of episode %d", episode)
        .containsExactlyElementsOf(Arrays.stream(expected.rewards()).boxed().toList());
  }

  /** Polls until {@code done} holds, feeding matching records to {@code sink}; fails after {@link #DEADLINE}. */
  private static void pollUntil(KafkaConsumer<String, Trajectory> consumer, Predicate<Trajectory> matches,
                                java.util.function.Consumer<Trajectory> sink, java.util.function.BooleanSupplier done) {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!done.getAsBoolean()) {
      assertThat(Instant.now()).as("trajectories did not arrive within %s", DEADLINE).isBefore(deadline);
      for (ConsumerRecord<String, Trajectory> r : consumer.poll(Duration.ofMillis(200))) {
        if (matches.test(r.value())) {
          sink.accept(r.value());
        }
      }
    }
  }

  private static void publish(KafkaProducer<String, RolloutAssignment> producer, WorkerConfig c,
                              RolloutAssignment a) throws Exception {
    producer.send(new ProducerRecord<>(c.assignmentsTopic(), a.getTaskId(), a)).get();
  }

  private static void createTopics(String bootstrap, WorkerConfig c) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(
          new NewTopic(c.assignmentsTopic(), 3, (short) 1),
          new NewTopic(c.policiesTopic(), 2, (short) 1)
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
          new NewTopic(c.trajectoriesTopic(), 3, (short) 1))).all().get();
    }
  }

  private static <V> KafkaProducer<String, V> producer(String bootstrap, Serializer<V> values) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), values);
  }

  private static KafkaConsumer<String, Trajectory> trajectoryConsumer(String bootstrap, String topic) {
    KafkaConsumer<String, Trajectory> consumer = new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new StringDeserializer(), MetastreamSerdes.trajectory().deserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }
}
