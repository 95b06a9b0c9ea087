package io.metastream.producers;

import io.metastream.schemas.AvroSerde;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A rollout worker (ARCHITECTURE.md, "producers"): consumes {@code assignments} in the worker
 * group, rolls out each assignment's episodes with the named policy, and publishes one
 * {@code Trajectory} per episode to {@code trajectories}, keyed by task id.
 *
 * <p>The pipeline, read top to bottom in {@link #pipeline()}: a Flux of poll batches from the
 * assignments consumer (one poll per request, on the worker's poll thread) → assignments, one at a
 * time ({@code concatMap}) → the policy from the {@link PolicyCache} → episodes
 * {@code episodeStart .. episodeStart+episodeCount-1} in groups of at most
 * {@link WorkerConfig#maxInFlightEpisodes()} / cores episodes (one group per core when the assignment is
 * small), one group per core at a time, each group
 * played by the experiment kind's {@link Episodes#playGroup} (tabular: one {@code TabularRollouts.episode}
 * after another; continuous: {@code ContinuousRollouts.lockstep}, the group's environments stepped together
 * with one batched policy pass per step, every episode bit-identical to playing it alone) on the parallel scheduler → {@link KafkaSend} to the idempotent {@code acks=all} producer → when
 * every episode of the batch is acknowledged, the batch's offsets are committed. At most
 * {@link WorkerConfig#maxInFlightEpisodes()} episodes are computing and at most as many are
 * unacknowledged; the next poll is not requested before the batch is committed.
 *
 * <p>Delivery: at least once. A worker that dies mid-assignment leaves the assignment uncommitted,
 * so the group redelivers it; consumers deduplicate by (assignmentId, episodeIndex). An assignment
 * whose policy does not arrive within {@link WorkerConfig#policyWait()}, or whose sends fail,
 * stops its batch: what finished is committed and the consumer seeks back, so it is read again.
 *
 * <p>Bad input: the worker dead-letters nothing. The adapter owns the dead letters of both topics
 * a worker reads — it reads every assignment exactly once, while a worker reads each at least once
 * and every worker reads every policy. A worker skips (logs, and commits) each assignment the
 * adapter dead-letters ({@link AssignmentCheck}: undecodable, tombstone, another experiment, a
 * task that can never be assigned, a bad episode range or task spec) and one whose policy cannot
 * play the task; its {@link PolicyCache} skips bad policy records.
 *
 * <p>A trajectory too large for the trajectories topic (its {@code max.message.bytes}, read at start
 * and applied to the producer by {@link TrajectoryTopicLimit}, or the producer's {@code max.request.size})
 * stops the worker with a
 * {@link TrajectoryTooLargeException} naming the assignment, the episode, the size and the fix
 * ({@link #failure()}): the episode is deterministic, so retrying cannot help, and the assignment
 * stays uncommitted, so a worker started after the limit is raised completes it.
 *
 * <p>Several workers can run in one JVM; each owns its two consumers and its producer.
 */
public final class RolloutWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RolloutWorker.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_POLL_RECORDS = 8;
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private final WorkerConfig config;
  private final Episodes episodes;
  private final AvroSerde<RolloutAssignment> assignmentSerde = MetastreamSerdes.assignment();
  private final Consumer<String, byte[]> assignments;
  private final Producer<String, Trajectory> producer;
  private final Consumer<String, byte[]> policyConsumer;
  private final PolicyCache policies;
  private final Scheduler pollThread;
  private final AtomicLong episodesPublished = new AtomicLong();
  private final AssignmentCheck check;
  private final OptionalInt trajectoryLimit;
  private volatile Throwable failure;
  private final Disposable subscription;
  private volatile boolean closing;

  private RolloutWorker(WorkerConfig config) {
    this.config = config;
    this.episodes = Episodes.of(config.experiment());
    this.check = new AssignmentCheck(config.experimentId(), config.experiment());
    this.trajectoryLimit = TrajectoryTopicLimit.read(config);
    Map<String, Object> producerProps = producerProperties(config);
    trajectoryLimit.ifPresent(limit -> TrajectoryTopicLimit.apply(producerProps, limit));
    // Clients reject bad extra properties in their constructors: release what was built before.
    this.producer = new KafkaProducer<>(producerProps, new StringSerializer(),
        MetastreamSerdes.trajectory().serializer());
    Consumer<String, byte[]> assignmentConsumer = null;
    Consumer<String, byte[]> policyConsumer = null;
    try {
      assignmentConsumer = new KafkaConsumer<>(assignmentConsumerProperties(config),
          new StringDeserializer(), new ByteArrayDeserializer());
      policyConsumer = new KafkaConsumer<>(policyConsumerProperties(config),
          new StringDeserializer(), new ByteArrayDeserializer());
    } catch (RuntimeException e) {
      if (assignmentConsumer != null) {
        assignmentConsumer.close();
      }
      producer.close(Duration.ZERO);
      throw e;
    }
    this.assignments = assignmentConsumer;
    this.policyConsumer = policyConsumer;
    this.policies = new PolicyCache(config.policiesTopic(), policyConsumer, config.workerId() + "-policies",
        episodes::decode);
    this.pollThread = Schedulers.newSingle(config.workerId() + "-assignments");
    this.subscription = pipeline().subscribe(
        batch -> { },
        error -> {
          failure = error;
          log.error("worker {} stopped: {}", config.workerId(), error.getMessage(), error);
        },
        () -> log.info("worker {} stopped", config.workerId()));
  }

  /** Creates the worker's clients, joins the group and starts processing assignments. */
  public static RolloutWorker start(WorkerConfig config) {
    RolloutWorker worker = new RolloutWorker(config);
    log.info("worker {} started: group {}, assignments {}, max {} episodes in flight", config.workerId(),
        config.groupId(), config.assignmentsTopic(), config.maxInFlightEpisodes());
    return worker;
  }

  public WorkerConfig config() {
    return config;
  }

  /**
   * Why the worker stopped on its own, if it did: a {@link TrajectoryTooLargeException}, or an
   * unexpected error of its pipeline. Empty while it runs (and after a plain {@link #close()}).
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** The worker's Kafka clients (producer, assignments consumer, policies consumer), for metrics binding. */
  public java.util.List<Object> kafkaClients() {
    return java.util.List.of(producer, assignments, policyConsumer);
  }

  /** Trajectories this worker has published and the broker has acknowledged. */
  public long episodesPublished() {
    return episodesPublished.get();
  }

  private Flux<Integer> pipeline() {
    return Flux.<ConsumerRecords<String, byte[]>, Consumer<String, byte[]>>generate(() -> {
          assignments.subscribe(List.of(config.assignmentsTopic()), new RebalanceLog(config.workerId()));
          return assignments;
        }, (consumer, sink) -> {
          try {
            sink.next(consumer.poll(POLL_TIMEOUT));
          } catch (WakeupException e) {
            sink.complete();
          }
          return consumer;
        })
        .subscribeOn(pollThread)
        .concatMap(batch -> processBatch(batch).thenReturn(batch.count()), 0);
  }

  /** Processes a batch in order, then (on the poll thread) commits what finished and rewinds the rest. */
  private Mono<Void> processBatch(ConsumerRecords<String, byte[]> batch) {
    if (batch.isEmpty()) {
      return Mono.empty();
    }
    Map<TopicPartition, OffsetAndMetadata> done = new ConcurrentHashMap<>();
    return Flux.fromIterable(batch)
        .concatMap(record -> process(record).then(Mono.fromRunnable(() -> done.put(
            new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1)))))
        .then()
        .onErrorResume(e -> !(e instanceof TrajectoryTooLargeException), e -> {
          log.warn("worker {}: assignment not finished, will be read again: {}", config.workerId(), e.toString());
          return Mono.empty();
        })
        .publishOn(pollThread)
        .then(Mono.fromRunnable(() -> commitAndRewind(batch, done)));
  }

  private void commitAndRewind(ConsumerRecords<String, byte[]> batch, Map<TopicPartition, OffsetAndMetadata> done) {
    if (closing) {
      return;
    }
    try {
      if (!done.isEmpty()) {
        assignments.commitSync(new HashMap<>(done));
      }
      for (TopicPartition tp : batch.partitions()) {
        var records = batch.records(tp);
        long end = records.get(records.size() - 1).offset() + 1;
        OffsetAndMetadata finished = done.get(tp);
        long next = finished != null ? finished.offset() : records.get(0).offset();
        if (next < end) {
          assignments.seek(tp, next);
        }
      }
    } catch (WakeupException e) {
      log.info("worker {}: commit interrupted by close; the batch will be redelivered", config.workerId());
    } catch (RuntimeException e) {   // e.g. the group rebalanced meanwhile: the new owner redelivers
      log.warn("worker {}: commit of {} failed, the assignments will be redelivered: {}",
          config.workerId(), done, e.toString());
    }
  }

  /** Rolls out and publishes every episode of one assignment; empty when the record is skipped. */
  private Mono<Void> process(ConsumerRecord<String, byte[]> record) {
    String where = record.topic() + "-" + record.partition() + "@" + record.offset();
    RolloutAssignment assignment;
    try {
      assignment = assignmentSerde.deserialize(record.value());
      if (assignment == null) {
        throw new IllegalArgumentException("tombstone (null value)");
      }
      check.problem(record.key(), assignment).or(() -> episodes.taskProblem(assignment.getTaskSpec()))
          .ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
          });
    } catch (RuntimeException e) {
      log.info("worker {}: skipping assignment {} (key {}), the adapter dead-letters it: {}", config.workerId(),
          where, record.key(), e.getMessage());
      return Mono.empty();
    }
    int max = config.maxInFlightEpisodes();
    return policies.await(assignment.getPolicyId(), config.policyWait())
        .flatMapMany(policy -> {
          var problem = episodes.policyProblem(assignment, policy);
          if (problem.isPresent()) {
            log.warn("worker {}: skipping assignment {} (key {}): {}", config.workerId(), where, record.key(),
                problem.get());
            return Flux.empty();
          }
          // groups of episodes played in lockstep (one batched policy pass per step), each group on one thread
          // (one per core at a time, so at most max episodes in flight)
          int count = assignment.getEpisodeCount();
          int size = Math.max(1, Math.min((count + CORES - 1) / CORES, max / CORES));
          int groups = (count + size - 1) / size;
          return Flux.range(0, groups)
              .flatMapSequential(g -> Mono.fromCallable(() -> episodes.playGroup(assignment, policy,
                      assignment.getEpisodeStart() + g * size, Math.min(size, count - g * size), config.workerId()))
                  .subscribeOn(Schedulers.parallel()), CORES, 1)
              .flatMapIterable(group -> group)
              .flatMap(trajectory -> KafkaSend.send(producer,
                      new ProducerRecord<>(config.trajectoriesTopic(), assignment.getTaskId(), trajectory))
                  .onErrorMap(RecordTooLargeException.class, e -> tooLarge(assignment, trajectory, e)), max);
        })
        .doOnNext(metadata -> episodesPublished.incrementAndGet())
        .then();
  }

  private TrajectoryTooLargeException tooLarge(RolloutAssignment a, Trajectory t, RecordTooLargeException e) {
    int bytes = MetastreamSerdes.trajectory().serialize(t).length;
    return new TrajectoryTooLargeException(String.format("worker %s: the trajectory of assignment '%s' (task %s, "
        + "episode %d, %d steps) is %d bytes serialized, too large for topic %s (max.message.bytes %s: %s). "
        + "A trajectory is one record: "
        + "raise the topic's max.message.bytes (and the worker's producer max.request.size, a client property) "
        + "above %d bytes plus about 100 bytes of record overhead. The worker stops; the assignment stays "
        + "uncommitted, so a worker started after the fix completes it.", config.workerId(), a.getAssignmentId(),
        a.getTaskId(), t.getEpisodeIndex(), t.getRewards().size(), bytes, config.trajectoriesTopic(),
        trajectoryLimit.isPresent() ? Integer.toString(trajectoryLimit.getAsInt()) : "unknown", e.getMessage(), bytes), e);
  }

  /**
   * Stops the worker: wakes both consumers, cancels the assignment in progress (its offsets stay
   * uncommitted, so it is redelivered), leaves the group, and flushes and closes the producer, each step bounded
   * by {@code CLOSE_TIMEOUT} (10 s). Idempotent.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    assignments.wakeup();
    subscription.dispose();
    try {
      Mono.fromRunnable(() -> assignments.close(CLOSE_TIMEOUT)).subscribeOn(pollThread)
          .block(CLOSE_TIMEOUT.plusSeconds(5));
    } catch (RuntimeException e) {
      log.warn("worker {}: closing the assignments consumer failed: {}", config.workerId(), e.toString());
    }
    pollThread.dispose();
    policies.close();   // bounded: joins its thread for at most 10 s
    // close(timeout) sends what is buffered and waits at most the timeout: an unbounded flush() would wait for the
    // delivery timeout (2 minutes) against a broker that no longer answers
    producer.close(CLOSE_TIMEOUT);
    log.info("worker {} closed after publishing {} trajectories", config.workerId(), episodesPublished.get());
  }

  /** Logs partition moves; nothing to commit on revocation, since a batch is committed before the next poll. */
  private record RebalanceLog(String workerId) implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("worker {}: assigned {}", workerId, partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      log.info("worker {}: revoked {}", workerId, partitions);
    }
  }

  private static Map<String, Object> common(WorkerConfig c, String clientSuffix) {
    Map<String, Object> p = new HashMap<>(c.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, c.workerId() + "-" + clientSuffix);
    // assignments and policies are written in transactions (trainer, exactly-once adapter): never
    // play a record of an aborted one (a killed adapter's POST assignment, a killed trainer's round)
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }

  private static Map<String, Object> assignmentConsumerProperties(WorkerConfig c) {
    Map<String, Object> p = common(c, "assignments");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, c.groupId());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    return p;
  }

  private static Map<String, Object> policyConsumerProperties(WorkerConfig c) {
    Map<String, Object> p = common(c, "policies");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }

  private static Map<String, Object> producerProperties(WorkerConfig c) {
    Map<String, Object> p = common(c, "trajectories");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Kafka 4's linger.ms default of 5 ms held every batch of trajectories back: an assignment's episodes are
    // sent as they finish and at most maxInFlightEpisodes wait for their acknowledgement, so waiting to fill a
    // batch only added latency (requests in flight batch the records anyway); a client property overrides it
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    return p;
  }
}
