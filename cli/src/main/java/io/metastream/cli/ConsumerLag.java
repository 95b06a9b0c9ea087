package io.metastream.cli;

import io.metastream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Consumer lag of an experiment's two consumer groups, for the progress lines: the workers on
 * {@code assignments} and the adapter on {@code trajectories} (records not yet consumed and
 * committed; read_committed end offsets). A lookup that fails or takes over a second reports −1:
 * progress output never blocks training.
 */
final class ConsumerLag implements AutoCloseable {

    private final Admin admin;
    private final String experimentId;

    ConsumerLag(String bootstrap, Map<String, String> clientProps, String experimentId) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(p);
        this.experimentId = experimentId;
    }

    /** "lag workers N, adapter M" (− where unknown). */
    String describe() {
        long workers = lag(experimentId + "-workers", Topics.ASSIGNMENTS.of(experimentId));
        long adapter = lag(experimentId + "-adapter", Topics.TRAJECTORIES.of(experimentId));
        return "lag workers " + (workers < 0 ? "-" : Long.toString(workers)) + ", adapter " + (adapter < 0 ? "-" : Long.toString(adapter));
    }

    /** Records of {@code topic} that {@code group} has not committed yet; −1 if unknown. */
    long lag(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(1, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartition tp : committed.keySet()) {
                if (tp.topic().equals(topic)) {
                    latest.put(tp, OffsetSpec.latest());
                }
            }
            if (latest.isEmpty()) {
                return -1;
            }
            long lag = 0;
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(1, TimeUnit.SECONDS);
            for (TopicPartition tp : latest.keySet()) {
                OffsetAndMetadata c = committed.get(tp);
                lag += Math.max(0, ends.get(tp).offset() - (c == null ? 0 : c.offset()));
            }
            return lag;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
