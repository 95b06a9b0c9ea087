package io.metastream.core.continuous;

/** x ↦ ∇f(x) of a smooth scalar function f on R^dim. */
@FunctionalInterface
public interface GradientFunction {

    /** out = ∇f(x); {@code out} is overwritten, {@code x} is not modified. */
    void gradient(double[] x, double[] out);
}
