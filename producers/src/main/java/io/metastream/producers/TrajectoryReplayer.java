package io.metastream.producers;

import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Topics;
import io.metastream.schemas.Trajectory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the rollout workers when an experiment is replayed: it answers the assignments
 * of experiment {@code target} with the trajectories experiment {@code source} recorded for the
 * assignment of the same id, instead of rolling anything out. Assignment ids, seeds and episode
 * indices are deterministic, so the adapter and trainer of {@code target} see exactly the data
 * {@code source}'s saw; only the experiment id and the policy-id prefix are rewritten.
 *
 * <p>On start it indexes the source's {@code trajectories} topic (assignment id → record
 * positions; undecodable records, which the source's adapter dead-lettered, cannot be attributed and
 * are counted as skipped). Every decodable record is forwarded, invalid ones included, so the
 * target's adapter dead-letters what the source's did. EVAL assignments are not answered: replay
 * covers meta-training. One thread; {@link #close()} stops it.
 */
public final class TrajectoryReplayer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrajectoryReplayer.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String source;
    private final String target;
    private final Map<String, Object> consumerProps;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, List<long[]>> index = new HashMap<>();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final List<String> unanswerable = java.util.Collections.synchronizedList(new ArrayList<>());
    private long skipped;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private final Thread thread;

    private TrajectoryReplayer(String bootstrap, Map<String, String> clientProps, String source, String target) {
        this.source = source;
        this.target = target;
        Map<String, Object> c = new HashMap<>(clientProps);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerProps = c;
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::serve, "replay-" + target);
        this.thread.setDaemon(true);
    }

    /** Indexes {@code source}'s trajectories, then answers {@code target}'s assignments on a background thread. */
    public static TrajectoryReplayer start(String bootstrap, Map<String, String> clientProps, String source, String target) {
        TrajectoryReplayer r = new TrajectoryReplayer(bootstrap, clientProps, source, target);
        r.buildIndex();
        r.thread.start();
        return r;
    }

    /** Trajectories forwarded so far. */
    public long trajectoriesReplayed() {
        return replayed.get();
    }

    /** Assignments answered so far. */
    public long assignmentsAnswered() {
        return answered.get();
    }

    /** Source records that could not be decoded (and so not attributed to an assignment). */
    public long undecodableSourceRecords() {
        return skipped;
    }

    /** Non-EVAL assignments of the target for which the source recorded no trajectory. */
    public List<String> unanswerable() {
        return List.copyOf(unanswerable);
    }

    /** The error that stopped the replayer, or null. */
    public RuntimeException failure() {
        return failure;
    }

    private void buildIndex() {
        String topic = Topics.TRAJECTORIES.of(source);
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, TIMEOUT);
            while (!reached(c, end)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    Trajectory t = decode(topic, r.value());
                    if (t == null) {
                        skipped++;
                        continue;
                    }
                    index.computeIfAbsent(t.getAssignmentId(), k -> new ArrayList<>()).add(new long[]{r.partition(), r.offset()});
                }
            }
        }
        LOG.info("replay {} -> {}: indexed {} assignments of {} ({} undecodable records skipped)", source, target,
                index.size(), topic, skipped);
    }

    private void serve() {
        String topic = Topics.ASSIGNMENTS.of(target);
        try (KafkaConsumer<String, byte[]> assignments = consumer(); KafkaConsumer<String, byte[]> fetch = consumer()) {
            List<TopicPartition> parts = partitions(assignments, topic);
            assignments.assign(parts);
            assignments.seekToBeginning(parts);
            java.util.Set<String> done = new java.util.HashSet<>();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : assignments.poll(Duration.ofMillis(100))) {
                    RolloutAssignment a;
                    try {
                        a = r.value() == null ? null : MetastreamSerdes.assignment().deserializer().deserialize(topic, r.value());
                    } catch (SerializationException e) {
                        continue;   // the target's own consumers dead-letter it
                    }
                    if (a == null || a.getPhase() == Phase.EVAL || !done.add(a.getAssignmentId())) {
                        continue;
                    }
                    answer(a, fetch);
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                failure = e;
                LOG.error("replay {} -> {} stopped: {}", source, target, e.toString());
            }
        }
    }

    private void answer(RolloutAssignment a, KafkaConsumer<String, byte[]> fetch) {
        List<long[]> positions = index.get(a.getAssignmentId());
        if (positions == null) {
            unanswerable.add(a.getAssignmentId());
            LOG.warn("replay {} -> {}: the source recorded no trajectory for assignment {}", source, target, a.getAssignmentId());
            return;
        }
        String topic = Topics.TRAJECTORIES.of(source);
        Map<Integer, long[]> range = new TreeMap<>();   // partition -> [min, max] offset
        java.util.Set<Long> wanted = new java.util.HashSet<>();
        for (long[] p : positions) {
            range.merge((int) p[0], new long[]{p[1], p[1]}, (x, y) -> new long[]{Math.min(x[0], y[0]), Math.max(x[1], y[1])});
            wanted.add(p[0] << 48 | p[1]);
        }
        int sent = 0;
        for (Map.Entry<Integer, long[]> e : range.entrySet()) {
            TopicPartition tp = new TopicPartition(topic, e.getKey());
            fetch.assign(List.of(tp));
            fetch.seek(tp, e.getValue()[0]);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (fetch.position(tp) <= e.getValue()[1]) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + tp + " up to offset " + e.getValue()[1]);
                }
                for (ConsumerRecord<String, byte[]> r : fetch.poll(Duration.ofMillis(200))) {
                    if (r.offset() > e.getValue()[1] || !wanted.contains((long) r.partition() << 48 | r.offset())) {
                        continue;
                    }
                    Trajectory t = decode(topic, r.value());
                    Trajectory moved = Trajectory.newBuilder(t).setExperimentId(target).setPolicyId(rename(t.getPolicyId())).build();
                    String out = Topics.TRAJECTORIES.of(target);
                    producer.send(new ProducerRecord<>(out, a.getTaskId(), MetastreamSerdes.trajectory().serializer().serialize(out, moved)));
                    sent++;
                }
            }
        }
        producer.flush();
        replayed.addAndGet(sent);
        answered.incrementAndGet();
    }

    /** {@code <source>/…} → {@code <target>/…}; other ids unchanged. */
    private String rename(String policyId) {
        return policyId != null && policyId.startsWith(source + "/") ? target + policyId.substring(source.length()) : policyId;
    }

    private static Trajectory decode(String topic, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return MetastreamSerdes.trajectory().deserializer().deserialize(topic, value);
        } catch (SerializationException e) {
            return null;
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
        var infos = c.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey(), TIMEOUT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
