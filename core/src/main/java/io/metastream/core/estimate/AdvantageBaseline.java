package io.metastream.core.estimate;

import io.metastream.core.continuous.ContinuousBatch;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the continuous Monte-Carlo returns are centred by before they are used as advantages (config key
 * {@code advantage-baseline}). Both give centred Â; the MAML family standardises the result afterwards.
 */
public enum AdvantageBaseline {
    /** Â = G − the batch mean of G (BOMRL.md §Estimators; the default). */
    BATCH_MEAN("batch-mean"),
    /**
     * Â = G − b(s, t), b the per-batch least-squares fit of G on observation and time features: the
     * rllab / garage / ProMP {@code LinearFeatureBaseline} ({@link MonteCarloAdvantages#linearFeatureBaseline}).
     */
    LINEAR_FEATURE("linear-feature");

    private final String label;

    AdvantageBaseline(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The baseline of a label; an unknown one is an error that lists the labels. */
    public static AdvantageBaseline parse(String label) {
        for (AdvantageBaseline b : values()) {
            if (b.label.equals(label)) {
                return b;
            }
        }
        throw new IllegalArgumentException("advantage-baseline must be one of "
                + Arrays.stream(values()).map(AdvantageBaseline::label).collect(Collectors.joining(", "))
                + ", got '" + label + "'");
    }

    /** The batch (normalised s, a, Â) of the trajectories in list order, Â centred by this baseline. */
    public ContinuousBatch batch(List<ContinuousTrajectory> trajectories, ObservationNormalizer normalizer,
                                 double gamma) {
        return this == BATCH_MEAN ? MonteCarloAdvantages.batch(trajectories, normalizer, gamma)
                : MonteCarloAdvantages.linearFeatureBaseline(trajectories, normalizer, gamma);
    }
}
