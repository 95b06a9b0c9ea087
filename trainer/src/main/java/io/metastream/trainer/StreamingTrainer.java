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
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.ExperimentManifest;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.MetricsRecord;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.TaskMetaGradient;
import io.metastream.schemas.TaskIds;
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
     * gradients, the new φ, and the values of the round's {@code metrics} record: {@code preReturn},
     * {@code postReturn}, {@code staleness}, {@code roundSeconds} (wall time since the previous round
     * finished, or since the trainer started), {@code gradientNorm} ‖mean meta-gradient‖,
     * {@code cgResidual} and {@code klAdaptedPrior} means over the tasks, and for the continuous
     * TRPO step {@code trpoAccepted} 1/0, {@code trpoHalvings}, {@code trpoKl}.
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
        // one trainer per experiment: a second (or a zombie after a restart) is fenced
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.experimentId() + "-trainer");
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
        initTransactions();
        double[][] out = new double[tasks.size()][exp.testSteps() + 1];
        String prefix = TaskIds.metaTestPrefix(version);
        for (int i = 0; i < tasks.size(); i++) {
            out[i][0] = TabularMetaTest.exactReturn(tasks.get(i), phi);
            if (exp.testSteps() == 0) {
                continue;
            }
            String taskId = TaskIds.metaTest(version, i);
            RolloutAssignment a = RolloutAssignment.newBuilder().setExperimentId(config.experimentId())
                    .setAssignmentId(taskId + "/k1/EVAL").setRound(1).setTaskId(taskId).setTaskSpec(tasks.get(i).toString())
                    .setPhase(Phase.EVAL).setEvalStep(1).setPolicyId(config.priorId(version)).setPolicyVersion(version)
                    .setEpisodeStart(0).setEpisodeCount(exp.episodes()).setSeed(TabularBoMrl.evalSeed(exp.seed(), i, 1)).build();
            send(Topics.ASSIGNMENTS, taskId, MetastreamSerdes.assignment().serializer().serialize(null, a));
        }
        commit();
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

    /** Runs every meta-iteration and returns the final meta-prior parameters φ; notes go to the log. */
    public double[] run(Consumer<RoundSummary> progress) {
        return run(progress, LOG::info);
    }

    /**
     * Runs every meta-iteration not yet done and returns the final meta-prior parameters φ. A new
     * experiment starts at round 0. An experiment whose manifest is already in {@code control} (a
     * trainer killed or stopped earlier) is resumed: after the last recorded {@code TrainerDecision}
     * (round r, version v), φ is meta-prior v from {@code policies}, the meta-learner's state is the
     * one recorded with the decision, rounds already issued keep the version they were issued with,
     * and no assignment is issued twice. The run then continues exactly as an uninterrupted one.
     * {@code notes} receives one line on how the run starts ("starting …" or "resuming …").
     */
    public double[] run(Consumer<RoundSummary> progress, Consumer<String> notes) {
        String gradTopic = config.topic(Topics.META_GRADIENTS);
        List<TopicPartition> parts = gradients.partitionsFor(gradTopic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(gradTopic, i.partition())).toList();
        gradients.assign(parts);
        gradients.seekToBeginning(parts);
        initTransactions();

        ExperimentLog log = ExperimentLog.read(config.bootstrapServers(), config.clientProperties(), config.experimentId());
        Map<Integer, Long> issuedVersions = ownAssignments(log);
        deadLettered.addAll(deadLetteredGradients());
        double[] phi;
        long version;
        int firstRound;
        if (log.manifest() == null) {
            notes.accept("starting experiment " + config.experimentId() + ": " + exp.iterations() + " meta-iterations");
            phi = learner.initialPhi();
            PolicyParams first = learner.prior(phi).setPolicyId(config.priorId(0)).setVersion(0).setKind(PolicyKind.META_PRIOR)
                    .setParentId(null).setRound(-1).setTaskId(null).build();
            ExperimentTopics.checkPolicyFits(config.bootstrapServers(), config.experimentId(),
                    MetastreamSerdes.policyParams().serialize(first).length, config.clientProperties());
            writeManifest();
            version = 0;
            publishPrior(version, phi, -1);
            firstRound = 0;
        } else {
            requireSameConfig(log);
            if (log.decisions().isEmpty()) {
                phi = learner.initialPhi();
                version = 0;
                firstRound = 0;
                if (log.priors().get(0L) == null) {
                    publishPrior(version, phi, -1);
                }
            } else {
                TrainerDecision last = log.decisions().get(log.decisions().lastKey());
                firstRound = last.getRound() + 1;
                if (log.decisions().size() != firstRound) {
                    throw new IllegalStateException("the log of " + config.experimentId() + " has decisions for "
                            + log.decisions().size() + " rounds but the last is round " + last.getRound()
                            + ": rounds are missing, it cannot be resumed");
                }
                version = last.getPolicyVersion();
                phi = log.priorParams(version);
                if (phi != null && phi.length != learner.initialPhi().length) {
                    throw new IllegalStateException("the log of " + config.experimentId() + " has meta-prior v" + version
                            + " with " + phi.length + " parameters, this experiment's φ has " + learner.initialPhi().length
                            + ": it cannot be resumed");
                }
                if (phi == null) {
                    throw new IllegalStateException("the log of " + config.experimentId() + " records round "
                            + last.getRound() + " as producing meta-prior v" + version + ", but " + config.topic(Topics.POLICIES)
                            + " has no such record: it cannot be resumed");
                }
                if (last.getLearnerState().isEmpty()) {
                    throw new IllegalStateException("the log of " + config.experimentId() + " was written before trainer"
                            + " decisions recorded the meta-learner's state (ControlRecord v1): replay it instead of resuming");
                }
                learner.restore(DoubleList.toArray(last.getLearnerState()));
            }
            notes.accept(firstRound >= exp.iterations()
                    ? String.format(java.util.Locale.ROOT, "experiment %s already completed its %d meta-iterations (meta-prior"
                    + " v%d): nothing to train", config.experimentId(), exp.iterations(), version)
                    : String.format(java.util.Locale.ROOT, "resuming experiment %s at round %d of %d from meta-prior v%d"
                    + " (%d rounds recorded in %s)", config.experimentId(), firstRound + 1, exp.iterations(), version,
                    firstRound, config.topic(Topics.CONTROL)));
            String recordedVersion = log.manifest().getCodeVersion();
            if (firstRound < exp.iterations() && !CodeVersion.current().equals(recordedVersion)) {
                notes.accept("note: experiment " + config.experimentId() + " was started by code version " + recordedVersion
                        + " and is resumed by " + CodeVersion.current() + "; rounds from " + (firstRound + 1) + " on are"
                        + " computed by the latter (bit-identical replays hold per code version)");
            }
        }
        issuedAt = new long[exp.iterations()];
        nextToIssue = firstRound;
        while (nextToIssue < exp.iterations() && nextToIssue <= firstRound + config.maxStaleness()) {
            Long recorded = issuedVersions.get(nextToIssue);
            issuedAt[nextToIssue] = recorded != null ? recorded : version;
            issue(nextToIssue, issuedAt[nextToIssue]);
            nextToIssue++;
        }
        commit();
        for (int r = firstRound; r < nextToIssue; r++) {
            // a round issued before a resume was committed earlier: its collection time is unknown
            issuedAtMillis.put(r, issuedVersions.containsKey(r) ? Double.NaN : (double) System.currentTimeMillis());
        }
        long roundStart = System.nanoTime();
        for (int round = firstRound; round < exp.iterations(); round++) {
            Collected[] bySlot = awaitRound(round, issuedAt[round], exp.tasksPerIteration());
            if (bySlot == null) {
                notes.accept("stopped before round " + (round + 1) + " of " + exp.iterations() + " of experiment "
                        + config.experimentId() + "; every finished round is committed: run the trainer again to resume");
                stopped = true;
                return phi;
            }
            List<TaskMetaGradient> grads = new ArrayList<>();
            double pre = 0;
            double post = 0;
            for (Collected c : bySlot) {
                grads.add(c.gradient());
                pre += c.gradient().getPreReturn() / bySlot.length;
                post += c.gradient().getPostReturn() / bySlot.length;
            }
            long updateStart = System.nanoTime();
            MetaLearner.Update update = learner.update(phi, grads);
            double metaStepSeconds = (System.nanoTime() - updateStart) / 1e9;
            long[] arrived = new long[bySlot.length];
            for (int i = 0; i < bySlot.length; i++) {
                arrived[i] = bySlot[i].arrivedAtMillis();
            }
            Map<String, Double> timings = RoundTimings.of(grads, arrived, issuedAtMillis.getOrDefault(round, Double.NaN),
                    metaStepSeconds, lastCommitSeconds);
            issuedAtMillis.remove(round);
            phi = update.phi();
            long staleness = version - issuedAt[round];
            version++;
            publishPrior(version, phi, round);
            publishDecision(round, version, bySlot);
            double roundSeconds = (System.nanoTime() - roundStart) / 1e9;
            if (config.maxStaleness() == 0) {
                timings.put("timeOther", roundSeconds - RoundTimings.criticalPathSeconds(timings));
            }
            Map<String, Double> diagnostics = new java.util.LinkedHashMap<>(update.diagnostics());
            diagnostics.putAll(timings);
            Map<String, Double> values = publishMetrics(round, pre, post, staleness, diagnostics, roundSeconds);
            roundStart = System.nanoTime();
            int issuing = -1;
            if (nextToIssue < exp.iterations()) {
                issuing = nextToIssue;
                issue(nextToIssue, version);
                issuedAt[nextToIssue++] = version;
            }
            long commitStart = System.nanoTime();
            commit();
            lastCommitSeconds = (System.nanoTime() - commitStart) / 1e9;
            if (issuing >= 0) {
                issuedAtMillis.put(issuing, (double) System.currentTimeMillis());
            }
            roundsCompleted++;
            progress.accept(new RoundSummary(round, version, pre, post, staleness, phi.clone(), values));
        }
        return phi;
    }

    private void issue(int round, long version) {
        List<MetaLearner.Collection> collections = learner.collections(round);
        for (int slot = 0; slot < collections.size(); slot++) {
            MetaLearner.Collection c = collections.get(slot);
            String taskId = TrainerConfig.taskId(round, slot);
            if (issuedIds.contains(taskId + "/r" + round + "/PRE")) {
                continue;   // issued before a restart
            }
            RolloutAssignment a = RolloutAssignment.newBuilder()
                    .setExperimentId(config.experimentId()).setAssignmentId(taskId + "/r" + round + "/PRE")
                    .setRound(round).setTaskId(taskId).setTaskSpec(c.taskSpec())
                    .setPhase(Phase.PRE).setEvalStep(0).setPolicyId(config.priorId(version)).setPolicyVersion(version)
                    .setEpisodeStart(0).setEpisodeCount(c.episodes()).setSeed(c.seed()).build();
            send(Topics.ASSIGNMENTS, taskId, MetastreamSerdes.assignment().serializer().serialize(null, a));
        }
    }

    /** A consumed meta-gradient and where it was read. */
    private record Collected(TaskMetaGradient gradient, int partition, long offset, long arrivedAtMillis) {
    }

    /** Round → wall time (epoch ms) at which its assignments were committed; NaN when issued before a resume. */
    private final Map<Integer, Double> issuedAtMillis = new HashMap<>();
    private double lastCommitSeconds = Double.NaN;

    private final Map<Integer, Collected[]> pending = new HashMap<>();
    private final java.util.Set<String> issuedIds = new java.util.HashSet<>();
    private final java.util.Set<Long> deadLettered = new java.util.HashSet<>();
    private long[] issuedAt = new long[0];
    private int nextToIssue;
    private boolean inTransaction;
    private volatile boolean stopRequested;
    private volatile long roundsCompleted;
    private boolean stopped;
    private boolean transactionsReady;

    private Collected[] awaitRound(int round, long version, int slots) {
        long deadline = System.nanoTime() + config.roundTimeout().toNanos();
        MetaGradientIntake intake = new MetaGradientIntake(config, learner.initialPhi().length,
                (key, letter) -> send(Topics.DEAD_LETTERS, key, letter), deadLettered);   // in the round's transaction
        while (count(pending.get(round)) < slots) {
            if (stopRequested) {
                commit();   // dead letters written so far
                return null;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("round " + round + " of " + config.experimentId() + ": only "
                        + count(pending.get(round)) + " of " + slots + " meta-gradients arrived within "
                        + config.roundTimeout() + " (are workers and the adapter running against "
                        + config.bootstrapServers() + "?)");
            }
            for (ConsumerRecord<String, byte[]> rec : gradients.poll(Duration.ofMillis(200))) {
                TaskMetaGradient g = intake.accept(rec);   // null: bad, dead-lettered
                if (g == null || g.getRound() < round) {   // a good record of an earlier round is ignored
                    continue;
                }
                if (g.getRound() >= nextToIssue || g.getPolicyVersion() != issuedAt[g.getRound()]) {
                    intake.deadLetter(rec, g.getRound() >= nextToIssue
                            ? "meta-gradient of round " + g.getRound() + ", which has not been issued"
                            : "meta-gradient of round " + g.getRound() + " computed at version " + g.getPolicyVersion()
                            + ", but the round was issued at version " + issuedAt[g.getRound()]);
                    continue;
                }
                int slot = slotOf(g.getTaskId(), g.getRound());
                Collected[] buffer = pending.computeIfAbsent(g.getRound(), r -> new Collected[slots]);
                if (slot >= 0 && slot < slots && buffer[slot] == null) {
                    buffer[slot] = new Collected(g, rec.partition(), rec.offset(), System.currentTimeMillis());
                }
            }
            commit();   // dead letters of this poll: no transaction stays open while waiting
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
                .setPolicyVersion(newVersion).setConsumed(consumed)
                .setLearnerState(DoubleList.copyOf(learner.state())).build();
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

    /** The round's metrics record; returns its values (what {@link RoundSummary#diagnostics()} carries). */
    private Map<String, Double> publishMetrics(int round, double pre, double post, long staleness,
                                               Map<String, Double> diagnostics, double roundSeconds) {
        Map<String, Double> values = new java.util.TreeMap<>(diagnostics);
        values.put("preReturn", pre);
        values.put("postReturn", post);
        values.put("staleness", (double) staleness);
        values.put("roundSeconds", roundSeconds);
        MetricsRecord m = MetricsRecord.newBuilder().setExperimentId(config.experimentId()).setRound(round).setKind("round")
                .setValues(values)
                .setTags(Map.of("mode", config.maxStaleness() == 0 ? "sync" : "async",
                        "maxStaleness", Integer.toString(config.maxStaleness()))).build();
        send(Topics.METRICS, config.experimentId(), MetastreamSerdes.metrics().serializer().serialize(null, m));
        return java.util.Collections.unmodifiableMap(values);
    }

    private void writeManifest() {
        Map<String, String> topics = new HashMap<>();
        for (Topics t : Topics.values()) {
            topics.put(t.suffix(), t.of(config.experimentId()));
        }
        ExperimentManifest m = ExperimentManifest.newBuilder().setExperimentId(config.experimentId())
                .setConfigText(config.manifestConfig()).setSeed(exp.seed()).setCodeVersion(CodeVersion.current()).setTopics(topics)
                .setCreatedAtMillis(System.currentTimeMillis()).build();
        ControlRecord c = ControlRecord.newBuilder().setExperimentId(config.experimentId()).setPayload(m).build();
        send(Topics.CONTROL, config.experimentId(), MetastreamSerdes.control().serializer().serialize(null, c));
    }

    /** Sends within the current transaction, beginning one if none is open. */
    private void send(Topics topic, String key, byte[] value) {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
        producer.send(new ProducerRecord<>(config.topic(topic), key, value));
    }

    /**
     * Commits what was sent since the last commit, atomically: a round's new meta-prior, its
     * decision, its metrics and the next round's assignments become visible together or not at all,
     * so a trainer killed mid-round leaves no half-recorded round behind.
     */
    private void commit() {
        if (inTransaction) {
            producer.commitTransaction();
            inTransaction = false;
        }
    }

    private void initTransactions() {
        if (!transactionsReady) {
            producer.initTransactions();
            transactionsReady = true;
        }
    }

    /**
     * Round → version of the PRE assignments in the log that are this trainer's own: exactly what
     * {@link #issue} builds for the round and slot (ids, task spec, seed, episodes, a meta-prior
     * id of this experiment). Look-alikes written by anyone else are not taken as issued.
     */
    private Map<Integer, Long> ownAssignments(ExperimentLog log) {
        Map<Integer, Long> versions = new HashMap<>();
        for (RolloutAssignment a : log.preAssignments()) {
            int round = a.getRound();
            if (round < 0 || round >= exp.iterations() || a.getPolicyVersion() < 0) {
                continue;
            }
            List<MetaLearner.Collection> collections = learner.collections(round);
            int slot = slotOf(a.getTaskId(), round);
            if (slot < 0 || slot >= collections.size()) {
                continue;
            }
            MetaLearner.Collection c = collections.get(slot);
            String taskId = TrainerConfig.taskId(round, slot);
            boolean own = a.getAssignmentId().equals(taskId + "/r" + round + "/PRE") && a.getTaskSpec().equals(c.taskSpec())
                    && a.getSeed() == c.seed() && a.getEpisodeStart() == 0 && a.getEpisodeCount() == c.episodes()
                    && a.getEvalStep() == 0 && a.getPolicyId().equals(config.priorId(a.getPolicyVersion()));
            if (own) {
                issuedIds.add(a.getAssignmentId());
                versions.putIfAbsent(round, a.getPolicyVersion());
            }
        }
        return versions;
    }

    /** Positions in {@code meta-gradients} already in {@code dead-letters} (written by an earlier trainer). */
    private java.util.Set<Long> deadLetteredGradients() {
        java.util.Set<Long> out = new java.util.HashSet<>();
        String gradTopic = config.topic(Topics.META_GRADIENTS);
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(config.bootstrapServers(), config.clientProperties(),
                config.topic(Topics.DEAD_LETTERS))) {
            try {
                io.metastream.schemas.DeadLetter d = r.value() == null ? null : MetastreamSerdes.deadLetter().deserialize(r.value());
                if (d != null && gradTopic.equals(d.getOriginalTopic())) {
                    out.add(MetaGradientIntake.position(d.getPartition(), d.getOffset()));
                }
            } catch (SerializationException e) {
                // not a dead letter of ours
            }
        }
        return out;
    }

    private void requireSameConfig(ExperimentLog log) {
        String recorded = log.manifest().getConfigText();
        if (!recorded.equals(config.manifestConfig())) {
            boolean numerics1 = config.manifestConfig().contains("\nnumerics: ") && !recorded.contains("\nnumerics: ");
            boolean format1 = config.manifestConfig().contains("\nconfig-format: ")
                    && !recorded.contains("\nconfig-format: ");
            throw new IllegalArgumentException("experiment " + config.experimentId() + " already exists with a different"
                    + " configuration; " + (numerics1 ? "it was recorded with numerics 1 (before the 'numerics' key existed),"
                    + " which this code does not compute: resume it with the code version experiments/README.md names."
                    : format1 ? "it was recorded with config format 1 (before the 'config-format' key existed): add"
                    + " 'config-format: 1' to the config file (or --set config-format=1) to resume it with its defaults."
                    : "resume it with the configuration in its manifest, or start a new experiment-id.")
                    + System.lineSeparator() + "recorded: " + recorded.strip().replace(System.lineSeparator(), "; ")
                    + System.lineSeparator() + "given:    " + config.manifestConfig().strip().replace(System.lineSeparator(), "; "));
        }
    }

    /** The trainer's Kafka clients (producer and the two consumers), for metrics binding. */
    public List<Object> kafkaClients() {
        return List.of(producer, gradients, metrics);
    }

    /** Meta-updates applied by this trainer so far (resumed rounds not counted). */
    public long roundsCompleted() {
        return roundsCompleted;
    }

    /**
     * Asks {@link #run} to return at the next point where all it wrote is committed: at once while it
     * waits for a round's meta-gradients (the unfinished round is redone when the experiment is
     * resumed), or after the round being recorded. Safe from any thread (e.g. a SIGTERM hook).
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether the last {@link #run} returned early because {@link #requestStop()} was called. */
    public boolean stopped() {
        return stopped;
    }

    @Override
    public void close() {
        if (inTransaction) {
            try {
                producer.abortTransaction();   // a half-sent round is redone by the next trainer
            } catch (RuntimeException e) {
                LOG.warn("could not abort the open transaction of {}: {}", config.experimentId(), e.getMessage());
            }
        }
        producer.close(Duration.ofSeconds(10));
        gradients.close(Duration.ofSeconds(10));
        metrics.close(Duration.ofSeconds(10));
    }
}
