package io.metastream.streams;

import io.metastream.core.task.FrozenLakeMap;

import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Map;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The adapter's topology (ARCHITECTURE.md data flow, steps 3 and 5; README.md has the diagram).
 * Trajectories and assignments are both keyed by task id and must have the same partition count,
 * so one stream task sees all of a task's records; policies are a global store. Trajectories and
 * assignments are read as bytes and decoded by the processors, so an undecodable record becomes a
 * dead letter; policies are read as bytes too and bad ones skipped by the store's updater (the
 * separate {@link PolicyAudit} topology dead-letters them). Stores are in-memory with changelogs (exactly-once restores them on fail-over): a
 * task's state lives only between its first PRE episode and its meta-gradient. The same topology
 * serves tabular and continuous experiments: only the trajectory checks, the batch sizes per phase
 * and the math inside {@code adapt} and {@code meta-gradient} depend on the experiment's kind.
 */
public final class AdapterTopology {

    /** Global store: policy id → PolicyParams, mirrored from the policies topic. */
    public static final String POLICIES_STORE = "adapter-policies";
    /** (task, round, phase, episode index) → the Trajectory record's bytes as they arrived: each batch's distinct episodes. */
    public static final String EPISODES_STORE = "adapter-episodes";
    /** (task, round, phase) → distinct episodes so far; kept after completion to drop late duplicates. */
    public static final String BATCH_COUNTS_STORE = "adapter-batch-counts";
    /** Assignment id → PRE or EVAL RolloutAssignment (task spec and seed). */
    public static final String PRE_ASSIGNMENTS_STORE = "adapter-pre-assignments";
    /** Complete PRE batches whose behaviour policy has not reached the policies store yet → their batch key. */
    public static final String PENDING_STORE = "adapter-pending";
    /** (task, round, prior|adapted) → PolicyParams φ and θ, between adaptation and meta-gradient. */
    public static final String ADAPTATIONS_STORE = "adapter-adaptations";

    static final String GATE = "validate-trajectory";
    static final String COLLECT = "collect-batch";
    static final String RECORD_ASSIGNMENT = "record-pre-assignment";
    static final String ADAPT = "adapt";
    static final String META_GRADIENT = "meta-gradient";
    static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    static final String POLICIES_SINK = "policies-sink";
    static final String ASSIGNMENTS_SINK = "assignments-sink";
    static final String META_GRADIENTS_SINK = "meta-gradients-sink";
    static final String METRICS_SINK = "metrics-sink";

    private AdapterTopology() {
    }

    public static Topology build(AdapterConfig config) {
        return build(config, new PreEstimates());
    }

    /** As {@link #build(AdapterConfig)}, with the instance's store of kept PRE estimates (tests forget them). */
    static Topology build(AdapterConfig config, PreEstimates preEstimates) {
        TrajectoryGate.Validator validator = config.isContinuous() ? new ContinuousTrajectoryValidator(config)
                : new TrajectoryValidator(config.episodesPerBatch(), config.tabularStates(), FrozenLakeMap.N_ACTIONS);
        PolicyCheck policyCheck = new PolicyCheck(config);
        TaskIdentity identity = new TaskIdentity(config);
        TaskTimings timings = new TaskTimings();
        Serde<String> strings = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        return new Topology()
                .addGlobalStore(store(POLICIES_STORE, MetastreamSerdes.policyParams()).withLoggingDisabled(),
                        "policies-source", bytes.deserializer(), bytes.deserializer(),
                        config.topic(Topics.POLICIES), "mirror-policies", () -> new PolicyStoreUpdater(policyCheck))
                .addSource("trajectories-source", bytes.deserializer(), bytes.deserializer(),
                        config.topic(Topics.TRAJECTORIES))
                .addSource("assignments-source", bytes.deserializer(), bytes.deserializer(),
                        config.topic(Topics.ASSIGNMENTS))
                .addProcessor(GATE, () -> new TrajectoryGate(validator, identity), "trajectories-source")
                .addProcessor(COLLECT, () -> new BatchCollector(config::batchSize), GATE)
                .addProcessor(RECORD_ASSIGNMENT, () -> new AssignmentRecorder(config, identity), "assignments-source")
                .addProcessor(ADAPT, () -> new AdaptProcessor(config, timings, preEstimates), COLLECT, RECORD_ASSIGNMENT)
                .addProcessor(META_GRADIENT, () -> new MetaGradientProcessor(config, timings, preEstimates), COLLECT)
                .addStateStore(store(EPISODES_STORE, bytes), COLLECT, ADAPT, META_GRADIENT)
                .addStateStore(store(BATCH_COUNTS_STORE, Serdes.Integer()), COLLECT, RECORD_ASSIGNMENT)
                .addStateStore(store(PRE_ASSIGNMENTS_STORE, MetastreamSerdes.assignment()),
                        GATE, RECORD_ASSIGNMENT, ADAPT, META_GRADIENT)
                .addStateStore(store(ADAPTATIONS_STORE, MetastreamSerdes.policyParams()), GATE, ADAPT, META_GRADIENT)
                .addStateStore(store(PENDING_STORE, Serdes.String()), ADAPT)
                .addSink(DEAD_LETTERS_SINK, config.topic(Topics.DEAD_LETTERS), bytes.serializer(),
                        MetastreamSerdes.deadLetter().serializer(), GATE, RECORD_ASSIGNMENT)
                .addSink(POLICIES_SINK, config.topic(Topics.POLICIES), strings.serializer(),
                        MetastreamSerdes.policyParams().serializer(), ADAPT)
                .addSink(ASSIGNMENTS_SINK, config.topic(Topics.ASSIGNMENTS), strings.serializer(),
                        MetastreamSerdes.assignment().serializer(), ADAPT)
                .addSink(META_GRADIENTS_SINK, config.topic(Topics.META_GRADIENTS), strings.serializer(),
                        MetastreamSerdes.metaGradient().serializer(), META_GRADIENT)
                .addSink(METRICS_SINK, config.topic(Topics.METRICS), strings.serializer(),
                        MetastreamSerdes.metrics().serializer(), ADAPT);
    }

    /**
     * Settings of the stores' changelog topics (compacted, as Kafka Streams makes them). A task's episodes are
     * deleted from the store once its meta-gradient is out, but with the broker's 1-GiB segments the
     * compacted changelog was rarely cleaned (only closed segments are): it kept a second copy of the
     * trajectories (after 86 MAML-TRPO iterations on HalfCheetah-Vel, 10 partitions: 4.0 GB of changelog
     * beside 4.0 GB of trajectories; BO-MRL, 3 partitions, 115 iterations: 2.3 beside 5.3 GB). 64-MiB
     * segments and a 10 % dirty ratio let
     * the log cleaner drop the deleted episodes, so the changelog stays near one round's live state.
     * Applied when Streams creates the changelog topics (existing ones keep their settings).
     */
    static final Map<String, String> CHANGELOG_CONFIG = Map.of(
            "segment.bytes", String.valueOf(64 << 20),
            "min.cleanable.dirty.ratio", "0.1");

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingEnabled(CHANGELOG_CONFIG);
    }
}
