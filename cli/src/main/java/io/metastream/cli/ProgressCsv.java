package io.metastream.cli;

import java.util.Locale;
import java.util.Map;

/**
 * {@code progress.csv}: one row per meta-iteration, written from the values of the round's
 * {@code metrics} record only — by {@code run}/{@code trainer} as rounds finish and by
 * {@code report} from the topic afterwards, so both give the same file. Columns: round, version,
 * mean PRE and POST returns, staleness, ‖mean meta-gradient‖, mean CG residual, mean
 * KL(adapted‖prior), the round's wall time, the cumulative wall time and trajectories per second
 * (the round's PRE + POST episodes over its wall time), then where the round's wall time went along its
 * critical path ({@code RoundTimings} in the trainer: commit, PRE collection, wait, adaptation, POST
 * collection, wait, hypergradient, wait for the gradient record, meta-step, other) and the adaptation and
 * hypergradient compute summed over the round's tasks; NaN in rounds recorded before these were measured.
 */
final class ProgressCsv {

    /** The metrics keys of the phase columns, in column order (their names: snake case with {@code _s}). */
    static final java.util.List<String> PHASE_KEYS = java.util.List.of("timeCommit", "timePreCollect", "timeAdaptWait",
            "timeAdapt", "timePostCollect", "timeHypergradientWait", "timeHypergradient", "timeGradientWait", "timeMetaStep",
            "timeOther", "adaptCoreSeconds", "hypergradientCoreSeconds");

    static final java.util.List<String> PHASE_COLUMNS = java.util.List.of("commit_s", "pre_collect_s", "adapt_wait_s",
            "adapt_s", "post_collect_s", "hypergradient_wait_s", "hypergradient_s", "gradient_wait_s", "meta_step_s",
            "other_s", "adapt_core_s", "hypergradient_core_s");

    static final String HEADER = "round,version,pre_return,post_return,staleness,gradient_norm,cg_residual,"
            + "kl_adapted_prior,round_s,elapsed_s,trajectories_per_s," + String.join(",", PHASE_COLUMNS) + "\n";

    private final double trajectoriesPerRound;
    private final StringBuilder text = new StringBuilder(HEADER);
    private double elapsed;

    /** A tabular experiment's file: PRE + POST = 2 × episodes per task. */
    ProgressCsv(ExperimentFile ef) {
        this(2.0 * ef.experiment().episodes() * ef.experiment().tasksPerIteration());
    }

    /** A file whose trajectories/s column counts {@code trajectoriesPerRound} trajectories per round. */
    ProgressCsv(double trajectoriesPerRound) {
        this.trajectoriesPerRound = trajectoriesPerRound;
    }

    /** Appends round {@code round} (meta-prior {@code version} after it) and returns its trajectories/s. */
    double add(int round, long version, Map<String, Double> values) {
        double secs = values.getOrDefault("roundSeconds", Double.NaN);
        elapsed += secs;
        double rate = trajectoriesPerRound / secs;
        text.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%d,%.6g,%.6g,%.6g,%.3f,%.3f,%.1f", round, version,
                values.get("preReturn"), values.get("postReturn"), Math.round(values.get("staleness")),
                values.getOrDefault("gradientNorm", Double.NaN), values.getOrDefault("cgResidual", Double.NaN),
                values.getOrDefault("klAdaptedPrior", Double.NaN), secs, elapsed, rate));
        for (String key : PHASE_KEYS) {
            text.append(String.format(Locale.ROOT, ",%.3f", values.getOrDefault(key, Double.NaN)));
        }
        text.append('\n');
        return rate;
    }

    /**
     * The round's critical path for the progress line, e.g. {@code path s: pre 2.10 +0.31 adapt 1.20 | post 5.02 +0.10
     * hypergradient 0.40 +0.05 | meta 1.90 commit 0.02} (collection, then the wait before the computation that
     * follows it, then the computation); empty when the round has no timings (an older adapter).
     */
    static String phases(Map<String, Double> v) {
        double pre = v.getOrDefault("timePreCollect", Double.NaN);
        double adapt = v.getOrDefault("timeAdapt", Double.NaN);
        if (Double.isNaN(pre) && Double.isNaN(adapt)) {
            return "";
        }
        return String.format(Locale.ROOT, "  path s: pre %.2f +%.2f adapt %.2f | post %.2f +%.2f hypergradient %.2f +%.2f"
                        + " | meta %.2f commit %.2f", pre, v.getOrDefault("timeAdaptWait", Double.NaN), adapt,
                v.getOrDefault("timePostCollect", Double.NaN), v.getOrDefault("timeHypergradientWait", Double.NaN),
                v.getOrDefault("timeHypergradient", Double.NaN), v.getOrDefault("timeGradientWait", Double.NaN),
                v.getOrDefault("timeMetaStep", Double.NaN), v.getOrDefault("timeCommit", Double.NaN));
    }

    /** Wall time of the rounds added so far, in seconds. */
    double elapsed() {
        return elapsed;
    }

    String text() {
        return text.toString();
    }
}
