package io.metastream.core.hypergrad;

import io.metastream.core.adapt.TabularLowerLevel;
import io.metastream.core.exact.ExactSensitivity;

/**
 * A solved tabular lower level: the problem (for a constrained solve, with λ = the multiplier
 * μ*), its solution θ*, and optionally how its data move with φ.
 *
 * @param sensitivity the exact Jacobians of Q and ν in φ (oracle mode), or {@code null} to treat
 *                    the data as constants like the authors' estimator
 * @param delta       the constraint level for a constrained solve with an active constraint,
 *                    or {@code NaN} for the penalised form
 */
public record TabularSolvedLevel(TabularLowerLevel problem, double[] theta, ExactSensitivity sensitivity,
                                 double delta) {

    /** A penalised solve. */
    public static TabularSolvedLevel penalised(TabularLowerLevel problem, double[] theta, ExactSensitivity sensitivity) {
        return new TabularSolvedLevel(problem, theta, sensitivity, Double.NaN);
    }

    public boolean constrained() {
        return !Double.isNaN(delta);
    }
}
