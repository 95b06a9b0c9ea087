package io.metastream.trainer;

import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.ContinuousMetaTrainer;
import io.metastream.core.meta.MetaExperiment;
import io.metastream.core.meta.TabularBoMrl;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTest;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.ConsumedGradient;
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
import io.metastream.schemas.TrainerDecision;
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
import java.util.function.Consumer;

/**
 * The coordinator and meta-learner. It writes the manifest to {@code control}, publishes meta-prior
 * version v to {@code policies}, issues each round's PRE assignments (task slots and seeds exactly
 * as {@link TabularMetaTrainer} or {@link ContinuousMetaTrainer}), collects the round's per-task
 * meta-gradients, applies the meta-update to them in slot order (tabular: Adam on their mean;
 * continuous: one TRPO step, then the observation moments absorb the round's — see
 * {@link MetaLearner}), publishes v+1, and records in {@code control} which gradient records the
 * update consumed (a {@code TrainerDecision}, for replay).
 *
 * <p>Synchronous mode (max-staleness 0, the paper): round r+1 is issued after round r's update,
 * and the sequence of meta-priors is bit-identical to the in-process reference loop.
 * Asynchronous mode (max-staleness k): k further rounds are kept in flight with the version that
 * was current when they were issued, so workers never idle between rounds; updates are still
 * applied in round order, so every round's gradients are exactly k versions old once the
 * pipeline is full (staleness = version before the update − version the gradients were computed
 * at, reported per round). Gradients of later rounds that arrive early are buffered.
 */
