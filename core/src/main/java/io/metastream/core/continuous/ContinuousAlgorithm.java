package io.metastream.core.continuous;

/**
 * The three within-task algorithms of BO-MRL for the Gaussian MLP policy (BOMRL.md §Within-task,
 * continuous column): each minimises L_low(θ) = (1/λ)·mean_i[−Â_i·2σ(2(r_i − 1))] + D(θ, φ) by Adam
 * from θ = φ, and they differ only in the proximity D (means over the batch states s):
 *
 * <ul>
 *   <li>ALG1: D = mean_s KL(π_φ(·|s) ‖ π_θ(·|s));</li>
 *   <li>ALG2: D = mean_s KL(π_θ(·|s) ‖ π_φ(·|s));</li>
 *   <li>ALG3: D = ‖θ − φ‖² (Euclidean in parameter space).</li>
 * </ul>
 */
public enum ContinuousAlgorithm {
    ALG1,
    ALG2,
    ALG3;

    /** Parses {@code 1}, {@code alg1}, {@code ALG1}, {@code alg(1)} (and likewise 2, 3). */
    public static ContinuousAlgorithm parse(String s) {
        return switch (s.trim().toLowerCase()) {
            case "1", "alg1", "alg(1)" -> ALG1;
            case "2", "alg2", "alg(2)" -> ALG2;
            case "3", "alg3", "alg(3)" -> ALG3;
            default -> throw new IllegalArgumentException("unknown within-task algorithm '" + s + "' (expected 1, 2 or 3)");
        };
    }
}
