package io.metastream.streams;

import io.metastream.schemas.PolicyParams;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Mirrors the compacted policies topic into the global {@link AdapterTopology#POLICIES_STORE}. */
final class PolicyStoreUpdater implements Processor<String, PolicyParams, Void, Void> {

    private KeyValueStore<String, PolicyParams> policies;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.policies = context.getStateStore(AdapterTopology.POLICIES_STORE);
    }

    @Override
    public void process(Record<String, PolicyParams> record) {
        if (record.value() == null) {
            policies.delete(record.key());
        } else {
            policies.put(record.key(), record.value());
        }
    }
}
