package io.metastream.streams;

import io.metastream.schemas.PolicyParams;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Mirrors the compacted policies topic into the global {@link AdapterTopology#POLICIES_STORE}: every
 * record that {@link PolicyCheck#decode} accepts, under its policy id (a later record with the same
 * id replaces it). Records it refuses — undecodable, tombstones, a key other than the policy id,
 * non-finite numbers — are skipped here without a word: the global store is fed on every adapter
 * instance (and again on every restore), so it cannot own their dead letters; the
 * {@link PolicyAuditor} dead-letters each of them once.
 */
final class PolicyStoreUpdater implements Processor<byte[], byte[], Void, Void> {

    private final PolicyCheck check;
    private KeyValueStore<String, PolicyParams> policies;

    PolicyStoreUpdater(PolicyCheck check) {
        this.check = check;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.policies = context.getStateStore(AdapterTopology.POLICIES_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        PolicyCheck.Decoded d = check.decode(record.key(), record.value());
        if (d.policy() != null) {
            policies.put(d.policy().getPolicyId(), d.policy());
        }
    }
}
