package io.metastream.core.meta;

/**
 * Which per-task hypergradient the tabular loop uses: the authors' identity approximation, or the
 * implicit-differentiation gradient with the data held fixed (BOMRL.md, practical estimator).
 */
public enum HypergradientKind {
    IDENTITY,
    IMPLICIT;

    public static HypergradientKind parse(String s) {
        return switch (s.trim().toLowerCase()) {
            case "identity" -> IDENTITY;
            case "implicit" -> IMPLICIT;
            default -> throw new IllegalArgumentException("unknown hypergradient '" + s + "' (expected identity or implicit)");
        };
    }
}
