package io.metastream.core.meta;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The continuous meta-learner of an experiment (BOMRL.md §Baselines): BO-MRL itself or one of the
 * MAML-family baselines of {@link ContinuousMaml}. The label is the config value ({@code method: promp}).
 */
public enum MetaMethod {
    /** BO-MRL: Alg(π_φ, λ, τ), implicit hypergradient, TRPO meta-step ({@link ContinuousBoMrl}). */
    BOMRL("bomrl"),
    /** MAML with the original (log-likelihood Hessian) estimator and an Adam outer step. */
    MAML_VPG("maml-vpg"),
    /** MAML with the bounded-surrogate (low-variance-curvature) Hessian and a TRPO outer step. */
    MAML_TRPO("maml-trpo"),
    /** ProMP: LVC inner step, clipped-ratio outer objective with a KL penalty, Adam outer steps (in-process only). */
    PROMP("promp"),
    /** E-MAML: MAML-TRPO plus the exploration term through the inner update's score function. */
    E_MAML("e-maml");

    private final String label;

    MetaMethod(String label) {
        this.label = label;
    }

    /** The config value, e.g. {@code maml-trpo}. */
    public String label() {
        return label;
    }

    /** Whether this is one of the MAML-family baselines (one inner policy-gradient step). */
    public boolean isMaml() {
        return this != BOMRL;
    }

    /** Parses a label (case-insensitive, {@code _} accepted for {@code -}); the error lists the allowed values. */
    public static MetaMethod parse(String s) {
        String key = s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        for (MetaMethod m : values()) {
            if (m.label.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown meta-learning method '" + s + "' (expected one of "
                + Arrays.stream(values()).map(MetaMethod::label).collect(Collectors.joining(", ")) + ")");
    }
}
