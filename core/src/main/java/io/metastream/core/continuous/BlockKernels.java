package io.metastream.core.continuous;

/**
 * The dense kernels behind {@link TanhMlpBatch}: matrix products written as "axpy" loops
 * {@code c[j] += s0·b0[j] + s1·b1[j] + s2·b2[j] + s3·b3[j]} over separate row arrays.
 *
 * <p>Why this shape: HotSpot C2 (JDK 17) vectorises such a loop only when every array in it is indexed
 * by the same {@code j} with no offset — a loop over one flat array with two different row offsets
 * (or a dot product, which is a reduction) stays scalar. Four rows of b per pass cut the loads and
 * stores of c to one per four multiply-adds. Measured on the 2-core AVX-512 box: ≈ 10 G multiply-adds/s
 * for 128 × 128 × 64 products, against ≈ 2 for the scalar dot-product loops it replaces.
 *
 * <p>Summation order is fixed by the arguments (no threads, no data-dependent order): results are
 * deterministic.
 */
final class BlockKernels {

    /**
     * Whether the products run as {@link VectorKernels}' register-blocked Vector API kernels (about 1.8×
     * the multiply-adds per second of the loops below at 128 × 128 × 64; bit-identical): true when the
     * JVM has the incubating module {@code jdk.incubator.vector} ({@code --add-modules
     * jdk.incubator.vector}, which the launcher, the tests and the benchmarks pass) unless
     * {@code -Dmetastream.vector=false}.
     */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("metastream.vector"));

    private BlockKernels() {
    }

    /**
     * c[r][0..n) += Σ_k S[r][k] · b[k][0..n) for r &lt; m, k &lt; kCount, with the scalars
     * S[r][k] = s[off + r·rowStride + k·colStride] (a row-major matrix or its transpose inside a flat
     * parameter vector).
     */
    static void multiplyAdd(double[] s, int off, int rowStride, int colStride, int m, int kCount,
                            double[][] b, int n, double[][] c) {
        if (VECTOR) {
            VectorKernels.multiplyAdd(s, off, rowStride, colStride, m, kCount, b, n, c);
            return;
        }
        multiplyAddScalar(s, off, rowStride, colStride, m, kCount, b, n, c);
    }

    /** The loops of {@link #multiplyAdd(double[], int, int, int, int, int, double[][], int, double[][])} without the Vector API. */
    static void multiplyAddScalar(double[] s, int off, int rowStride, int colStride, int m, int kCount,
                                  double[][] b, int n, double[][] c) {
        for (int r = 0; r < m; r++) {
            double[] cr = c[r];
            int at = off + r * rowStride;
            int k = 0;
            for (; k + 3 < kCount; k += 4) {
                axpy4(cr, s[at], b[k], s[at + colStride], b[k + 1], s[at + 2 * colStride], b[k + 2],
                        s[at + 3 * colStride], b[k + 3], n);
                at += 4 * colStride;
            }
            for (; k < kCount; k++) {
                axpy(cr, s[at], b[k], n);
                at += colStride;
            }
        }
    }

    /** c[r][0..n) += Σ_k s[r][k] · b[k][0..n) for r &lt; m, k &lt; kCount. */
    static void multiplyAdd(double[][] s, int m, int kCount, double[][] b, int n, double[][] c) {
        if (VECTOR) {
            VectorKernels.multiplyAdd(s, m, kCount, b, n, c);
            return;
        }
        multiplyAddScalar(s, m, kCount, b, n, c);
    }

    /** The loops of {@link #multiplyAdd(double[][], int, int, double[][], int, double[][])} without the Vector API. */
    static void multiplyAddScalar(double[][] s, int m, int kCount, double[][] b, int n, double[][] c) {
        for (int r = 0; r < m; r++) {
            double[] cr = c[r];
            double[] sr = s[r];
            int k = 0;
            for (; k + 3 < kCount; k += 4) {
                axpy4(cr, sr[k], b[k], sr[k + 1], b[k + 1], sr[k + 2], b[k + 2], sr[k + 3], b[k + 3], n);
            }
            for (; k < kCount; k++) {
                axpy(cr, sr[k], b[k], n);
            }
        }
    }

    /** dst[j][i] = src[i][j] for i &lt; rows, j &lt; cols. */
    static void transpose(double[][] src, int rows, int cols, double[][] dst) {
        for (int i = 0; i < rows; i++) {
            double[] si = src[i];
            for (int j = 0; j < cols; j++) {
                dst[j][i] = si[j];
            }
        }
    }

    /** Σ_j a[j] for j &lt; n, left to right. */
    static double sum(double[] a, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += a[j];
        }
        return s;
    }

    private static void axpy4(double[] c, double s0, double[] b0, double s1, double[] b1, double s2, double[] b2,
                              double s3, double[] b3, int n) {
        for (int j = 0; j < n; j++) {
            c[j] = Math.fma(s3, b3[j], Math.fma(s2, b2[j], Math.fma(s1, b1[j], Math.fma(s0, b0[j], c[j]))));
        }
    }

    private static void axpy(double[] c, double s, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            c[j] = Math.fma(s, b[j], c[j]);
        }
    }
}
