package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTest;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.schemas.DeadLetter;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Topics;
import io.metastream.streams.AdapterApp;
import io.metastream.streams.AdapterConfig;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.StreamingTrainer;
import io.metastream.trainer.TrainerConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 poison records on the experiment's input topics — trajectories (adapter), assignments
 * (workers and adapter), policies (workers' caches, the adapter's global store and policy audit) and
 * meta-gradients (trainer) — 300 before the run and 700 after its first round, over every partition:
 * random bytes, unknown and foreign schema fingerprints, truncated records, null values, wrong array
 * shapes, NaN and ±Inf values, unknown task ids (malformed, beyond the run, another experiment's).
 * The synchronous pipeline still yields the reference loop's meta-priors and meta-test bit for bit,
 * and {@code dead-letters} holds exactly one letter per poison record — matched by topic, partition
 * and offset, carrying its bytes and a reason of its kind — and nothing else.
 */
@ExtendWith(SharedKafkaBroker.class)
class PoisonRecordsIntegrationTest {

    private static final int PARTITIONS = 3;
    private static final int BEFORE_THE_RUN = 300;
    private static final int DURING_THE_RUN = 700;

    private record Position(String topic, int partition, long offset) {
    }

    @Test
    void thousandPoisonRecordsAreEachDeadLetteredOnceAndLeaveTheResultBitIdentical(EmbeddedKafkaBroker broker)
            throws Exception {
        TabularExperimentConfig p = TabularExperimentConfig.paper("frozenlake-high", TabularAlgorithm.ALG1, 11);
        TabularExperimentConfig exp = new TabularExperimentConfig(p.family(), p.alg(), p.lambdaTrain(), p.lambdaTest(), 4,
                3, 40, p.sarsaStep(), 5, p.untriedActions(), p.metaLearningRate(), p.optimizer(), p.phiInit(), p.hypergradient(), p.testSteps(),
                p.pgStepSize(), p.seed());
        List<double[]> reference = new ArrayList<>();
        new TabularMetaTrainer(exp).train(s -> reference.add(s.phi()));

        String id = SharedKafkaBroker.uniqueName("poison");
        String bootstrap = broker.bootstrapServers();
        ExperimentTopics.create(bootstrap, id, PARTITIONS, (short) 1, Map.of());
        PoisonRecords poison = new PoisonRecords(id, PARTITIONS, 20261125L);
        Map<Position, PoisonRecords.Poison> sent = new HashMap<>();

        List<double[]> pipeline = new ArrayList<>();
        double[][] eval;
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            sent.putAll(send(producer, id, poison.next(BEFORE_THE_RUN)));
            WorkerConfig workers = WorkerConfig.of(id, "w0", bootstrap).withExperiment(exp);
            try (RolloutWorker w0 = RolloutWorker.start(workers);
                 RolloutWorker w1 = RolloutWorker.start(workers.withWorkerId("w1"));
                 AdapterApp adapter = AdapterApp.create(AdapterConfig.of(id, exp), bootstrap).start();
                 StreamingTrainer trainer = new StreamingTrainer(new TrainerConfig(id, bootstrap, exp,
                         Duration.ofMinutes(1), 0, Map.of()))) {
                double[] phi = trainer.run(r -> {
                    pipeline.add(r.phi());
                    if (r.round() == 0) {
                        sent.putAll(send(producer, id, poison.next(DURING_THE_RUN)));
                    }
                });
                eval = trainer.evaluate(exp.iterations(), phi);
                awaitDeadLetters(bootstrap, id, sent.size());   // let the owners finish before they are closed
                assertThat(w0.failure()).isEmpty();
                assertThat(w1.failure()).isEmpty();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        // (a) the poison changed nothing
        assertThat(pipeline).hasSize(reference.size());
        for (int v = 0; v < reference.size(); v++) {
            assertThat(pipeline.get(v)).as("meta-prior version %d", v + 1).containsExactly(reference.get(v));
        }
        double[][] inProcess = new TabularMetaTest(exp).evaluate(TabularMetaTest.Method.BOMRL,
                reference.get(reference.size() - 1), FrozenLakeFamily.byName(exp.family()).testTasks());
        assertThat(eval).hasNumberOfRows(inProcess.length);
        for (int i = 0; i < inProcess.length; i++) {
            assertThat(eval[i]).as("test task %d", i).containsExactly(inProcess[i]);
        }

        // (b) every poison record has exactly one dead letter, with its bytes and a reason of its kind;
        // (c) nothing else is dead-lettered: no clean record, no poison twice
        assertThat(sent).hasSize(BEFORE_THE_RUN + DURING_THE_RUN);
        Map<Position, List<DeadLetter>> letters = readAllDeadLetters(bootstrap, id);
        assertThat(letters.keySet()).as("dead-lettered positions").isEqualTo(sent.keySet());
        Map<String, Integer> byKind = new TreeMap<>();
        Map<String, String> example = new TreeMap<>();
        sent.forEach((pos, record) -> {
            List<DeadLetter> ls = letters.get(pos);
            assertThat(ls).as("dead letters of %s %s", record.kind(), pos).hasSize(1);
            DeadLetter d = ls.get(0);
            assertThat(d.getReason()).as("reason for %s at %s", record.kind(), pos).isNotBlank()
                    .contains(record.expectedReason());
            assertThat(d.getValue() == null ? null : bytes(d.getValue())).as("bytes of %s", pos).isEqualTo(record.value());
            String label = String.format("%-15s %s", record.topic().suffix(), record.kind());
            byKind.merge(label, 1, Integer::sum);
            example.putIfAbsent(label, d.getReason());
        });
        Map<Topics, Map<Integer, Integer>> spread = new TreeMap<>();
        sent.forEach((pos, record) -> spread.computeIfAbsent(record.topic(), t -> new TreeMap<>())
                .merge(pos.partition(), 1, Integer::sum));
        assertThat(spread.keySet()).containsExactlyInAnyOrderElementsOf(PoisonRecords.topics());
        spread.values().forEach(parts -> assertThat(parts.keySet()).containsExactly(0, 1, 2));

        System.out.printf("poison records: %d sent (%d before the run, %d during it), %d dead-lettered once each, "
                + "0 others; run with meta-test %.1f s; per partition %s%n", sent.size(), BEFORE_THE_RUN, DURING_THE_RUN,
                letters.size(), seconds, spread);
        byKind.forEach((label, n) -> System.out.printf("  %4d  %-60s e.g. %s%n", n, label, example.get(label)));
    }

    private static Map<Position, PoisonRecords.Poison> send(KafkaProducer<String, byte[]> producer, String id,
                                                             List<PoisonRecords.Poison> records) {
        Map<Future<RecordMetadata>, PoisonRecords.Poison> futures = new java.util.LinkedHashMap<>();
        for (PoisonRecords.Poison r : records) {
            futures.put(producer.send(new ProducerRecord<>(r.topic().of(id), r.partition(), r.key(), r.value())), r);
        }
        producer.flush();
        Map<Position, PoisonRecords.Poison> out = new HashMap<>();
        futures.forEach((f, r) -> {
            try {
                RecordMetadata m = f.get();
                out.put(new Position(m.topic(), m.partition(), m.offset()), r);
            } catch (Exception e) {
                throw new IllegalStateException("could not send poison " + r.kind() + " to " + r.topic(), e);
            }
        });
        return out;
    }

    /** Polls the dead letters until at least {@code expected} are committed, at most 60 s. */
    private static void awaitDeadLetters(String bootstrap, String id, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, Topics.DEAD_LETTERS.of(id))) {
            int seen = 0;
            while (seen < expected && System.nanoTime() < deadline) {
                seen += c.poll(Duration.ofMillis(200)).count();
            }
        }
    }

    /** Every committed dead letter, by the position of the record it is about. */
    private static Map<Position, List<DeadLetter>> readAllDeadLetters(String bootstrap, String id) {
        String topic = Topics.DEAD_LETTERS.of(id);
        Map<Position, List<DeadLetter>> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, topic)) {
            Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    DeadLetter d = MetastreamSerdes.deadLetter().deserialize(r.value());
                    out.computeIfAbsent(new Position(d.getOriginalTopic(), d.getPartition(), d.getOffset()),
                            k -> new ArrayList<>()).add(d);
                }
            }
        }
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
