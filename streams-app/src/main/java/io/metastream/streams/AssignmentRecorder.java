package io.metastream.streams;

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

/**
 * Keeps PRE and EVAL assignments by assignment id: the adapter takes the task spec and the seed
 * (from which the POST or next EVAL seed derives) from them. POST assignments (the adapter's own)
 * pass by; undecodable records, and EVAL assignments of a continuous experiment, are dead-lettered. Should a batch have completed before its
 * assignment was seen, the batch is handed to the adapter now.
 */
final class AssignmentRecorder implements Processor<byte[], byte[], Object, Object> {

    private final Deserializer<RolloutAssignment> deserializer = MetastreamSerdes.assignment().deserializer();
    private final AdapterConfig config;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, RolloutAssignment> assignments;
    private KeyValueStore<String, Integer> counts;

    AssignmentRecorder(AdapterConfig config) {
        this.config = config;
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
        if (a == null || a.getPhase() == Phase.POST) {
            return;
        }
        if (a.getPhase() == Phase.EVAL && config.isContinuous()) {
            DeadLetters.send(context, record, "EVAL assignment of a continuous experiment: the adapter does not run the "
                    + "continuous meta-test (the trainer runs it in-process)");
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

    private boolean isComplete(BatchKey batch) {
        Integer count = counts.get(batch.batchPrefix());
        return count != null && count >= config.batchSize(batch.phase());
    }
}
