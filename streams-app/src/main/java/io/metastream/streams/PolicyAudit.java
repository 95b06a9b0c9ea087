package io.metastream.streams;

import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The policy audit: a second, stateless topology that {@link AdapterApp} runs beside the adapter
 * under its own application id ({@link AdapterConfig#policyAuditApplicationId()}), exactly once.
 *
 * <pre>
 *  &lt;exp&gt;.policies (bytes) ──▶ audit-policy ──▶ &lt;exp&gt;.dead-letters
 * </pre>
 *
 * Why a topology of its own: the adapter reads the policies topic through a global store, and a
 * global store's processor can forward nothing and runs on every instance (and again on every
 * restore), while Kafka Streams lets one topology read a topic through one source only. A consumer
 * group of its own gives each bad policy record exactly one owner, however many adapters run.
 */
public final class PolicyAudit {

    static final String AUDIT = "audit-policy";

    private PolicyAudit() {
    }

    public static Topology build(AdapterConfig config) {
        PolicyCheck check = new PolicyCheck(config);
        return new Topology()
                .addSource("policies-source", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                        config.topic(Topics.POLICIES))
                .addProcessor(AUDIT, () -> new PolicyAuditor(check), "policies-source")
                .addSink(AdapterTopology.DEAD_LETTERS_SINK, config.topic(Topics.DEAD_LETTERS),
                        Serdes.ByteArray().serializer(), MetastreamSerdes.deadLetter().serializer(), AUDIT);
    }
}
