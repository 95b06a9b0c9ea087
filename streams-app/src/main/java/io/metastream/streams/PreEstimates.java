package io.metastream.streams;

import io.metastream.core.estimate.TabularEstimates;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tabular task's PRE-batch estimates (Q̂, ν̂ under the prior), computed by {@link AdaptProcessor} and needed again,
 * unchanged, by {@link MetaGradientProcessor}: the same episodes under the same prior give the same numbers, so the
 * second computation (a third of the adapter's expected-SARSA sweeps) is skipped when this instance still holds
 * them. In memory only: after a restart or a fail-over the meta-gradient step recomputes them, with the same bits.
 * Keyed by task, round and the prior's policy id; shared by one instance's stream threads; at most
 * {@link #MAX_TASKS} are kept (abandoned tasks cannot fill the heap).
 */
final class PreEstimates {

    static final int MAX_TASKS = 10_000;

    private final Map<String, TabularEstimates> byTask = new ConcurrentHashMap<>();

    void put(BatchKey preBatch, String priorId, TabularEstimates estimates) {
        if (byTask.size() >= MAX_TASKS) {
            byTask.clear();
        }
        byTask.put(key(preBatch, priorId), estimates);
    }

    /** The estimates put for this PRE batch and prior, forgotten here; null when this instance has none. */
    TabularEstimates take(BatchKey preBatch, String priorId) {
        return byTask.remove(key(preBatch, priorId));
    }

    /** Forgets everything, as a restarted instance would have. */
    void clear() {
        byTask.clear();
    }

    private static String key(BatchKey batch, String priorId) {
        return batch.taskId() + "/" + batch.round() + "/" + priorId;
    }
}
