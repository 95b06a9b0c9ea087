package io.metastream.cli;

import java.util.Locale;
import java.util.Map;

/**
 * {@code progress.csv}: one row per meta-iteration, written from the values of the round's
 * {@code metrics} record only — by {@code run}/{@code trainer} as rounds finish and by
 * {@code report} from the topic afterwards, so both give the same file. Columns: round, version,
 * mean PRE and POST returns, staleness, ‖mean meta-gradient‖, mean CG residual, mean
 * KL(adapted‖prior), the round's wall time, the cumulative wall time and trajectories per second
 * (the round's PRE + POST episodes over its wall time).
 */
final class ProgressCsv {

    static final String HEADER = "round,version,pre_return,post_return,staleness,gradient_norm,cg_residual,"
            + "kl_adapted_prior,round_s,elapsed_s,trajectories_per_s\n";

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
        text.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%d,%.6g,%.6g,%.6g,%.3f,%.3f,%.1f%n", round, version,
                values.get("preReturn"), values.get("postReturn"), Math.round(values.get("staleness")),
                values.getOrDefault("gradientNorm", Double.NaN), values.getOrDefault("cgResidual", Double.NaN),
                values.getOrDefault("klAdaptedPrior", Double.NaN), secs, elapsed, rate));
        return rate;
    }

    /** Wall time of the rounds added so far, in seconds. */
    double elapsed() {
        return elapsed;
    }

    String text() {
        return text.toString();
    }
}
