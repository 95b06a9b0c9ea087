package io.metastream.producers;

import io.metastream.core.meta.MetaExperiment;
import io.metastream.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Immutable, validated configuration of one {@link RolloutWorker}; invalid values fail here,
 * with the key's name, before any client is created.
 *
 * @param experimentId experiment id, also the topic prefix ({@link Topics#of}); key {@value #EXPERIMENT_ID}
 * @param workerId id written into every trajectory and used as the Kafka client-id prefix; key {@value #WORKER_ID}
 * @param bootstrapServers Kafka bootstrap servers; key {@value #BOOTSTRAP_SERVERS}
 * @param groupId consumer group of the workers sharing the assignments topic, by default
 *     {@code <experimentId>-workers}; key {@value #GROUP_ID}
 * @param clientProperties extra Kafka client properties given to all three clients (two consumers,
 *     one producer), e.g. security settings; the keys the worker owns ({@link #RESERVED_CLIENT_KEYS})
 *     are rejected; key {@value #CLIENT_PROPERTIES}
 * @param maxInFlightEpisodes back-pressure bound: at most this many episodes are being rolled out,
 *     and at most this many sent but not yet acknowledged, at any time; key {@value #MAX_IN_FLIGHT_EPISODES}
 * @param policyWait how long an assignment waits for its policy to appear on the policies topic
 *     before the worker gives up on it for now and re-reads it later; key {@value #POLICY_WAIT}
 * @param experiment the experiment whose episodes the worker plays, or null for a tabular worker
 *     (Frozen Lake episodes need no settings). A continuous experiment is required for
 *     {@code gaussian-mlp} policies: it supplies the family, the MLP's hidden widths, the horizon H,
 *     the continuation C and γ, which never come from records
 */
public record WorkerConfig(
    String experimentId,
    String workerId,
    String bootstrapServers,
    String groupId,
    Map<String, String> clientProperties,
    int maxInFlightEpisodes,
    Duration policyWait,
    MetaExperiment experiment) {

  public static final String EXPERIMENT_ID = "experiment-id";
  public static final String WORKER_ID = "worker-id";
  public static final String BOOTSTRAP_SERVERS = "bootstrap-servers";
  public static final String GROUP_ID = "group-id";
  public static final String CLIENT_PROPERTIES = "client-properties";
  public static final String MAX_IN_FLIGHT_EPISODES = "max-in-flight-episodes";
  public static final String POLICY_WAIT = "policy-wait";

  public static final int DEFAULT_MAX_IN_FLIGHT_EPISODES = 64;
  public static final Duration DEFAULT_POLICY_WAIT = Duration.ofSeconds(30);

  /** Client settings the worker sets itself: overriding them would break its delivery contract. */
  public static final Set<String> RESERVED_CLIENT_KEYS = Set.of(
      ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
      ConsumerConfig.GROUP_ID_CONFIG,
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
      ProducerConfig.ACKS_CONFIG,
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
      ProducerConfig.TRANSACTIONAL_ID_CONFIG);

  public WorkerConfig {
    requireText(EXPERIMENT_ID, experimentId);
    try {
      Topics.ASSIGNMENTS.of(experimentId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(EXPERIMENT_ID + ": " + e.getMessage(), e);
    }
    requireText(WORKER_ID, workerId);
    requireText(BOOTSTRAP_SERVERS, bootstrapServers);
    requireText(GROUP_ID, groupId);
    if (clientProperties == null) {
      throw new IllegalArgumentException(CLIENT_PROPERTIES + " must not be null (use an empty map)");
    }
    for (Map.Entry<String, String> e : clientProperties.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(CLIENT_PROPERTIES + " must not hold null keys or values, got "
            + e.getKey() + "=" + e.getValue());
      }
      if (RESERVED_CLIENT_KEYS.contains(e.getKey())) {
        throw new IllegalArgumentException(CLIENT_PROPERTIES + ": '" + e.getKey()
            + "' is set by the worker and cannot be overridden (reserved: " + new TreeSet<>(RESERVED_CLIENT_KEYS) + ")");
      }
    }
    clientProperties = Map.copyOf(clientProperties);
    if (maxInFlightEpisodes < 1) {
      throw new IllegalArgumentException(MAX_IN_FLIGHT_EPISODES + " must be >= 1, got " + maxInFlightEpisodes);
    }
    if (policyWait == null || policyWait.isNegative() || policyWait.isZero()) {
      throw new IllegalArgumentException(POLICY_WAIT + " must be a positive duration, got " + policyWait);
    }
  }

  /**
   * Defaults: group {@code <experimentId>-workers}, no extra client properties, 64 episodes in flight,
   * 30 s policy wait, tabular (no experiment).
   */
  public static WorkerConfig of(String experimentId, String workerId, String bootstrapServers) {
    return new WorkerConfig(experimentId, workerId, bootstrapServers, experimentId + "-workers",
        Map.of(), DEFAULT_MAX_IN_FLIGHT_EPISODES, DEFAULT_POLICY_WAIT, null);
  }

  /** The same worker for {@code value}'s episodes (null: tabular). */
  public WorkerConfig withExperiment(MetaExperiment value) {
    return new WorkerConfig(experimentId, workerId, bootstrapServers, groupId, clientProperties,
        maxInFlightEpisodes, policyWait, value);
  }

  public WorkerConfig withWorkerId(String value) {
    return new WorkerConfig(experimentId, value, bootstrapServers, groupId, clientProperties,
        maxInFlightEpisodes, policyWait, experiment);
  }

  public WorkerConfig withGroupId(String value) {
    return new WorkerConfig(experimentId, workerId, bootstrapServers, value, clientProperties,
        maxInFlightEpisodes, policyWait, experiment);
  }

  public WorkerConfig withClientProperties(Map<String, String> value) {
    return new WorkerConfig(experimentId, workerId, bootstrapServers, groupId, value,
        maxInFlightEpisodes, policyWait, experiment);
  }

  public WorkerConfig withMaxInFlightEpisodes(int value) {
    return new WorkerConfig(experimentId, workerId, bootstrapServers, groupId, clientProperties,
        value, policyWait, experiment);
  }

  public WorkerConfig withPolicyWait(Duration value) {
    return new WorkerConfig(experimentId, workerId, bootstrapServers, groupId, clientProperties,
        maxInFlightEpisodes, value, experiment);
  }

  /** {@code <experimentId>.assignments}. */
  public String assignmentsTopic() {
    return Topics.ASSIGNMENTS.of(experimentId);
  }

  /** {@code <experimentId>.policies}. */
  public String policiesTopic() {
    return Topics.POLICIES.of(experimentId);
  }

  /** {@code <experimentId>.trajectories}. */
  public String trajectoriesTopic() {
    return Topics.TRAJECTORIES.of(experimentId);
  }

  private static void requireText(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " must be a non-blank string, got '" + value + "'");
    }
  }
}
