package io.metastream.producers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the worker's producer to the trajectories topic's record limit, read once at start: the
 * producer's {@code max.request.size} and {@code batch.size} are capped at the topic's effective
 * {@code max.message.bytes} (a smaller value the user set stays). Then a trajectory too large for the
 * topic fails at once in {@code send} with Kafka's {@code RecordTooLargeException}, and a batch of
 * trajectories that each fit never exceeds the topic's limit. Without the caps the broker refuses such
 * a batch with MESSAGE_TOO_LARGE and the producer splits it into batches of {@code batch.size} and
 * retries without end (KAFKA-8350), so the worker would hang without an error.
 */
final class TrajectoryTopicLimit {

  private static final Logger log = LoggerFactory.getLogger(TrajectoryTopicLimit.class);
  private static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
  private static final int DEFAULT_BATCH_SIZE = 16_384;

  private TrajectoryTopicLimit() {
  }

  /**
   * The topic's effective {@code max.message.bytes}, or empty (logged) when it cannot be read, e.g.
   * the topic does not exist yet or the client may not describe its configuration.
   */
  static OptionalInt read(WorkerConfig c) {
    Map<String, Object> props = new HashMap<>(c.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, c.workerId() + "-admin");
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, c.trajectoriesTopic());
    try (Admin admin = Admin.create(props)) {
      ConfigEntry e = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic)
          .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      return OptionalInt.of(Integer.parseInt(e.value()));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("worker {}: cannot read max.message.bytes of {} ({}); the producer keeps its own limits, so a "
          + "trajectory too large for the topic may be retried without end", c.workerId(), c.trajectoriesTopic(),
          e.toString());
      return OptionalInt.empty();
    }
  }

  /** Caps {@code max.request.size} and {@code batch.size} of producer properties {@code p} at {@code limit}. */
  static void apply(Map<String, Object> p, int limit) {
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.min(limit, intOf(p.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        DEFAULT_MAX_REQUEST_SIZE)));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Math.min(limit, intOf(p.get(ProducerConfig.BATCH_SIZE_CONFIG),
        DEFAULT_BATCH_SIZE)));
  }

  private static int intOf(Object value, int otherwise) {
    return value == null ? otherwise : Integer.parseInt(value.toString().strip());
  }
}