public final class StreamingTrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingTrainer.class);

    /**
     * One finished round: means over its tasks of the PRE and POST returns, the staleness of its
     * gradients, the new φ, and the meta-step's diagnostics (continuous: {@code trpoAccepted} 1/0,
     * {@code trpoHalvings}, {@code trpoKl}, {@code gradientNorm} ‖mean meta-gradient‖,
     * {@code cgResidual} and {@code klAdaptedPrior} means; tabular: none).
     */
    public record RoundSummary(int round, long newVersion, double preReturn, double postReturn, long staleness,
                               double[] phi, Map<String, Double> diagnostics) {
    }

    private final TrainerConfig config;
    private final MetaExperiment exp;
    private final MetaLearner learner;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> gradients;
    private final KafkaConsumer<String, byte[]> metrics;

    public StreamingTrainer(TrainerConfig config) {
        this.config = config;
        this.exp = config.experiment();
        this.learner = MetaLearner.of(exp);
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
        this.metrics = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The meta-test through the pipeline: one EVAL assignment per test task with meta-prior
     * {@code version} (task id {@code eval-v<version>-t<i>}, step k in the round field, seeds
     * {@link TabularBoMrl#evalSeed}); the adapter adapts each step with λ_test, reports the exact
     * accumulated reward of θ_k to {@code metrics} and issues step k+1. Returns returns[task][k],
     * k = 0..testSteps (k = 0 is the exact return of φ itself), equal to the in-process
     * {@code TabularMetaTest} for BO-MRL with the same seed.
     */
    public double[][] evaluate(long version, double[] phi) {
        if (!(this.exp instanceof TabularExperimentConfig exp)) {
            throw new UnsupportedOperationException("the meta-test of continuous experiment " + config.experimentId()
                    + " does not run through the pipeline: run core's ContinuousMetaTest in-process on the final φ");
        }
        List<FrozenLakeMap> tasks = FrozenLakeFamily.byName(exp.family()).testTasks();
        double[][] out = new double[tasks.size()][exp.testSteps() + 1];
        String prefix = "eval-v" + version + "-t";
        for (int i = 0; i < tasks.size(); i++) {
            out[i][0] = TabularMetaTest.exactReturn(tasks.get(i), phi);
            if (exp.testSteps() == 0) {
                continue;
            }
            String taskId = String.format("%s%02d", prefix, i);
            RolloutAssignment a = RolloutAssignment.newBuilder().setExperimentId(config.experimentId())
                    .setAssignmentId(taskId + "/k1/EVAL").setRound(1).setTaskId(taskId).setTaskSpec(tasks.get(i).toString())
                    .setPhase(Phase.EVAL).setEvalStep(1).setPolicyId(config.priorId(version)).setPolicyVersion(version)
                    .setEpisodeStart(0).setEpisodeCount(exp.episodes()).setSeed(TabularBoMrl.evalSeed(exp.seed(), i, 1)).build();
            send(Topics.ASSIGNMENTS, taskId, MetastreamSerdes.assignment().serializer().serialize(null, a));
        }
        producer.flush();
        String topic = config.topic(Topics.METRICS);
        List<TopicPartition> parts = metrics.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        metrics.assign(parts);
        metrics.seekToBeginning(parts);
        int expected = tasks.size() * exp.testSteps();
        boolean[][] seen = new boolean[tasks.size()][exp.testSteps() + 1];
        int have = 0;
        long deadline = System.nanoTime() + config.roundTimeout().toNanos() * Math.max(1, exp.testSteps());
        while (have < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("meta-test of version " + version + ": only " + have + " of " + expected
                        + " evaluation steps reported within the time limit");
            }
            for (ConsumerRecord<String, byte[]> rec : metrics.poll(Duration.ofMillis(200))) {
                MetricsRecord m;
                try {
                    m = MetastreamSerdes.metrics().deserializer().deserialize(topic, rec.value());
                } catch (SerializationException e) {
                    continue;
                }
                String taskId = m == null ? null : m.getTags().get("taskId");
                if (taskId == null || !"eval".equals(m.getKind()) || !taskId.startsWith(prefix)) {
                    continue;
                }
                int i = Integer.parseInt(taskId.substring(prefix.length()));
                int k = m.getRound();
                if (i < tasks.size() && k >= 1 && k <= exp.testSteps() && !seen[i][k]) {
                    seen[i][k] = true;
                    out[i][k] = m.getValues().get("return");
                    have++;
                }
            }
        }
        return out;
    }

    /**
     * The observation moments of the latest meta-prior (a continuous experiment's normaliser state;
     * empty before the first update). Throws for a tabular experiment.
     */
    public RunningMoments observationMoments() {
        if (learner instanceof ContinuousMetaLearner c) {
            return c.moments();
        }
        throw new UnsupportedOperationException("a tabular experiment has no observation normaliser");
    }

    /** Runs every meta-iteration and returns the final meta-prior parameters φ. */
    public double[] run(Consumer<RoundSummary> progress) {
        String gradTopic = config.topic(Topics.META_GRADIENTS);
        List<TopicPartition> parts = gradients.partitionsFor(gradTopic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(gradTopic, i.partition())).toList();
        gradients.assign(parts);
        gradients.seekToBeginning(parts);

        writeManifest();
        double[] phi = learner.initialPhi();
        long version = 0;
        publishPrior(version, phi, -1);
        long[] issuedAt = new long[exp.iterations()];
        int nextToIssue = 0;
        while (nextToIssue < exp.iterations() && nextToIssue <= config.maxStaleness()) {
            issue(nextToIssue, version);
            issuedAt[nextToIssue++] = version;
        }
        for (int round = 0; round < exp.iterations(); round++) {
            Collected[] bySlot = awaitRound(round, issuedAt[round], exp.tasksPerIteration());
            List<TaskMetaGradient> grads = new ArrayList<>();
            double pre = 0;
            double post = 0;
            for (Collected c : bySlot) {
                grads.add(c.gradient());
                pre += c.gradient().getPreReturn() / bySlot.length;
                post += c.gradient().getPostReturn() / bySlot.length;
            }
            MetaLearner.Update update = learner.update(phi, grads);
            phi = update.phi();
            long staleness = version - issuedAt[round];
            version++;
            publishPrior(version, phi, round);
            publishDecision(round, version, bySlot);
            publishMetrics(round, pre, post, staleness, update.diagnostics());
            if (nextToIssue < exp.iterations()) {
                issue(nextToIssue, version);
                issuedAt[nextToIssue++] = version;
            }
            producer.flush();
            progress.accept(new RoundSummary(round, version, pre, post, staleness, phi.clone(), update.diagnostics()));
        }
        return phi;
    }

    private void issue(int round, long version) {
        List<MetaLearner.Collection> collections = learner.collections(round);
        for (int slot = 0; slot < collections.size(); slot++) {
            MetaLearner.Collection c = collections.get(slot);
            String taskId = TrainerConfig.taskId(round, slot);
            RolloutAssignment a = RolloutAssignment.newBuilder()
                    .setExperimentId(config.experimentId()).setAssignmentId(taskId + "/r" + round + "/PRE")
                    .setRound(round).setTaskId(taskId).setTaskSpec(c.taskSpec())
                    .setPhase(Phase.PRE).setEvalStep(0).setPolicyId(config.priorId(version)).setPolicyVersion(version)
                    .setEpisodeStart(0).setEpisodeCount(c.episodes()).setSeed(c.seed()).build();
            send(Topics.ASSIGNMENTS, taskId, MetastreamSerdes.assignment().serializer().serialize(null, a));
        }
        producer.flush();
    }

    /** A consumed meta-gradient and where it was read. */
    private record Collected(TaskMetaGradient gradient, int partition, long offset) {
    }

    private final Map<Integer, Collected[]> pending = new HashMap<>();

    private Collected[] awaitRound(int round, long version, int slots) {
        long deadline = System.nanoTime() + config.roundTimeout().toNanos();
        while (count(pending.get(round)) < slots) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("round " + round + " of " + config.experimentId() + ": only "
                        + count(pending.get(round)) + " of " + slots + " meta-gradients arrived within "
                        + config.roundTimeout() + " (are workers and the adapter running against "
                        + config.bootstrapServers() + "?)");
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
                if (g == null || !g.getExperimentId().equals(config.experimentId()) || g.getRound() < round) {
                    continue;
                }
                int slot = slotOf(g.getTaskId(), g.getRound());
                Collected[] buffer = pending.computeIfAbsent(g.getRound(), r -> new Collected[slots]);
                if (slot >= 0 && slot < slots && buffer[slot] == null) {
                    buffer[slot] = new Collected(g, rec.partition(), rec.offset());
                }
            }
        }
        Collected[] bySlot = pending.remove(round);
        for (Collected c : bySlot) {
            if (c.gradient().getPolicyVersion() != version) {
                throw new IllegalStateException("round " + round + ": meta-gradient of " + c.gradient().getTaskId()
                        + " was computed at version " + c.gradient().getPolicyVersion() + ", expected " + version);
            }
        }
        return bySlot;
    }

    private static int count(Collected[] xs) {
        int n = 0;
        if (xs != null) {
            for (Collected x : xs) {
                n += x == null ? 0 : 1;
            }
        }
        return n;
    }

    private void publishDecision(int round, long newVersion, Collected[] used) {
        List<ConsumedGradient> consumed = new ArrayList<>();
        for (Collected c : used) {
            consumed.add(ConsumedGradient.newBuilder().setTaskId(c.gradient().getTaskId()).setPartition(c.partition())
                    .setOffset(c.offset()).setPolicyVersion(c.gradient().getPolicyVersion()).build());
        }
        TrainerDecision d = TrainerDecision.newBuilder().setExperimentId(config.experimentId()).setRound(round)
                .setPolicyVersion(newVersion).setConsumed(consumed).build();
        ControlRecord c = ControlRecord.newBuilder().setExperimentId(config.experimentId()).setPayload(d).build();
        send(Topics.CONTROL, config.experimentId(), MetastreamSerdes.control().serializer().serialize(null, c));
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
        PolicyParams p = learner.prior(phi).setPolicyId(config.priorId(version)).setVersion(version)
                .setKind(PolicyKind.META_PRIOR)
                .setParentId(version == 0 ? null : config.priorId(version - 1)).setRound(round).setTaskId(null).build();
        send(Topics.POLICIES, p.getPolicyId(), MetastreamSerdes.policyParams().serializer().serialize(null, p));
    }

    private void publishMetrics(int round, double pre, double post, long staleness, Map<String, Double> diagnostics) {
        Map<String, Double> values = new HashMap<>(diagnostics);
        values.put("preReturn", pre);
        values.put("postReturn", post);
        values.put("staleness", (double) staleness);
        MetricsRecord m = MetricsRecord.newBuilder().setExperimentId(config.experimentId()).setRound(round).setKind("round")
                .setValues(values)
                .setTags(Map.of("mode", config.maxStaleness() == 0 ? "sync" : "async",
                        "maxStaleness", Integer.toString(config.maxStaleness()))).build();
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
        metrics.close(Duration.ofSeconds(10));
    }
}
