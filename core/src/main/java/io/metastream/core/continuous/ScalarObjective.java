package io.metastream.core.continuous;

/** A smooth scalar function f on R^dim with its gradient (e.g. a loss to minimise). */
public interface ScalarObjective extends GradientFunction {

    /** f(x); {@code x} is not modified. */
    double value(double[] x);
}
