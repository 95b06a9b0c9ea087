package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import io.metastream.core.linalg.Dense;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hypergradient against finite differences of the true implicit function. The lower level is
 * solved to convergence by (Levenberg–Marquardt-safeguarded) Newton steps with a dense Hessian from
 * central differences of the exact gradient, the data and the ratio denominators held at φ₀ — the
 * authors' simplification, which the estimator assumes — and D anchored at the varied φ:
 *
 * <pre>
 *   θ*(φ) = argmin_θ (1/λ) mean_i[−Â_i 2σ(2(π_θ/π_φ₀ − 1))] + D(θ, φ),   f(φ) = c · θ*(φ)
 * </pre>
 *
 * so ∇f(φ₀) (central differences over every coordinate of φ, re-solving each time) must equal the
 * metaGradient for postLossGradient = c.
 */
class ImplicitFunctionHypergradientTest {

    private static final int N = 40;

    /** λ = 2 with the advantage scales below makes ∇²L_low positive definite near θ* for every algorithm. */
    private static final double LAMBDA = 2;

    /**
     * Networks with fewer parameters than the 80 mean outputs so the KL's Hessian is non-singular: one
     * hidden layer of 2 tanh units with doubled weights (near-linear tanh units make W₂W₁ almost
     * scale-invariant, an almost flat direction in which the surrogate's curvature wins), and the
     * linear-Gaussian policy.
     */
    enum Network {
        TANH_2(new int[] {2}, 2.0, 0.1),
        LINEAR(new int[0], 1.0, 0.3);

        final int[] hidden;
        final double weightScale;
        final double advScale;

        Network(int[] hidden, double weightScale, double advScale) {
            this.hidden = hidden;
            this.weightScale = weightScale;
            this.advScale = advScale;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(ContinuousAlgorithm.values())
                .flatMap(a -> Stream.of(Network.values()).map(net -> Arguments.of(a, net)));
    }

    private double[] phi0;
    private ContinuousBatch batch;

    @ParameterizedTest
    @MethodSource("cases")
    void hypergradientMatchesFiniteDifferencesOfTheSolvedLowerLevel(ContinuousAlgorithm algorithm, Network network) {
        GaussianMlpPolicy policy = new GaussianMlpPolicy(3, network.hidden, 2);
        phi0 = Fd.randomTheta(policy, 31);
        for (int i = 0; i < policy.logStdOffset(); i++) {
            phi0[i] *= network.weightScale;
        }
        batch = LowerLevelFixture.batch(policy, phi0, N, network.advScale, 32);
        double[] c = Fd.uniform(phi0.length, 1.0, 33);

        LowerLevelKernel kernel = LowerLevelFixture.lowerLevel(policy, algorithm, LAMBDA).kernel();
        double[] thetaStar = argmin(kernel, phi0, phi0);
        ContinuousHypergradient hypergradient = new ContinuousHypergradient(
                LowerLevelFixture.lowerLevel(policy, algorithm, LAMBDA), new HypergradientConfig(100, 0));
        ContinuousHypergradient.Result result = hypergradient.compute(phi0, thetaStar, batch, c);

        double h = 1e-4;
        int d = phi0.length;
        double[] fd = new double[d];
        double[] shifted = phi0.clone();
        for (int i = 0; i < d; i++) {
            shifted[i] = phi0[i] + h;
            double plus = ConjugateGradient.dot(c, argmin(kernel, shifted, thetaStar));
            shifted[i] = phi0[i] - h;
            double minus = ConjugateGradient.dot(c, argmin(kernel, shifted, thetaStar));
            shifted[i] = phi0[i];
            fd[i] = (plus - minus) / (2 * h);
        }
        double cosine = Numerics.cosine(result.metaGradient(), fd);
        double err = Numerics.relativeError(result.metaGradient(), fd);
        System.out.printf("%s %s hypergradient vs FD of c·θ*(φ) (%d coordinates): cosine %.12f, relative error %.3e, "
                + "CG residual %.2e, ‖θ* − φ₀‖ %.3f%n", algorithm, network, d, cosine, err, result.cgResidual(),
                Math.sqrt(LowerLevelKernel.squaredDistance(thetaStar, phi0)));
        assertThat(cosine).isGreaterThanOrEqualTo(0.99);
        assertThat(err).isLessThanOrEqualTo(0.05);
        assertThat(result.cgResidual()).isLessThanOrEqualTo(1e-10 * Math.sqrt(ConjugateGradient.dot(c, c)));
    }

    /** Minimises θ ↦ L_low(θ) with D anchored at phi and the denominators at φ₀, to ‖∇‖∞ ≤ 1e-12. */
    private double[] argmin(LowerLevelKernel kernel, double[] phi, double[] start) {
        kernel.anchor(phi, phi0, batch);
        int d = start.length;
        double[] theta = start.clone();
        double[] g = new double[d];
        double[] candidate = new double[d];
        for (int iter = 0; iter < 100; iter++) {
            double value = kernel.evaluate(theta, g);
            double gMax = 0;
            for (double gi : g) {
                gMax = Math.max(gMax, Math.abs(gi));
            }
            if (gMax <= 1e-12) {
                return theta;
            }
            double[] step = Dense.solveShiftedSpd(denseHessian(kernel, theta), d, g);
            double t = 1;
            do {
                for (int k = 0; k < d; k++) {
                    candidate[k] = theta[k] - t * step[k];
                }
                t /= 2;
            } while (kernel.evaluate(candidate, null) > value + 1e-14 && t > 1e-6);
            System.arraycopy(candidate, 0, theta, 0, d);
        }
        throw new AssertionError("the lower level did not converge from φ = " + java.util.Arrays.toString(phi));
    }

    private static double[] denseHessian(LowerLevelKernel kernel, double[] theta) {
        int d = theta.length;
        double[] hess = new double[d * d];
        double[] e = new double[d];
        for (int j = 0; j < d; j++) {
            e[j] = 1;
            double[] col = Fd.directionalDerivative(kernel::evaluate, theta, e, 1e-5);
            e[j] = 0;
            for (int i = 0; i < d; i++) {
                hess[i * d + j] += 0.5 * col[i];
                hess[j * d + i] += 0.5 * col[i];
            }
        }
        return hess;
    }
}
