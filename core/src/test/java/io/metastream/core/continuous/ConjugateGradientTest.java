package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import io.metastream.core.linalg.Dense;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConjugateGradientTest {

    private static final int D = 20;

    /** A = MᵀM / D + 0.5 I: symmetric positive definite, condition number of order 10. */
    private static double[] randomSpd(long seed) {
        double[] m = Numerics.gaussian(D * D, 1.0, seed);
        double[] a = new double[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                double s = 0;
                for (int k = 0; k < D; k++) {
                    s += m[k * D + i] * m[k * D + j];
                }
                a[i * D + j] = s / D + (i == j ? 0.5 : 0);
            }
        }
        return a;
    }

    private static LinearOperator operator(double[] a) {
        return (v, out) -> {
            for (int i = 0; i < D; i++) {
                double s = 0;
                for (int j = 0; j < D; j++) {
                    s += a[i * D + j] * v[j];
                }
                out[i] = s;
            }
        };
    }

    private static double trueResidual(double[] a, double[] x, double[] b) {
        double[] ax = new double[D];
        operator(a).apply(x, ax);
        double s = 0;
        for (int i = 0; i < D; i++) {
            s += (b[i] - ax[i]) * (b[i] - ax[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void solvesRandomSpdSystemToResidualBelow1e10AndMatchesDirectSolve() {
        double[] a = randomSpd(3);
        double[] b = Numerics.gaussian(D, 1.0, 4);
        ConjugateGradient.Result r = ConjugateGradient.solve(operator(a), b, 100, 1e-12);
        double[] direct = Dense.solve(a, D, b);
        double residual = trueResidual(a, r.x(), b);
        double err = Numerics.relativeError(r.x(), direct);
        System.out.printf("CG 20x20: %d iterations, recurrence residual %.3e, true residual %.3e, rel. error vs LU %.3e%n",
                r.iterations(), r.residualNorm(), residual, err);
        assertThat(residual).isLessThanOrEqualTo(1e-10);
        assertThat(r.residualNorm()).isLessThanOrEqualTo(1e-10);
        assertThat(err).isLessThanOrEqualTo(1e-10);
    }

    @Test
    void stopsAtTheIterationLimitAndReportsTheResidual() {
        double[] a = randomSpd(5);
        double[] b = Numerics.gaussian(D, 1.0, 6);
        ConjugateGradient.Result r = ConjugateGradient.solve(operator(a), b, 3, 0);
        assertThat(r.iterations()).isEqualTo(3);
        assertThat(r.residualNorm()).isPositive().isLessThan(Math.sqrt(ConjugateGradient.dot(b, b)));
        assertThat(Math.abs(r.residualNorm() - trueResidual(a, r.x(), b))).isLessThanOrEqualTo(1e-12);
    }

    @Test
    void rejectsAnOperatorThatIsNotPositiveDefinite() {
        LinearOperator negative = (v, out) -> {
            for (int i = 0; i < v.length; i++) {
                out[i] = -v[i];
            }
        };
        assertThatThrownBy(() -> ConjugateGradient.solve(negative, new double[] {1, 2}, 5, 0))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("not positive definite");
    }
}
