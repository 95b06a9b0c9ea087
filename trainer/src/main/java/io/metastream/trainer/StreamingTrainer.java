package io.metastream.trainer;

import io.metastream.core.meta.MetaOptimizer;
import io.metastream.core.meta.TabularBoMrl;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.random.Purpose;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.ControlRecord;
import io.metastream.schemas.ExperimentManifest;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.MetricsRecord;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.TaskMetaGradient;
import io.metastream.schemas.Topics;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The coordinator and meta-learner in synchronous mode (max-staleness 0, the paper's algorithm):
 * writes the manifest to {@code control}, publishes meta-prior version v to {@code policies},
 * issues the round's PRE assignments (task slots and seeds exactly as {@link TabularMetaTrainer}),
 * waits for the round's per-task meta-gradients, averages them in slot order, applies the
 * meta-optimiser and publishes v+1. With the same config and seed the sequence of meta-priors is
 * bit-identical to the in-process reference loop.
 */
public final class SyncTrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncTrainer.class);

    /** One finished round. */
    public record RoundSummary(int round, long newVersion, double preReturn, double postReturn, double[] phi) {
    }

    private final TrainerConfig config;
    private final TabularExperimentConfig exp;
    private final FrozenLakeFamily family;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> gradients;

    public SyncTrainer(TrainerConfig config) {
        this.config = config;
        this.exp = config.experiment();
        this.family = FrozenLakeFamily.byName(exp.family());
        Map<String, Object> p = new HashMap<>(config.clientProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> c = new HashMap<>(config.clientProperties());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.gradients = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Runs every meta-iteration and returns the final meta-prior logits. */
    public double[] run(Consumer<RoundSummary> progress) {
        int nS = family.testTasks().get(0).nStates();
        int nA = FrozenLakeMap.N_ACTIONS;
        String gradTopic = config.topic(Topics.META_GRADIENTS);
        List<TopicPartition> parts = gradients.partitionsFor(gradTopic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(gradTopic, i.partition())).toList();
        gradients.assign(parts);
        gradients.seekToBeginning(parts);

        writeManifest();
        MetaOptimizer optimizer = MetaOptimizer.of(exp.optimizer(), exp.metaLearningRate());
        double[] phi = TabularMetaTrainer.initialPhi(exp, nS, nA);
        long version = 0;
        publishPrior(version, phi, -1);
        for (int round = 0; round < exp.iterations(); round++) {
            List<Integer> tasks = TabularMetaTrainer.tasksOf(exp, family, round);
            for (int slot = 0; slot < tasks.size(); slot++) {
                String taskId = TrainerConfig.taskId(round, slot);
                RolloutAssignment a = RolloutAssignment.newBuilder()
                        .setExperimentId(config.experimentId()).setAssignmentId(taskId + "/r" + round + "/PRE")
                        .setRound(round).setTaskId(taskId).setTaskSpec(family.testTasks().get(tasks.get(slot)).toString())
                        .setPhase(Phase.PRE).setEvalStep(0).setPolicyId(config.priorId(version)).setPolicyVersion(version)
                        .setEpisodeStart(0).setEpisodeCount(exp.episodes())
                        .setSeed(TabularBoMrl.collectionSeed(exp.seed(), Purpose.PRE, round, slot)).build();
                send(Topics.ASSIGNMENTS, taskId, MetastreamSerdes.assignment().serializer().serialize(null, a));
            }
            producer.flush();
            TaskMetaGradient[] bySlot = awaitRound(round, version, tasks.size());
            List<double[]> grads = new ArrayList<>();
            double pre = 0;
            double post = 0;
            for (TaskMetaGradient g : bySlot) {
                grads.add(g.getGradient().stream().mapToDouble(Double::doubleValue).toArray());
                pre += g.getPreReturn() / bySlot.length;
                post += g.getPostReturn() / bySlot.length;
            }
            phi = optimizer.step(phi, TabularBoMrl.average(grads));
            version++;
            publishPrior(version, phi, round);
            publishMetrics(round, pre, post);
            producer.flush();
            progress.accept(new RoundSummary(round, version, pre, post, phi.clone()));
        }
        return phi;
    }

    private TaskMetaGradient[] awaitRound(int round, long version, int slots) {
        TaskMetaGradient[] bySlot = new TaskMetaGradient[slots];
        int have = 0;
        long deadline = System.nanoTime() + config.roundTimeout().toNanos();
        while (have < slots) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("round " + round + " of " + config.experimentId() + ": only " + have + " of "
                        + slots + " meta-gradients arrived within " + config.roundTimeout()
                        + " (are workers and the adapter running against " + config.bootstrapServers() + "?)");
            }
            for (ConsumerRecord<String, byte[]> rec : gradients.poll(Duration.ofMillis(200))) {
                TaskMetaGradient g;
                try {
                    g = MetastreamSerdes.metaGradient().deserializer().deserialize(rec.topic(), rec.value());
                } catch (SerializationException e) {
                    LOG.warn("skipping undecodable meta-gradient at {}-{}@{}: {}", rec.topic(), rec.partition(),
                            rec.offset(), e.getMessage());
                    continue;
                }
                if (g == null || g.getRound() != round || g.getPolicyVersion() != version
                        || !g.getExperimentId().equals(config.experimentId())) {
                    continue;
                }
                int slot = slotOf(g.getTaskId(), round);
                if (slot >= 0 && slot < slots && bySlot[slot] == null) {
                    bySlot[slot] = g;
                    have++;
                }
            }
        }
        return bySlot;
    }

    private static int slotOf(String taskId, int round) {
        for (int s = 0; s < 100; s++) {
            if (TrainerConfig.taskId(round, s).equals(taskId)) {
                return s;
            }
        }
        return -1;
    }

    private void publishPrior(long version, double[] phi, int round) {
        PolicyParams p = PolicyParams.newBuilder().setPolicyId(config.priorId(version)).setVersion(version)
                .setKind(PolicyKind.META_PRIOR).setPolicyType("tabular-softmax").setShape(List.of(16, FrozenLakeMap.N_ACTIONS))
                .setParams(Arrays.stream(phi).boxed().toList())
                .setParentId(version == 0 ? null : config.priorId(version - 1)).setRound(round).setTaskId(null).build();
        send(Topics.POLICIES, p.getPolicyId(), MetastreamSerdes.policyParams().serializer().serialize(null, p));
    }

    private void publishMetrics(int round, double pre, double post) {
        MetricsRecord m = MetricsRecord.newBuilder().setExperimentId(config.experimentId()).setRound(round).setKind("round")
                .setValues(Map.of("preReturn", pre, "postReturn", post)).setTags(Map.of("mode", "sync")).build();
        send(Topics.METRICS, config.experimentId(), MetastreamSerdes.metrics().serializer().serialize(null, m));
    }

    private void writeManifest() {
        Map<String, String> topics = new HashMap<>();
        for (Topics t : Topics.values()) {
            topics.put(t.suffix(), t.of(config.experimentId()));
        }
        ExperimentManifest m = ExperimentManifest.newBuilder().setExperimentId(config.experimentId())
                .setConfigText(exp.toString()).setSeed(exp.seed()).setCodeVersion("0.1.0-SNAPSHOT").setTopics(topics)
                .setCreatedAtMillis(System.currentTimeMillis()).build();
        ControlRecord c = ControlRecord.newBuilder().setExperimentId(config.experimentId()).setPayload(m).build();
        send(Topics.CONTROL, config.experimentId(), MetastreamSerdes.control().serializer().serialize(null, c));
    }

    private void send(Topics topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(config.topic(topic), key, value));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        gradients.close(Duration.ofSeconds(10));
    }
}
