package io.metastream.core.continuous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hypergradient's Hessian operator keeps the forward blocks at θ ({@link LowerLevelKernel#hessianCache}):
 * its products are bit for bit those that recompute the forward pass, for every algorithm and block size,
 * also when other passes of the kernel ran in between; a cache made at another θ is refused, and a cache
 * that would be too large is not made.
 */
class HessianCacheTest {

    private static final int N = 150;

    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final double[] phi = Fd.randomTheta(policy, 71);
    private final double[] theta = LowerLevelFixture.perturbed(phi, 0.1, 72);
    private final ContinuousBatch batch = LowerLevelFixture.batch(policy, phi, N, 1.0, 74);

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void cachedProductsAreBitIdentical(ContinuousAlgorithm algorithm) {
        for (int block : new int[]{7, 64, 200}) {
            LowerLevelKernel kernel = new LowerLevelKernel(policy, algorithm, 0.5, block);
            kernel.anchor(phi, phi, batch);
            LowerLevelKernel.HessianCache cache = kernel.hessianCache(theta, Long.MAX_VALUE);
            assertThat(cache).isNotNull();
            for (int k = 0; k < 3; k++) {
                double[] v = Fd.uniform(theta.length, 1.0, 80 + k);
                double[] plain = new double[theta.length];
                double[] cached = new double[theta.length];
                kernel.hessianVector(theta, v, plain);
                kernel.evaluate(phi, new double[theta.length]);   // overwrites the network's block workspaces
                kernel.hessianVector(theta, cache, v, cached);
                assertThat(cached).as("%s, block %d, v%d", algorithm, block, k).containsExactly(plain);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void theOperatorOfTheLowerLevelEqualsTheUncachedProduct(ContinuousAlgorithm algorithm) {
        ContinuousLowerLevel lower = new ContinuousLowerLevel(policy, new LowerLevelConfig(algorithm, 0.5, 5, 1e-3, 3.0));
        double[] v = Fd.uniform(theta.length, 1.0, 90);
        double[] expected = new double[theta.length];
        lower.lossHessianVector(theta, phi, batch, v, expected);   // uncached path
        double[] actual = new double[theta.length];
        LinearOperator op = lower.hessianOperator(theta, phi, batch);
        op.apply(v, actual);
        op.apply(v, actual);   // a second product from the same cache
        assertThat(actual).containsExactly(expected);
    }

    @ParameterizedTest
    @EnumSource(value = ContinuousAlgorithm.class, names = "ALG1")
    void aCacheOfAnotherThetaIsRefusedAndAnOversizedOneIsNotMade(ContinuousAlgorithm algorithm) {
        LowerLevelKernel kernel = new LowerLevelKernel(policy, algorithm, 0.5, 64);
        kernel.anchor(phi, phi, batch);
        LowerLevelKernel.HessianCache cache = kernel.hessianCache(theta, Long.MAX_VALUE);
        assertThatThrownBy(() -> kernel.hessianVector(phi, cache, theta, new double[theta.length]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another θ or batch");
        assertThat(kernel.hessianCache(theta, 10)).isNull();
    }
}
