package io.metastream.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads one topic from the beginning in the test JVM, decoding each value, and keeps every record
 * seen so far in log order per partition. Fault-injection tests use it to find the moment to
 * kill a role (a watch is polled until a condition on what the roles have written holds) and to
 * read an experiment's results back.
 *
 * @param <V> the decoded value type
 */
final class TopicWatch<V> implements AutoCloseable {

    private final String bootstrap;
    private final String topic;
    private final IsolationLevel isolation;
    private final Deserializer<V> values;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final List<V> seen = new ArrayList<>();

    /**
     * @param isolation {@code READ_UNCOMMITTED} to see what roles wrote as soon as it is written
     *                  (records of open or aborted transactions included); {@code READ_COMMITTED}
     *                  for what downstream consumers of an exactly-once role see
     */
    TopicWatch(String bootstrap, String topic, IsolationLevel isolation, Deserializer<V> values) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.isolation = isolation;
        this.values = values;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT)),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrives within {@code wait}; returns every record seen so far. */
    List<V> poll(Duration wait) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
            seen.add(values.deserialize(topic, r.value()));
        }
        return seen();
    }

    /** Every record seen so far. */
    List<V> seen() {
        return Collections.unmodifiableList(seen);
    }

    /**
     * Reads up to the end of every partition as of now and returns every record seen. With
     * {@code READ_COMMITTED} the end is the last stable offset; this first waits (at most
     * {@code timeout}) until no transaction is open on the topic, so that the end is the log's end:
     * a transaction left open by a killed producer is aborted by the broker after its timeout.
     */
    List<V> readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> end = isolation == IsolationLevel.READ_COMMITTED ? awaitStable(deadline)
                : consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read " + topic + " to its end " + end + " within " + timeout);
            }
            poll(Duration.ofMillis(200));
        }
        return seen();
    }

    /** The end offsets once the last stable offset equals the log end offset on every partition. */
    private Map<TopicPartition, Long> awaitStable(long deadline) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (true) {
                Map<TopicPartition, Long> stable = ends(admin, IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> logEnd = ends(admin, IsolationLevel.READ_UNCOMMITTED);
                if (stable.equals(logEnd)) {
                    return stable;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a transaction stays open on " + topic + ": last stable offsets " + stable
                            + ", log end offsets " + logEnd);
                }
                poll(Duration.ofMillis(200));   // waits on the consumer, not a sleep; keeps what it reads
            }
        }
    }

    private Map<TopicPartition, Long> ends(Admin admin, IsolationLevel level) {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        try {
            return admin.listOffsets(latest, new ListOffsetsOptions(level)).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the end offsets of " + topic + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the end offsets of " + topic, e);
        }
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
