package io.metastream.core.estimate;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the sampled Q̂ holds for a state-action pair that the batch never tried (config key
 * {@code untried-actions}). Expected SARSA only updates tried pairs, so an untried pair keeps its
 * initial value unless a convention sets it. The value also enters the tried pairs' backups through
 * Σ_a' π(a'|s') Q̂[s',a'], so the two conventions differ there too.
 */
public enum UntriedActions {
    /**
     * Q̂ = 0, the initial value (the authors' single pass). Next to a hole, where every tried action
     * scores below 0, an untried action then looks best, and the adaptation moves mass onto it
     * without any evidence.
     */
    ZERO("zero"),
    /**
     * Q̂(s,a) = V̂(s), the π-weighted mean of Q̂ over the actions tried in s, in every backup and in the
     * result, so Â(s,a) = 0: no evidence, no push either way. States with no tried action keep 0.
     */
    STATE_VALUE("state-value");

    private final String label;

    UntriedActions(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The convention of a label; an unknown one is an error that lists the labels. */
    public static UntriedActions parse(String label) {
        for (UntriedActions u : values()) {
            if (u.label.equals(label)) {
                return u;
            }
        }
        throw new IllegalArgumentException("untried-actions must be one of "
                + Arrays.stream(values()).map(UntriedActions::label).collect(Collectors.joining(", "))
                + ", got '" + label + "'");
    }
}
