package io.metastream.streams;

import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyParams;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Locale;
import java.util.function.Function;

/**
 * Interactive queries of the adapter's state stores (Kafka Streams IQ): for one task and round,
 * how full its PRE and POST batches are and which adapted policy (id, meta-prior version) it has
 * produced. A task whose meta-gradient is out has been cleaned from the stores: its batches read
 * as empty and it has no adapted policy. Reads the stores of this instance only (each instance
 * holds the tasks of its partitions).
 */
public final class AdapterQueries {

    /** One task-round's state in this adapter instance. */
    public record TaskStatus(String taskId, int round, int preEpisodes, int postEpisodes, String adaptedPolicyId,
                             Long adaptedVersion) {

        /** The status as a JSON object. */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"taskId\":%s,\"round\":%d,\"preEpisodes\":%d,\"postEpisodes\":%d,"
                            + "\"adaptedPolicyId\":%s,\"adaptedVersion\":%s}", quote(taskId), round, preEpisodes, postEpisodes,
                    adaptedPolicyId == null ? "null" : quote(adaptedPolicyId), adaptedVersion == null ? "null" : adaptedVersion);
        }

        private static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return sb.append('"').toString();
        }
    }

    private final Function<String, ReadOnlyKeyValueStore<String, ?>> stores;

    /** @param stores the read-only store of a given name (a running app's, or a test driver's) */
    public AdapterQueries(Function<String, ReadOnlyKeyValueStore<String, ?>> stores) {
        this.stores = stores;
    }

    public TaskStatus status(String taskId, int round) {
        if (taskId == null || taskId.isBlank() || round < 0) {
            throw new IllegalArgumentException("a task id and a round >= 0 are required, got '" + taskId + "', " + round);
        }
        ReadOnlyKeyValueStore<String, ?> episodes = stores.apply(AdapterTopology.EPISODES_STORE);
        BatchKey pre = new BatchKey(taskId, round, Phase.PRE);
        Object adapted = stores.apply(AdapterTopology.ADAPTATIONS_STORE).get(pre.adaptedKey());
        PolicyParams theta = adapted instanceof PolicyParams p ? p : null;
        return new TaskStatus(taskId, round, count(episodes, pre), count(episodes, pre.withPhase(Phase.POST)),
                theta == null ? null : theta.getPolicyId(), theta == null ? null : theta.getVersion());
    }

    private static int count(ReadOnlyKeyValueStore<String, ?> store, BatchKey batch) {
        int n = 0;
        try (KeyValueIterator<String, ?> it = store.prefixScan(batch.batchPrefix(), new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, ?> kv = it.next();
                n += kv.value == null ? 0 : 1;
            }
        }
        return n;
    }
}
