package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LowerLevelKernel} on a batch spanning several blocks (n = 150, not a multiple of any block size
 * used): the loss, KL, gradient, Hessian-vector and mixed products do not depend on how the rows are
 * blocked (1 row per block is the per-row evaluation), and the multi-block gradient matches central
 * differences.
 */
class LowerLevelKernelBlocksTest {

    private static final int N = 150;
    private static final int[] BLOCKS = {7, 64, 200};

    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final double[] phi = Fd.randomTheta(policy, 61);
    private final double[] theta = LowerLevelFixture.perturbed(phi, 0.1, 62);
    private final double[] v = Fd.uniform(theta.length, 1.0, 63);
    private final ContinuousBatch batch = LowerLevelFixture.batch(policy, phi, N, 1.0, 64);

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void resultsDoNotDependOnTheBlockSize(ContinuousAlgorithm algorithm) {
        Products reference = products(algorithm, 1);
        for (int block : BLOCKS) {
            Products p = products(algorithm, block);
            double errGrad = Numerics.relativeError(p.grad, reference.grad);
            double errHv = Numerics.relativeError(p.hv, reference.hv);
            double errMixed = Numerics.relativeError(p.mixed, reference.mixed);
            System.out.printf("%s block %d vs per-row: loss %.1e, gradient %.1e, Hv %.1e, mixed %.1e%n", algorithm, block,
                    Math.abs(p.loss - reference.loss) / Math.abs(reference.loss), errGrad, errHv, errMixed);
            assertThat(p.loss).isCloseTo(reference.loss, org.assertj.core.data.Offset.offset(1e-13 * Math.abs(reference.loss)));
            assertThat(p.kl).isCloseTo(reference.kl, org.assertj.core.data.Offset.offset(1e-13 * reference.kl));
            assertThat(p.proximity).isCloseTo(reference.proximity,
                    org.assertj.core.data.Offset.offset(1e-13 * reference.proximity));
            assertThat(errGrad).isLessThanOrEqualTo(1e-12);
            assertThat(errHv).isLessThanOrEqualTo(1e-12);
            assertThat(errMixed).isLessThanOrEqualTo(1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void multiBlockGradientMatchesCentralDifferences(ContinuousAlgorithm algorithm) {
        LowerLevelKernel kernel = new LowerLevelKernel(policy, algorithm, 0.5, 64);
        kernel.anchor(phi, phi, batch);
        double[] g = new double[theta.length];
        kernel.evaluate(theta, g);
        double[] fd = Fd.gradient(t -> kernel.evaluate(t, null), theta, 1e-5);
        double err = Numerics.relativeError(g, fd);
        System.out.printf("%s gradient over 3 blocks vs FD: relative error %.3e%n", algorithm, err);
        assertThat(err).isLessThanOrEqualTo(1e-6);
    }

    private record Products(double loss, double kl, double proximity, double[] grad, double[] hv, double[] mixed) {
    }

    private Products products(ContinuousAlgorithm algorithm, int block) {
        LowerLevelKernel kernel = new LowerLevelKernel(policy, algorithm, 0.5, block);
        kernel.anchor(phi, phi, batch);
        double[] grad = new double[theta.length];
        double loss = kernel.evaluate(theta, grad);
        double[] hv = new double[theta.length];
        kernel.hessianVector(theta, v, hv);
        double[] mixed = new double[theta.length];
        kernel.mixedProduct(theta, v, mixed);
        return new Products(loss, kernel.lastKl(), kernel.lastProximity(), grad, hv, mixed);
    }
}
