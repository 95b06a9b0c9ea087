package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.estimate.UntriedActions;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTest;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.schemas.DeadLetter;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.Topics;
import io.metastream.schemas.Trajectory;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline on the real embedded broker — two rollout workers, the exactly-once Kafka
 * Streams adapter and the synchronous trainer as separate group members — yields meta-priors
 * bit-identical to the in-process reference loop, survives a worker closed mid-run, and
 * dead-letters a garbage record and a NaN trajectory without changing the result.
 */
@ExtendWith(SharedKafkaBroker.class)
class PipelineIntegrationTest {

    @Test
    void synchronousPipelineReproducesTheReferenceLoopBitForBit(EmbeddedKafkaBroker broker) throws Exception {
        TabularExperimentConfig p = TabularExperimentConfig.paper("frozenlake-high", TabularAlgorithm.ALG1, 11);
        TabularExperimentConfig exp = new TabularExperimentConfig(p.family(), p.alg(), p.lambdaTrain(), p.lambdaTest(), 4,
                3, 40, p.sarsaStep(), 5, UntriedActions.STATE_VALUE, p.metaLearningRate(), p.optimizer(), p.phiInit(), p.hypergradient(), p.testSteps(),
                p.pgStepSize(), p.seed());
        List<double[]> reference = new ArrayList<>();
        new TabularMetaTrainer(exp).train(s -> reference.add(s.phi()));

        String id = SharedKafkaBroker.uniqueName("pipeline");
        String bootstrap = broker.bootstrapServers();
        ExperimentTopics.create(bootstrap, id, 3, (short) 1, Map.of());
        injectPoison(bootstrap, id);

        List<double[]> pipeline = new ArrayList<>();
        double[][] eval;
        RolloutWorker w0 = RolloutWorker.start(WorkerConfig.of(id, "w0", bootstrap));
        RolloutWorker w1 = RolloutWorker.start(WorkerConfig.of(id, "w1", bootstrap));
        try (AdapterApp adapter = AdapterApp.create(AdapterConfig.of(id, exp), bootstrap).start();
             StreamingTrainer trainer = new StreamingTrainer(new TrainerConfig(id, bootstrap, exp, Duration.ofMinutes(3), 0, Map.of()))) {
            double[] phi = trainer.run(r -> {
                pipeline.add(r.phi());
                if (r.round() == 0) {
                    closeMidRound(w1);   // the group rebalances; the remaining worker finishes the run
                }
            });
            eval = trainer.evaluate(exp.iterations(), phi);
        } finally {
            w0.close();
            w1.close();
        }

        assertThat(pipeline).hasSize(reference.size());
        for (int v = 0; v < reference.size(); v++) {
            assertThat(pipeline.get(v)).as("meta-prior version %d", v + 1).containsExactly(reference.get(v));
        }
        // the meta-test's EVAL rounds through Kafka equal the in-process meta-test bit for bit
        double[][] inProcess = new TabularMetaTest(exp).evaluate(TabularMetaTest.Method.BOMRL,
                reference.get(reference.size() - 1), FrozenLakeFamily.byName(exp.family()).testTasks());
        assertThat(eval).hasNumberOfRows(inProcess.length);
        for (int i = 0; i < inProcess.length; i++) {
            assertThat(eval[i]).as("test task %d", i).containsExactly(inProcess[i]);
        }
        List<DeadLetter> dead = deadLetters(bootstrap, id, 2);
        assertThat(dead).extracting(DeadLetter::getReason).anyMatch(r -> r.toLowerCase().contains("non-finite"));
        assertThat(dead).extracting(DeadLetter::getReason).anyMatch(r -> !r.toLowerCase().contains("non-finite"));
    }

    @Test
    void asynchronousModeKeepsRoundsInFlightAndReportsTheirStaleness(EmbeddedKafkaBroker broker) throws Exception {
        TabularExperimentConfig p = TabularExperimentConfig.paper("frozenlake-low", TabularAlgorithm.ALG2, 3);
        TabularExperimentConfig exp = new TabularExperimentConfig(p.family(), p.alg(), p.lambdaTrain(), p.lambdaTest(), 5,
                2, 30, p.sarsaStep(), 1, p.untriedActions(), p.metaLearningRate(), p.optimizer(), p.phiInit(), p.hypergradient(), p.testSteps(),
                p.pgStepSize(), p.seed());
        String id = SharedKafkaBroker.uniqueName("async");
        String bootstrap = broker.bootstrapServers();
        ExperimentTopics.create(bootstrap, id, 3, (short) 1, Map.of());
        List<Long> staleness = new ArrayList<>();
        List<double[]> async = new ArrayList<>();
        try (RolloutWorker w = RolloutWorker.start(WorkerConfig.of(id, "w", bootstrap));
             AdapterApp adapter = AdapterApp.create(AdapterConfig.of(id, exp), bootstrap).start();
             StreamingTrainer trainer = new StreamingTrainer(new TrainerConfig(id, bootstrap, exp, Duration.ofMinutes(3), 2, Map.of()))) {
            trainer.run(r -> {
                staleness.add(r.staleness());
                async.add(r.phi());
            });
        }
        // rounds 0, 1, 2 are issued with version 0; each later round with the version current when a slot freed
        assertThat(staleness).containsExactly(0L, 1L, 2L, 2L, 2L);
        List<double[]> sync = new ArrayList<>();
        new TabularMetaTrainer(exp).train(s -> sync.add(s.phi()));
        assertThat(async.get(0)).as("the first update sees the same gradients in both modes").containsExactly(sync.get(0));
        assertThat(async.get(4)).isNotEqualTo(sync.get(4));
    }

    /**
     * Closes {@code worker} from another thread as soon as it has published part of the next
     * round's episodes (bounded wait: if it gets no work in that round it is closed anyway).
     */
    private static void closeMidRound(RolloutWorker worker) {
        long before = worker.episodesPublished();
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (worker.episodesPublished() < before + 5 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);   // poll the counter, not Kafka
            }
            worker.close();
        }, "close-worker-mid-round");
        t.setDaemon(true);
        t.start();
    }

    private static void injectPoison(String bootstrap, String id) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            String topic = Topics.TRAJECTORIES.of(id);
            producer.send(new ProducerRecord<>(topic, "r0000-s00", new byte[]{1, 2, 3, 4, 5})).get();
            Trajectory nan = Trajectory.newBuilder().setExperimentId(id).setAssignmentId("r0000-s00/r0/PRE")
                    .setTaskId("r0000-s00").setRound(0).setPhase(Phase.PRE).setEvalStep(0).setEpisodeIndex(0)
                    .setWorkerId("intruder").setPolicyId(id + "/prior/v0").setPolicyVersion(0).setObsDim(1).setActDim(1)
                    .setObservations(List.of(0.0, 1.0)).setActions(List.of(2.0)).setRewards(List.of(Double.NaN))
                    .setBehaviourLogProbs(List.of(-1.386)).setUndiscountedReturn(Double.NaN).build();
            producer.send(new ProducerRecord<>(topic, "r0000-s00",
                    MetastreamSerdes.trajectory().serializer().serialize(topic, nan))).get();
        }
    }

    private static List<DeadLetter> deadLetters(String bootstrap, String id, int atLeast) {
        String topic = Topics.DEAD_LETTERS.of(id);
        List<DeadLetter> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(MetastreamSerdes.deadLetter().deserializer().deserialize(topic, r.value()));
                }
            }
        }
        return out;
    }
}
