package io.metastream.trainer;

import io.metastream.schemas.TaskMetaGradient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a round's wall time went, from the trainer's clock and the {@code timings} the adapter put into
 * each task's meta-gradient record (epoch milliseconds of the adapter's clock, so the roles' clocks are
 * assumed to agree: they do when they run on one machine, and NTP keeps a cluster within milliseconds).
 *
 * <p>The phases are those of the round's <b>critical path</b>: the task whose meta-gradient reached the
 * trainer last, followed from the moment the round's PRE assignments were committed ({@code issuedAtMillis})
 * to the end of the meta-step. In the synchronous mode they add up, with the previous round's commit and the
 * progress output ({@code timeOther}), to {@code roundSeconds}. Keys, in seconds:
 * <ul>
 *   <li>{@code timePreCollect}: assignment committed → the record that completed its PRE batch was produced
 *       (assignment delivery, 20 rollouts, trajectories sent);</li>
 *   <li>{@code timeAdaptWait}: → the adapter started adapting (Kafka hop, and queueing behind other tasks of
 *       the same stream thread);</li>
 *   <li>{@code timeAdapt}: the within-task adaptation (compute);</li>
 *   <li>{@code timePostCollect}: adapted policy ready → the POST batch complete (the adapter's transaction
 *       commit, assignment delivery, POST rollouts, trajectories sent);</li>
 *   <li>{@code timeHypergradientWait}, {@code timeHypergradient}: as for the adaptation;</li>
 *   <li>{@code timeGradientWait}: hypergradient done → the trainer read the record (the adapter's commit and
 *       the hop);</li>
 *   <li>{@code timeMetaStep}: the trainer's meta-update (compute);</li>
 *   <li>{@code timeCommit}: the previous transaction's commit, which made this round's assignments visible;</li>
 *   <li>{@code adaptCoreSeconds}, {@code hypergradientCoreSeconds}: compute summed over the round's tasks.</li>
 * </ul>
 * A value that cannot be computed (records from an older adapter, a task whose adapter restarted) is NaN.
 */
final class RoundTimings {

    private RoundTimings() {
    }

    /**
     * @param tasks            the round's meta-gradients
     * @param arrivedAtMillis  per task (same order), when the trainer read its record
     * @param issuedAtMillis   when the round's assignments were committed (NaN if unknown, e.g. issued before a resume)
     * @param metaStepSeconds  the meta-update's compute time
     * @param commitSeconds    the previous transaction's commit time (NaN for the first)
     */
    static Map<String, Double> of(List<TaskMetaGradient> tasks, long[] arrivedAtMillis, double issuedAtMillis,
                                  double metaStepSeconds, double commitSeconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        int last = 0;
        double adaptCore = 0;
        double hypergradientCore = 0;
        for (int i = 0; i < tasks.size(); i++) {
            if (arrivedAtMillis[i] > arrivedAtMillis[last]) {
                last = i;
            }
            adaptCore += get(tasks.get(i), "adaptSeconds");
            hypergradientCore += get(tasks.get(i), "hypergradientSeconds");
        }
        TaskMetaGradient t = tasks.get(last);
        double preComplete = get(t, "preCompleteAtMillis");
        double adaptStart = get(t, "adaptStartAtMillis");
        double adaptEnd = get(t, "adaptEndAtMillis");
        double postComplete = get(t, "postCompleteAtMillis");
        double hypergradientStart = get(t, "hypergradientStartAtMillis");
        double hypergradient = get(t, "hypergradientSeconds");
        out.put("timePreCollect", (preComplete - issuedAtMillis) / 1e3);
        out.put("timeAdaptWait", (adaptStart - preComplete) / 1e3);
        out.put("timeAdapt", get(t, "adaptSeconds"));
        out.put("timePostCollect", (postComplete - adaptEnd) / 1e3);
        out.put("timeHypergradientWait", (hypergradientStart - postComplete) / 1e3);
        out.put("timeHypergradient", hypergradient);
        out.put("timeGradientWait", (arrivedAtMillis[last] - hypergradientStart) / 1e3 - hypergradient);
        out.put("timeMetaStep", metaStepSeconds);
        out.put("timeCommit", commitSeconds);
        // timeOther (synchronous mode, set by the trainer): roundSeconds minus the above, i.e. publishing the
        // round's records and the progress output
        out.put("adaptCoreSeconds", adaptCore);
        out.put("hypergradientCoreSeconds", hypergradientCore);
        return out;
    }

    /** The sum of the critical path's phases and the commit ({@code time*} keys but {@code timeOther}). */
    static double criticalPathSeconds(Map<String, Double> timings) {
        double sum = 0;
        for (String k : PATH) {
            sum += timings.getOrDefault(k, Double.NaN);
        }
        return sum;
    }

    /** The critical path's phase keys, in order. */
    static final List<String> PATH = List.of("timeCommit", "timePreCollect", "timeAdaptWait", "timeAdapt", "timePostCollect",
            "timeHypergradientWait", "timeHypergradient", "timeGradientWait", "timeMetaStep");

    private static double get(TaskMetaGradient g, String key) {
        Double v = g.getTimings() == null ? null : g.getTimings().get(key);
        return v == null ? Double.NaN : v;
    }
}
