package io.metastream.streams;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where one adapter instance's tasks spent their wall time, carried from the adaptation of a task's
 * PRE batch ({@link AdaptProcessor}) to its hypergradient ({@link MetaGradientProcessor}), which puts
 * them into the task's {@code TaskMetaGradient.timings} for the trainer's per-round breakdown. Diagnostics
 * only: nothing here feeds the math, and the map is in memory, so a task adapted by an instance that
 * restarted before its hypergradient simply lacks the adaptation keys. Shared by the stream threads of
 * one instance; at most {@link #MAX_TASKS} tasks are kept (abandoned tasks cannot fill the heap).
 */
final class TaskTimings {

    static final String PRE_COMPLETE_AT = "preCompleteAtMillis";
    static final String ADAPT_START_AT = "adaptStartAtMillis";
    static final String ADAPT_END_AT = "adaptEndAtMillis";
    static final String ADAPT_SECONDS = "adaptSeconds";
    static final String POST_COMPLETE_AT = "postCompleteAtMillis";
    static final String HYPERGRADIENT_START_AT = "hypergradientStartAtMillis";
    static final String HYPERGRADIENT_SECONDS = "hypergradientSeconds";

    static final int MAX_TASKS = 10_000;

    private final Map<String, Map<String, Double>> byTask = new ConcurrentHashMap<>();

    /** Records the adaptation of {@code batch} (a PRE batch completed by a record stamped {@code completedAt}). */
    void adapted(BatchKey batch, long completedAt, long startMillis, long startNanos) {
        if (byTask.size() >= MAX_TASKS) {
            byTask.clear();
        }
        Map<String, Double> t = new HashMap<>();
        t.put(PRE_COMPLETE_AT, (double) completedAt);
        t.put(ADAPT_START_AT, (double) startMillis);
        t.put(ADAPT_END_AT, (double) System.currentTimeMillis());
        t.put(ADAPT_SECONDS, (System.nanoTime() - startNanos) / 1e9);
        byTask.put(key(batch), t);
    }

    /**
     * The timings of the task of POST batch {@code batch} (completed by a record stamped {@code completedAt},
     * hypergradient started at {@code startMillis}/{@code startNanos} and just finished), forgetting the task.
     */
    Map<String, Double> hypergradient(BatchKey batch, long completedAt, long startMillis, long startNanos) {
        Map<String, Double> t = byTask.remove(key(batch));
        Map<String, Double> out = t == null ? new HashMap<>() : t;
        out.put(POST_COMPLETE_AT, (double) completedAt);
        out.put(HYPERGRADIENT_START_AT, (double) startMillis);
        out.put(HYPERGRADIENT_SECONDS, (System.nanoTime() - startNanos) / 1e9);
        return out;
    }

    private static String key(BatchKey batch) {
        return batch.taskId() + "/" + batch.round();
    }
}
