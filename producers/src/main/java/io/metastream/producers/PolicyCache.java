package io.metastream.producers;

import io.metastream.schemas.AvroSerde;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.PolicyParams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The worker's view of the compacted policies topic: a consumer outside any group, assigned every
 * partition and started from the beginning, feeds a map from policy id to {@link RolloutPolicy}
 * (decoded by the experiment kind's decoder) on its own thread. {@link #await} gives a policy at once when known, or when it arrives.
 *
 * <p>A later record with the same id replaces the cached one. Records that cannot be decoded,
 * tombstones (policies are never deleted: the log is the experiment), records whose key is not
 * their policy id, and records that are not a policy a worker can roll out are logged and skipped
 * (assignments naming them then time out in {@link #await}); the adapter's policy audit, the one
 * dead-letter owner of the policies topic, dead-letters each of them once — every worker reads
 * every policy record, so a worker cannot. Nothing is evicted (see README).
 */
final class PolicyCache implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PolicyCache.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  private final String topic;
  private final Consumer<String, byte[]> consumer;
  private final AvroSerde<PolicyParams> serde = MetastreamSerdes.policyParams();
  private final Map<String, CompletableFuture<RolloutPolicy>> policies = new ConcurrentHashMap<>();
  private final Function<PolicyParams, RolloutPolicy> decoder;
  private final Thread thread;
  private volatile boolean closing;

  /**
   * Takes ownership of {@code consumer} (String keys, raw values, no group id) and starts reading;
   * {@code decoder} turns a record into a policy or throws IllegalArgumentException with the reason.
   */
  PolicyCache(String topic, Consumer<String, byte[]> consumer, String threadName,
              Function<PolicyParams, RolloutPolicy> decoder) {
    this.topic = topic;
    this.consumer = consumer;
    this.decoder = decoder;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * The policy {@code policyId}, emitted on a parallel scheduler; fails with a
   * {@link TimeoutException} naming the policy and topic if it is not seen within {@code wait}.
   */
  Mono<RolloutPolicy> await(String policyId, Duration wait) {
    CompletableFuture<RolloutPolicy> f = policies.computeIfAbsent(policyId, k -> new CompletableFuture<>());
    return Mono.fromFuture(f, true)
        .timeout(wait, Mono.error(() -> new TimeoutException(
            "policy '" + policyId + "' not seen on " + topic + " within " + wait)))
        .publishOn(Schedulers.parallel());
  }

  private void run() {
    try {
      assignAllPartitions();
      while (!closing) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
          accept(record);
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        log.error("policies consumer of {} woken up unexpectedly", topic, e);
      }
    } catch (RuntimeException e) {
      log.error("policies consumer of {} stopped; assignments will wait for policies in vain", topic, e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing the policies consumer of {} failed", topic, e);
      }
    }
  }

  private void assignAllPartitions() {
    while (!closing) {
      List<PartitionInfo> infos;
      try {
        infos = consumer.partitionsFor(topic, POLL_TIMEOUT);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        infos = List.of();
      }
      if (infos != null && !infos.isEmpty()) {
        List<TopicPartition> partitions = infos.stream()
            .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return;
      }
      log.warn("policies topic {} not found yet; retrying", topic);
    }
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    String where = topic + "-" + record.partition() + "@" + record.offset();
    RolloutPolicy policy;
    try {
      PolicyParams params = serde.deserialize(record.value());
      if (params == null) {
        throw new IllegalArgumentException("tombstone: policies are never deleted");
      }
      if (!params.getPolicyId().equals(record.key())) {
        throw new IllegalArgumentException("key does not match policyId '" + params.getPolicyId() + "'");
      }
      policy = decoder.apply(params);
    } catch (RuntimeException e) {   // undecodable bytes or an unsupported policy
      log.info("skipping policy record {} (key {}), the adapter's policy audit dead-letters it: {}", where,
          record.key(), e.getMessage());
      return;
    }
    CompletableFuture<RolloutPolicy> previous =
        policies.put(policy.policyId(), CompletableFuture.completedFuture(policy));
    if (previous != null) {
      previous.complete(policy);   // wakes waiters; a no-op when it already held an older version
    }
  }

  /** Stops the reading thread and closes its consumer; waits at most a few seconds. */
  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
