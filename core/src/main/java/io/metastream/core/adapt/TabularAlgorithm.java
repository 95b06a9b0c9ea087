package io.metastream.core.adapt;

/**
 * The three within-task algorithms of BO-MRL in their tabular form. Each maximises the
 * ν-weighted surrogate Σ_s ν(s) Σ_a π_θ(a|s) Â(s,a) minus λ·D(θ, φ):
 *
 * <ul>
 *   <li>ALG1: D = E_{s~ν} KL(π_φ ‖ π_θ); separable per state, solved by a 1-D Newton on the
 *       per-state optimality condition (see {@link TabularAdaptation});</li>
 *   <li>ALG2: D = E_{s~ν} KL(π_θ ‖ π_φ); closed form θ_s = φ_s + Â(s,·)/λ;</li>
 *   <li>ALG3: D = ‖θ − φ‖²; the ν weights stay in each state's problem, solved by Newton.</li>
 * </ul>
 * For ALG1/ALG2 ν(s) multiplies both terms of a state's problem, so the solution does not depend
 * on ν (and neither does its derivative at the optimum); {@link #surrogateWeightedByVisitation()}
 * is false for them.
 */
public enum TabularAlgorithm {
    ALG1(new ForwardKl(), false),
    ALG2(new ReverseKl(), false),
    ALG3(new Euclidean(), true);

    private final Proximity proximity;
    private final boolean weighted;

    TabularAlgorithm(Proximity proximity, boolean weighted) {
        this.proximity = proximity;
        this.weighted = weighted;
    }

    public Proximity proximity() {
        return proximity;
    }

    /** True when a state's problem keeps ν(s) on the surrogate (the proximity is not ν-weighted). */
    public boolean surrogateWeightedByVisitation() {
        return weighted;
    }

    /** Parses {@code 1}, {@code alg1}, {@code ALG1} (and likewise 2, 3). */
    public static TabularAlgorithm parse(String s) {
        return switch (s.trim().toLowerCase()) {
            case "1", "alg1", "alg(1)" -> ALG1;
            case "2", "alg2", "alg(2)" -> ALG2;
            case "3", "alg3", "alg(3)" -> ALG3;
            default -> throw new IllegalArgumentException("unknown within-task algorithm '" + s + "' (expected 1, 2 or 3)");
        };
    }
}
