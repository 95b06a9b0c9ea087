package io.metastream.streams;

import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.RolloutAssignment;
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
 * Keeps PRE and EVAL assignments by assignment id: the adapter takes the task spec and the seed
 * (from which the POST or next EVAL seed derives) from them. POST assignments (the adapter's own)
 * pass by once checked. Should a batch have completed before its assignment was seen, the batch is
 * handed to the adapter now.
 *
 * <p>The adapter is the dead-letter owner of the assignments topic (the workers read it too, at least
 * once, and only skip what they cannot play). Dead-lettered with the reason: undecodable bytes, a
 * tombstone, an EVAL assignment of a continuous experiment, a key other than the task id, an identity
 * that can never be assigned ({@link TaskIdentity}), an episode range outside the phase's batch, and
 * (tabular) a task spec that does not parse or is not a map of the family's size.
 */
final class AssignmentRecorder implements Processor<byte[], byte[], Object, Object> {

    private final Deserializer<RolloutAssignment> deserializer = MetastreamSerdes.assignment().deserializer();
    private final AdapterConfig config;
    private final TaskIdentity identity;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, RolloutAssignment> assignments;
    private KeyValueStore<String, Integer> counts;

    AssignmentRecorder(AdapterConfig config, TaskIdentity identity) {
        this.config = config;
        this.identity = identity;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.assignments = context.getStateStore(AdapterTopology.PRE_ASSIGNMENTS_STORE);
        this.counts = context.getStateStore(AdapterTopology.BATCH_COUNTS_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RolloutAssignment a;
        try {
            a = deserializer.deserialize(context.recordMetadata().map(RecordMetadata::topic).orElse(""), record.value());
        } catch (SerializationException e) {
            DeadLetters.send(context, record, "undecodable assignment: " + e.getMessage());
            return;
        }
        Optional<String> problem = a == null ? Optional.of("tombstone: an assignment record needs a value")
                : problem(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), a);
        if (problem.isPresent()) {
            DeadLetters.send(context, record, problem.get());
            return;
        }
        if (a.getPhase() == Phase.POST) {
            return;
        }
        BatchKey batch = new BatchKey(a.getTaskId(), a.getRound(), a.getPhase());
        if (a.getPhase() == Phase.PRE && isComplete(batch.withPhase(Phase.POST))) {
            return; // a redelivery after the task's meta-gradient was published
        }
        assignments.put(a.getAssignmentId(), a);
        if (isComplete(batch)) {
            context.forward(new Record<>(a.getTaskId(), batch, record.timestamp()), AdapterTopology.ADAPT);
        }
    }

    private Optional<String> problem(String key, RolloutAssignment a) {
        if (a.getPhase() == Phase.EVAL && config.isContinuous()) {
            return Optional.of("EVAL assignment of a continuous experiment: the adapter does not run the "
                    + "continuous meta-test (the trainer runs it in-process)");
        }
        if (key == null || !key.equals(a.getTaskId())) {
            return Optional.of("key '" + TaskIdentity.printable(key) + "' does not match taskId '"
                    + TaskIdentity.printable(a.getTaskId()) + "'");
        }
        return identity.problem(a.getExperimentId(), a.getTaskId(), a.getRound(), a.getPhase())
                .or(() -> episodeRangeProblem(a))
                .or(() -> config.isContinuous() ? Optional.empty() : taskSpecProblem(a.getTaskSpec()));
    }

    private Optional<String> episodeRangeProblem(RolloutAssignment a) {
        int batch = config.batchSize(a.getPhase());
        long end = (long) a.getEpisodeStart() + a.getEpisodeCount();
        if (a.getEpisodeStart() < 0 || a.getEpisodeCount() < 0 || end > batch) {
            return Optional.of("episode range start " + a.getEpisodeStart() + " count " + a.getEpisodeCount()
                    + " outside the " + a.getPhase() + " batch [0, " + batch + ")");
        }
        return Optional.empty();
    }

    private Optional<String> taskSpecProblem(String spec) {
        FrozenLakeMap map;
        try {
            map = FrozenLakeMap.parse(spec);
        } catch (RuntimeException e) {
            return Optional.of("task spec '" + TaskIdentity.printable(spec) + "' does not parse: " + e.getMessage());
        }
        return map.nStates() == config.tabularStates() ? Optional.empty()
                : Optional.of("task spec '" + TaskIdentity.printable(spec) + "' has " + map.nStates()
                        + " states, the family's maps have " + config.tabularStates());
    }

    private boolean isComplete(BatchKey batch) {
        Integer count = counts.get(batch.batchPrefix());
        return count != null && count >= config.batchSize(batch.phase());
    }
}
