package io.metastream.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Dead-letters every bad record on the policies topic, exactly once: the adapter's policy audit
 * ({@link PolicyAudit}) is the single dead-letter owner of that topic. A record is bad when
 * {@link PolicyCheck#decode} refuses it or {@link PolicyCheck#architectureProblem} names a mismatch
 * with the experiment. The readers that mirror the topic (the adapter's global store, every worker's
 * policy cache) skip bad records without dead-lettering them, since each of them reads every record
 * on every instance.
 */
final class PolicyAuditor implements Processor<byte[], byte[], Object, Object> {

    private final PolicyCheck check;
    private ProcessorContext<Object, Object> context;

    PolicyAuditor(PolicyCheck check) {
        this.check = check;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        PolicyCheck.Decoded d = check.decode(record.key(), record.value());
        String problem = d.policy() == null ? d.problem() : check.architectureProblem(d.policy()).orElse(null);
        if (problem != null) {
            DeadLetters.send(context, record, problem);
        }
    }
}
