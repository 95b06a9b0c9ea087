package io.metastream.core.continuous;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlockKernelsTest {

    /** Both forms of C += S·B against the plain triple loop, for inner sizes around the 4-way unrolling. */
    @Test
    void multiplyAddMatchesTheTripleLoopForEveryInnerSizeAndStride() {
        SplittableRandom rng = new SplittableRandom(41);
        int m = 5;
        int n = 11;
        for (int k = 1; k <= 9; k++) {
            double[][] b = random(k, n, rng);
            double[][] s2 = random(m, k, rng);
            // S inside a flat vector at offset 3, row-major (stride k, 1) and as a transpose (stride 1, m)
            double[] flatRowMajor = new double[3 + m * k];
            double[] flatTransposed = new double[3 + m * k];
            for (int r = 0; r < m; r++) {
                for (int kk = 0; kk < k; kk++) {
                    flatRowMajor[3 + r * k + kk] = s2[r][kk];
                    flatTransposed[3 + kk * m + r] = s2[r][kk];
                }
            }
            double[][] c0 = random(m, n, rng);
            double[][] expected = new double[m][];
            for (int r = 0; r < m; r++) {
                expected[r] = c0[r].clone();
                for (int j = 0; j < n; j++) {
                    for (int kk = 0; kk < k; kk++) {
                        expected[r][j] += s2[r][kk] * b[kk][j];
                    }
                }
            }
            double[][] a = copy(c0);
            BlockKernels.multiplyAdd(s2, m, k, b, n, a);
            double[][] rowMajor = copy(c0);
            BlockKernels.multiplyAdd(flatRowMajor, 3, k, 1, m, k, b, n, rowMajor);
            double[][] transposed = copy(c0);
            BlockKernels.multiplyAdd(flatTransposed, 3, 1, m, m, k, b, n, transposed);
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < n; j++) {
                    double tol = 1e-14 * (1 + Math.abs(expected[r][j]));
                    assertThat(a[r][j]).isCloseTo(expected[r][j], org.assertj.core.data.Offset.offset(tol));
                    assertThat(rowMajor[r][j]).isEqualTo(a[r][j]);
                    assertThat(transposed[r][j]).isEqualTo(a[r][j]);
                }
            }
        }
    }

    /**
     * The Vector API kernels give the scalar loops' bits for every shape around their tiles (4 rows ×
     * 2 vectors, one vector, scalar tail) and both strides; the build runs the tests with the module, so
     * the vector path is the one in use.
     */
    @Test
    void vectorKernelsAreBitIdenticalToTheScalarLoops() {
        assertThat(BlockKernels.VECTOR).as("tests run with --add-modules jdk.incubator.vector").isTrue();
        SplittableRandom rng = new SplittableRandom(7);
        int[] ms = {1, 3, 4, 5, 6, 8, 17, 128};
        int[] ks = {1, 4, 6, 17, 64, 128};
        int[] ns = {1, 3, 4, 7, 8, 9, 15, 16, 17, 32, 64, 128};
        for (int m : ms) {
            for (int k : ks) {
                for (int n : ns) {
                    double[][] b = random(k, n, rng);
                    double[][] s2 = random(m, k, rng);
                    double[] flat = new double[5 + m * k];
                    for (int i = 0; i < flat.length; i++) {
                        flat[i] = 2 * rng.nextDouble() - 1;
                    }
                    double[][] c0 = random(m, n, rng);
                    double[][] scalar = copy(c0);
                    double[][] vector = copy(c0);
                    BlockKernels.multiplyAddScalar(s2, m, k, b, n, scalar);
                    VectorKernels.multiplyAdd(s2, m, k, b, n, vector);
                    assertThat(vector).as("m %d k %d n %d", m, k, n).isDeepEqualTo(scalar);
                    for (boolean transposed : new boolean[] {false, true}) {
                        int rowStride = transposed ? 1 : k;
                        int colStride = transposed ? m : 1;
                        scalar = copy(c0);
                        vector = copy(c0);
                        BlockKernels.multiplyAddScalar(flat, 5, rowStride, colStride, m, k, b, n, scalar);
                        VectorKernels.multiplyAdd(flat, 5, rowStride, colStride, m, k, b, n, vector);
                        assertThat(vector).as("flat m %d k %d n %d transposed %b", m, k, n, transposed).isDeepEqualTo(scalar);
                    }
                }
            }
        }
    }

    @Test
    void transposeSwapsIndicesAndSumAddsLeftToRight() {
        double[][] src = {{1, 2, 3}, {4, 5, 6}};
        double[][] dst = new double[3][2];
        BlockKernels.transpose(src, 2, 3, dst);
        assertThat(dst).isDeepEqualTo(new double[][] {{1, 4}, {2, 5}, {3, 6}});
        assertThat(BlockKernels.sum(new double[] {1e16, 1, -1e16, 7}, 3)).isEqualTo(0.0);
        assertThat(BlockKernels.sum(new double[] {1, 2, 3, 100}, 3)).isEqualTo(6.0);
    }

    private static double[][] random(int rows, int cols, SplittableRandom rng) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = 2 * rng.nextDouble() - 1;
            }
        }
        return a;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
