package io.metastream.core.adapt;

import io.metastream.core.Numerics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Every analytic derivative of a state's lower-level objective against central differences. */
class StateObjectiveDerivativesTest {

    private static final double H = 1e-6;
    private static final double TOL = 1e-7;

    @ParameterizedTest
    @EnumSource(TabularAlgorithm.class)
    void gradientHessianAndMixedDerivativesMatchFiniteDifferences(TabularAlgorithm alg) {
        for (long seed = 1; seed <= 3; seed++) {
            double[] phi = Numerics.gaussian(4, 1.0, seed);
            double[] theta = Numerics.gaussian(4, 1.0, seed + 100);
            double[] q = Numerics.gaussian(4, 1.0, seed + 200);
            double w = 0.37;
            double lambda = 0.7;
            StateObjective g = new StateObjective(alg.proximity(), phi, q, w, lambda);

            assertClose(g.gradient(theta), fd(th -> new double[]{g.value(th)}, theta, 1), "gradient");
            assertClose(g.hessian(theta), fd(g::gradient, theta, 4), "hessian");
            assertClose(g.mixedPhi(theta),
                    fd(ph -> new StateObjective(alg.proximity(), ph, q, w, lambda).gradient(theta), phi, 4), "mixed phi");
            assertClose(g.mixedQ(theta),
                    fd(qq -> new StateObjective(alg.proximity(), phi, qq, w, lambda).gradient(theta), q, 4), "mixed q");
            assertClose(g.mixedWeight(theta),
                    fd(ww -> new StateObjective(alg.proximity(), phi, q, ww[0], lambda).gradient(theta), new double[]{w}, 4),
                    "mixed weight");
            assertClose(g.mixedLambda(theta),
                    fd(ll -> new StateObjective(alg.proximity(), phi, q, w, ll[0]).gradient(theta), new double[]{lambda}, 4),
                    "mixed lambda");
            assertClose(g.divergenceGradTheta(theta), fd(th -> new double[]{g.divergence(th)}, theta, 1), "dD/dtheta");
            assertClose(g.divergenceGradPhi(theta),
                    fd(ph -> new double[]{new StateObjective(alg.proximity(), ph, q, w, lambda).divergence(theta)}, phi, 1),
                    "dD/dphi");
        }
    }

    /** Column j of the result is ∂f/∂x_j; row-major (outDim × x.length), transposed for scalar f. */
    private static double[] fd(Function<double[], double[]> f, double[] x, int outDim) {
        double[] jac = new double[outDim * x.length];
        for (int j = 0; j < x.length; j++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[j] += H;
            m[j] -= H;
            double[] fp = f.apply(p);
            double[] fm = f.apply(m);
            for (int i = 0; i < outDim; i++) {
                jac[i * x.length + j] = (fp[i] - fm[i]) / (2 * H);
            }
        }
        return jac;
    }

    private static void assertClose(double[] analytic, double[] numeric, String what) {
        assertThat(Numerics.maxAbsDiff(analytic, numeric)).as(what).isLessThan(TOL);
    }
}
