package io.metastream.streams;

import io.metastream.schemas.RolloutAssignment;

import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.Trajectory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes and validates raw trajectory records. A valid PRE or POST episode goes on to the
 * collector keyed by task id; an undecodable or invalid record goes to the dead-letter sink with
 * its raw bytes, position and reason: a tombstone, a policy that is not the episode's, the
 * experiment kind's {@link Validator} (shapes, lengths, finite values), and {@link TaskIdentity}
 * (another experiment, a malformed task id, a task that can never be assigned). The records arrive
 * as bytes so that decoding failures are seen here rather than by Streams' deserialization handler.
 * The adapter is the only reader of the trajectories topic, so it owns their dead letters.
 */
final class TrajectoryGate implements Processor<byte[], byte[], Object, Object> {

    /** The experiment kind's checks of a decoded trajectory ({@link TrajectoryValidator}, {@link ContinuousTrajectoryValidator}). */
    interface Validator {
        /**
         * @param key       the record key (task id), or null when the record had none
         * @param behaviour the policy named by the trajectory, or null while it is not known yet
         * @return why the trajectory is unusable, or empty when it is valid
         */
        Optional<String> problem(String key, Trajectory t, PolicyParams behaviour);
    }

    private final Deserializer<Trajectory> deserializer = MetastreamSerdes.trajectory().deserializer();
    private final Validator validator;
    private final TaskIdentity identity;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, PolicyParams> policies;
    private KeyValueStore<String, PolicyParams> adaptations;
    private KeyValueStore<String, RolloutAssignment> preAssignments;

    TrajectoryGate(Validator validator, TaskIdentity identity) {
        this.validator = validator;
        this.identity = identity;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.policies = context.getStateStore(AdapterTopology.POLICIES_STORE);
        this.adaptations = context.getStateStore(AdapterTopology.ADAPTATIONS_STORE);
        this.preAssignments = context.getStateStore(AdapterTopology.PRE_ASSIGNMENTS_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Trajectory t;
        try {
            t = deserializer.deserialize(topic(), record.value());
        } catch (SerializationException e) {
            deadLetter(record, "undecodable trajectory: " + e.getMessage());
            return;
        }
        if (t == null) {
            deadLetter(record, "tombstone: a trajectory record needs a value");
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        PolicyParams behaviour = behaviour(t);
        Optional<String> problem = behaviour == null ? unknownPolicyProblem(t) : Optional.empty();
        problem = problem.or(() -> validator.problem(key, t, behaviour))
                .or(() -> identity.problem(t.getExperimentId(), t.getTaskId(), t.getRound(), t.getPhase()));
        if (problem.isPresent()) {
            deadLetter(record, problem.get());
            return;
        }
        context.forward(new Record<>(t.getTaskId(), new EpisodeStore.Episode(t, record.value()), record.timestamp()),
                AdapterTopology.COLLECT);
    }

    /** The behaviour policy: a published one, or this adapter's own θ not yet seen on the policies topic. */
    private PolicyParams behaviour(Trajectory t) {
        PolicyParams published = policies.get(t.getPolicyId());
        if (published != null) {
            return published;
        }
        BatchKey batch = BatchKey.of(t);
        // POST episodes play this round's θ; EVAL step k plays step k−1's θ (same task id, round k−1)
        String key = t.getPhase() == Phase.EVAL ? new BatchKey(t.getTaskId(), t.getRound() - 1, Phase.EVAL).adaptedKey()
                : batch.adaptedKey();
        PolicyParams adapted = adaptations.get(key);
        return adapted != null && adapted.getPolicyId().equals(t.getPolicyId()) ? adapted : null;
    }

    /**
     * A policy missing from the global store is normal for a PRE or EVAL episode (the store may lag
     * the worker that played it: adaptation waits for it) unless the episode's assignment is known
     * and names another policy. A POST episode's policy is always this adapter's own θ.
     */
    private Optional<String> unknownPolicyProblem(Trajectory t) {
        if (t.getPhase() == Phase.POST) {
            return Optional.of("unknown policy '" + t.getPolicyId() + "'");
        }
        RolloutAssignment a = preAssignments.get(t.getAssignmentId());
        if (a != null && !a.getPolicyId().equals(t.getPolicyId())) {
            return Optional.of("policy '" + t.getPolicyId() + "' is not the policy '" + a.getPolicyId()
                    + "' of assignment '" + t.getAssignmentId() + "'");
        }
        return Optional.empty();
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason) {
        DeadLetters.send(context, record, reason);
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
    }
}
