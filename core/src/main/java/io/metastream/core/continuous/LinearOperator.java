package io.metastream.core.continuous;

/** A linear map v ↦ A v on R^dim, given only by its action (Hessian- or Fisher-vector products). */
@FunctionalInterface
public interface LinearOperator {

    /** out = A v; {@code out} is overwritten and distinct from {@code v}. */
    void apply(double[] v, double[] out);
}
