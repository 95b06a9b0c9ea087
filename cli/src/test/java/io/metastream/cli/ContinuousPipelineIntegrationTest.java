package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.ContinuousMetaTrainer;
import io.metastream.core.meta.MetaMethod;
import io.metastream.core.task.PointNavigationFamily;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.schemas.DeadLetter;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyParams;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Continuous BO-MRL (point navigation, Gaussian MLP, TRPO meta-step) through the whole pipeline on
 * the real embedded broker — two rollout workers, the exactly-once adapter and the synchronous
 * trainer — yields the meta-priors and the observation normaliser of the in-process reference loop
 * {@link ContinuousMetaTrainer} bit for bit, and dead-letters continuous records it cannot use.
 */
@ExtendWith(SharedKafkaBroker.class)
class ContinuousPipelineIntegrationTest {

    /** The point-navigation preset shrunk to seconds: MLP 8, H 10 + C 5, 3 tasks × (6 PRE + 10 POST), 3 rounds. */
    static ContinuousExperimentConfig tiny() {
        ContinuousExperimentConfig p = ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, 0);
        return new ContinuousExperimentConfig(p.family(), p.algorithm(), new int[] {8}, p.initLogStd(), p.outputScale(),
                p.lambda(), 20, p.innerLearningRate(), p.innerMaxKl(), 6, 10, 3, p.gamma(), 10, 5, p.cgIterations(),
                p.cgDamping(), p.metaMaxKl(), 3, p.testSteps(), p.evalEpisodes(), 40, true, p.method(), p.innerStepSize(),
                p.metaLearningRate(), p.prompSteps(), p.prompClip(), p.prompKlWeight(), p.seed(), false);
    }

    @Test
    void synchronousContinuousPipelineReproducesTheReferenceLoopBitForBit(EmbeddedKafkaBroker broker) throws Exception {
        ContinuousExperimentConfig exp = tiny();
        List<double[]> reference = new ArrayList<>();
        ContinuousMetaTrainer.Result ref = new ContinuousMetaTrainer<>(exp, new PointNavigationFamily())
                .train(s -> reference.add(s.phi()));

        String id = SharedKafkaBroker.uniqueName("continuous");
        String bootstrap = broker.bootstrapServers();
        ExperimentTopics.create(bootstrap, id, 3, (short) 1, Map.of());
        injectUnusable(bootstrap, id);

        List<StreamingTrainer.RoundSummary> rounds = new ArrayList<>();
        WorkerConfig workers = WorkerConfig.of(id, "w0", bootstrap).withExperiment(exp);
        try (RolloutWorker w0 = RolloutWorker.start(workers);
             RolloutWorker w1 = RolloutWorker.start(workers.withWorkerId("w1"));
             AdapterApp adapter = AdapterApp.create(AdapterConfig.of(id, exp), bootstrap).start();
             StreamingTrainer trainer = new StreamingTrainer(new TrainerConfig(id, bootstrap, exp, Duration.ofMinutes(2), 0,
                     Map.of()))) {
            trainer.run(rounds::add);
            assertThat(trainer.observationMoments().mean()).containsExactly(ref.moments().mean());
        }

        assertThat(ref.history()).as("some meta-step was accepted").anyMatch(ContinuousMetaTrainer.IterationStats::trpoAccepted);
        assertThat(rounds).hasSize(reference.size());
        for (int v = 0; v < reference.size(); v++) {
            assertThat(rounds.get(v).phi()).as("meta-prior version %d", v + 1).containsExactly(reference.get(v));
            // the trainer averages the returns as Σ(x/n), the reference as (Σx)/n: equal up to rounding
            assertThat(rounds.get(v).preReturn()).isCloseTo(ref.history().get(v).preReturn(), within(1e-12));
            assertThat(rounds.get(v).postReturn()).isCloseTo(ref.history().get(v).postReturn(), within(1e-12));
            assertThat(rounds.get(v).diagnostics().get("trpoHalvings"))
                    .isEqualTo((double) ref.history().get(v).trpoHalvings());
        }
        // the published final meta-prior carries φ and the normaliser's running moments, as the reference ends
        PolicyParams last = policy(bootstrap, id, id + "/prior/v" + exp.iterations());
        assertThat(last.getPolicyType()).isEqualTo("gaussian-mlp");
        assertThat(last.getShape()).containsExactly(2, 8, 2);
        assertThat(last.getParams()).containsExactly(boxed(ref.phi()));
        assertThat(last.getObservationCount()).isEqualTo(ref.moments().count());
        assertThat(last.getObservationM2()).containsExactly(boxed(ref.moments().m2()));

        List<String> reasons = deadLetters(bootstrap, id, 2).stream().map(DeadLetter::getReason).toList();
        assertThat(reasons).anyMatch(r -> r.startsWith("EVAL episode of a continuous experiment"));
        assertThat(reasons).anyMatch(r -> r.startsWith("episode index 99 outside the batch [0, 6)"));
    }

    /**
     * The authors' scripts' settings (config format 2): the trainer warms the normaliser with rollouts of φ₀ before
     * publishing version 0, the normaliser absorbs the POST rollouts' observations too, and the meta-step's Fisher uses
     * the first tasks' states: still the reference loop bit for bit.
     */
    @Test
    void warmedNormaliserAndFisherOnTheFirstTasksReproduceTheReferenceLoop(EmbeddedKafkaBroker broker) throws Exception {
        ContinuousExperimentConfig exp = tiny().withNormalizerAndFisher(4, true, 2).withIterations(2);
        List<double[]> reference = new ArrayList<>();
        ContinuousMetaTrainer.Result ref = new ContinuousMetaTrainer<>(exp, new PointNavigationFamily())
                .train(s -> reference.add(s.phi()));
        String id = SharedKafkaBroker.uniqueName("continuous-warm");
        String bootstrap = broker.bootstrapServers();
        ExperimentTopics.create(bootstrap, id, 3, (short) 1, Map.of());
        List<StreamingTrainer.RoundSummary> rounds = new ArrayList<>();
        WorkerConfig workers = WorkerConfig.of(id, "w0", bootstrap).withExperiment(exp);
        try (RolloutWorker w0 = RolloutWorker.start(workers);
             AdapterApp adapter = AdapterApp.create(AdapterConfig.of(id, exp), bootstrap).start();
             StreamingTrainer trainer = new StreamingTrainer(new TrainerConfig(id, bootstrap, exp, Duration.ofMinutes(2), 0,
                     Map.of()))) {
            trainer.run(rounds::add);
        }
        // a config of a newer format given for an experiment recorded before the key: one line says how to resume it
        try (StreamingTrainer newer = new StreamingTrainer(new TrainerConfig(id, bootstrap, exp, Duration.ofMinutes(2), 0,
                Map.of(), exp + "\nconfig-format: 2\n"))) {
            assertThatThrownBy(() -> newer.run(r -> { })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("it was recorded with config format 1")
                    .hasMessageContaining("add 'config-format: 1' to the config file");
        }
        assertThat(rounds).hasSize(2);
        for (int v = 0; v < reference.size(); v++) {
            assertThat(rounds.get(v).phi()).as("meta-prior version %d", v + 1).containsExactly(reference.get(v));
        }
        // version 0 already carries the warm-up's moments: 4 rollouts of H = 10 steps
        assertThat(policy(bootstrap, id, id + "/prior/v0").getObservationCount()).isEqualTo(40L);
        PolicyParams last = policy(bootstrap, id, id + "/prior/v2");
        assertThat(last.getObservationCount()).isEqualTo(ref.moments().count())
                .isEqualTo(40L + 2L * exp.tasksPerIteration() * (exp.preRollouts() + exp.postRollouts()) * exp.horizon());
        assertThat(last.getObservationM2()).containsExactly(boxed(ref.moments().m2()));
    }

    /**
     * The pipelined baselines (MAML-TRPO, E-MAML: TRPO outer step; MAML-VPG: Adam outer step whose moments
     * persist across rounds) reproduce the reference loop's meta-priors bit for bit as well.
     */
    @ParameterizedTest
    @ValueSource(strings = {"maml-trpo", "maml-vpg", "e-maml"})
    void baselinesThroughThePipelineReproduceTheReferenceLoop(String label, EmbeddedKafkaBroker broker) throws Exception {
        ContinuousExperimentConfig exp = tiny().withMethod(MetaMethod.parse(label)).withStepSizes(0.03, 0.01);
        List<double[]> reference = new ArrayList<>();
        ContinuousMetaTrainer.Result ref = new ContinuousMetaTrainer<>(exp, new PointNavigationFamily())
                .train(s -> reference.add(s.phi()));
        assertThat(ref.phi()).as("the baseline moved φ").isNotEqualTo(ref.initialPhi());

        String id = SharedKafkaBroker.uniqueName("continuous-" + label);
        String bootstrap = broker.bootstrapServers();
        ExperimentTopics.create(bootstrap, id, 3, (short) 1, Map.of());
        List<StreamingTrainer.RoundSummary> rounds = new ArrayList<>();
        WorkerConfig workers = WorkerConfig.of(id, "w0", bootstrap).withExperiment(exp);
        try (RolloutWorker w0 = RolloutWorker.start(workers);
             AdapterApp adapter = AdapterApp.create(AdapterConfig.of(id, exp), bootstrap).start();
             StreamingTrainer trainer = new StreamingTrainer(new TrainerConfig(id, bootstrap, exp, Duration.ofMinutes(2), 0,
                     Map.of()))) {
            trainer.run(rounds::add);
        }
        assertThat(rounds).hasSize(reference.size());
        for (int v = 0; v < reference.size(); v++) {
            assertThat(rounds.get(v).phi()).as("%s meta-prior version %d", label, v + 1).containsExactly(reference.get(v));
        }
    }

    /** An EVAL episode and a PRE episode beyond the batch for slot 0 of round 0: both must become dead letters. */
    private static void injectUnusable(String bootstrap, String id) throws Exception {
        String topic = Topics.TRAJECTORIES.of(id);
        Trajectory.Builder base = Trajectory.newBuilder().setExperimentId(id).setAssignmentId("r0000-s00/r0/PRE")
                .setTaskId("r0000-s00").setRound(0).setPhase(Phase.PRE).setEvalStep(0).setEpisodeIndex(99)
                .setWorkerId("intruder").setPolicyId(id + "/prior/v0").setPolicyVersion(0).setObsDim(2).setActDim(2)
                .setObservations(List.of(0.0, 0.0, 0.1, 0.1)).setActions(List.of(0.1, 0.1)).setRewards(List.of(-0.5))
                .setBehaviourLogProbs(List.of(-1.0)).setUndiscountedReturn(-0.5).setContinuationReturn(0.0);
        Trajectory beyond = base.build();
        Trajectory eval = Trajectory.newBuilder(beyond).setAssignmentId("eval-t00/k1/EVAL").setTaskId("eval-t00")
                .setPhase(Phase.EVAL).setEvalStep(1).setEpisodeIndex(0).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (Trajectory t : List.of(beyond, eval)) {
                producer.send(new ProducerRecord<>(topic, t.getTaskId(),
                        MetastreamSerdes.trajectory().serializer().serialize(topic, t))).get();
            }
        }
    }

    private static PolicyParams policy(String bootstrap, String id, String policyId) {
        String topic = Topics.POLICIES.of(id);
        PolicyParams found = null;
        for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, topic, 1, rec -> policyId.equals(rec.key()))) {
            found = MetastreamSerdes.policyParams().deserializer().deserialize(topic, r.value());
        }
        assertThat(found).as("policy %s on %s", policyId, topic).isNotNull();
        return found;
    }

    private static List<DeadLetter> deadLetters(String bootstrap, String id, int atLeast) {
        String topic = Topics.DEAD_LETTERS.of(id);
        return readAll(bootstrap, topic, atLeast, r -> true).stream()
                .map(r -> MetastreamSerdes.deadLetter().deserializer().deserialize(topic, r.value())).toList();
    }

    /** Committed records of {@code topic} matching {@code filter}, polling until {@code atLeast} are in (at most 30 s). */
    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, int atLeast,
                                                                java.util.function.Predicate<ConsumerRecord<String, byte[]>> filter) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (filter.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static Double[] boxed(double[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Double[]::new);
    }
}
