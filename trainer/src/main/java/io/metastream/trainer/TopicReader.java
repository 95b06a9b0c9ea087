package io.metastream.trainer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole topic as it stands — every committed record from the beginning up to the end
 * offsets at the time of the call (read_committed, so aborted transactions are skipped) — without
 * joining a consumer group. The experiment's log is read this way to resume a trainer, to replay an
 * experiment and to regenerate reports.
 */
public final class TopicReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicReader() {
    }

    /** The records of {@code topic} in partition order, then offset order; empty if the topic does not exist. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, Map<String, ?> clientProperties,
                                                               String topic) {
        Map<String, Object> c = new HashMap<>(clientProperties);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        Map<TopicPartition, Long> end;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            // records written after this point (past these offsets) are not part of the view
            end = consumer.endOffsets(parts, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end offsets " + end + " within " + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.removeIf(r -> r.offset() >= end.get(new TopicPartition(r.topic(), r.partition())));
        out.sort(Comparator.<ConsumerRecord<String, byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    /** The end offset of each partition of {@code topic} (read_committed: the last stable offset), by partition. */
    public static java.util.SortedMap<Integer, Long> endOffsets(String bootstrapServers, Map<String, ?> clientProperties,
                                                                String topic) {
        Map<String, Object> c = new HashMap<>(clientProperties);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        java.util.SortedMap<Integer, Long> out = new java.util.TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos != null) {
                consumer.endOffsets(infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList(), TIMEOUT)
                        .forEach((tp, off) -> out.put(tp.partition(), off));
            }
        }
        return out;
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), TIMEOUT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
