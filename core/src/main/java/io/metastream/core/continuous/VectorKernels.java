package io.metastream.core.continuous;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BlockKernels}' two products written with JDK 17's incubating Vector API as register-blocked
 * micro-kernels: a tile of 4 rows of c × 2 vectors of columns stays in registers while the whole k loop
 * runs, so every loaded vector of b feeds 4 multiply-adds and c is loaded and stored once per tile
 * instead of once per 4 values of k. Each element of c still receives {@code c = fma(S[r][k], b[k][j], c)}
 * for k = 0, 1, … in order, exactly the operations of the scalar loops, so the results are bit-identical
 * to {@link BlockKernels}' fallback (tested), whatever the vector width.
 *
 * <p>Used only when the JVM was started with {@code --add-modules jdk.incubator.vector} ({@link
 * BlockKernels#VECTOR}); this class is not loaded otherwise.
 */
final class VectorKernels {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    private VectorKernels() {
    }

    /** See {@link BlockKernels#multiplyAdd(double[], int, int, int, int, int, double[][], int, double[][])}. */
    static void multiplyAdd(double[] s, int off, int rowStride, int colStride, int m, int kCount,
                            double[][] b, int n, double[][] c) {
        int r = 0;
        for (; r + 3 < m; r += 4) {
            double[] c0 = c[r];
            double[] c1 = c[r + 1];
            double[] c2 = c[r + 2];
            double[] c3 = c[r + 3];
            int at0 = off + r * rowStride;
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                DoubleVector x00 = DoubleVector.fromArray(SPECIES, c0, j);
                DoubleVector x01 = DoubleVector.fromArray(SPECIES, c0, j + L);
                DoubleVector x10 = DoubleVector.fromArray(SPECIES, c1, j);
                DoubleVector x11 = DoubleVector.fromArray(SPECIES, c1, j + L);
                DoubleVector x20 = DoubleVector.fromArray(SPECIES, c2, j);
                DoubleVector x21 = DoubleVector.fromArray(SPECIES, c2, j + L);
                DoubleVector x30 = DoubleVector.fromArray(SPECIES, c3, j);
                DoubleVector x31 = DoubleVector.fromArray(SPECIES, c3, j + L);
                int at = at0;
                for (int k = 0; k < kCount; k++) {
                    double[] bk = b[k];
                    DoubleVector y0 = DoubleVector.fromArray(SPECIES, bk, j);
                    DoubleVector y1 = DoubleVector.fromArray(SPECIES, bk, j + L);
                    DoubleVector t = DoubleVector.broadcast(SPECIES, s[at]);
                    x00 = y0.fma(t, x00);
                    x01 = y1.fma(t, x01);
                    t = DoubleVector.broadcast(SPECIES, s[at + rowStride]);
                    x10 = y0.fma(t, x10);
                    x11 = y1.fma(t, x11);
                    t = DoubleVector.broadcast(SPECIES, s[at + 2 * rowStride]);
                    x20 = y0.fma(t, x20);
                    x21 = y1.fma(t, x21);
                    t = DoubleVector.broadcast(SPECIES, s[at + 3 * rowStride]);
                    x30 = y0.fma(t, x30);
                    x31 = y1.fma(t, x31);
                    at += colStride;
                }
                x00.intoArray(c0, j);
                x01.intoArray(c0, j + L);
                x10.intoArray(c1, j);
                x11.intoArray(c1, j + L);
                x20.intoArray(c2, j);
                x21.intoArray(c2, j + L);
                x30.intoArray(c3, j);
                x31.intoArray(c3, j + L);
            }
            for (int q = 0; q < 4; q++) {
                rowTail(s, at0 + q * rowStride, colStride, kCount, b, j, n, c[r + q]);
            }
        }
        for (; r < m; r++) {
            rowTail(s, off + r * rowStride, colStride, kCount, b, 0, n, c[r]);
        }
    }

    /** A thread's flat copy of the scalars of {@link #multiplyAdd(double[][], int, int, double[][], int, double[][])}. */
    private static final ThreadLocal<double[]> FLAT = ThreadLocal.withInitial(() -> new double[0]);

    /**
     * See {@link BlockKernels#multiplyAdd(double[][], int, int, double[][], int, double[][])}: the scalars are copied
     * row-major into a flat array (m·kCount values, against m·kCount·n multiply-adds) and the flat kernel runs.
     */
    static void multiplyAdd(double[][] s, int m, int kCount, double[][] b, int n, double[][] c) {
        double[] flat = FLAT.get();
        if (flat.length < m * kCount) {
            flat = new double[m * kCount];
            FLAT.set(flat);
        }
        for (int r = 0; r < m; r++) {
            System.arraycopy(s[r], 0, flat, r * kCount, kCount);
        }
        multiplyAdd(flat, 0, kCount, 1, m, kCount, b, n, c);
    }

    /** c[from..n) += Σ_k s[at + k·colStride] · b[k][from..n): one vector at a time, then scalar, k in order. */
    private static void rowTail(double[] s, int at, int colStride, int kCount, double[][] b, int from, int n,
                                double[] c) {
        int j = from;
        for (; j + L <= n; j += L) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, c, j);
            int a = at;
            for (int k = 0; k < kCount; k++) {
                x = DoubleVector.fromArray(SPECIES, b[k], j).fma(DoubleVector.broadcast(SPECIES, s[a]), x);
                a += colStride;
            }
            x.intoArray(c, j);
        }
        for (; j < n; j++) {
            double x = c[j];
            int a = at;
            for (int k = 0; k < kCount; k++) {
                x = Math.fma(s[a], b[k][j], x);
                a += colStride;
            }
            c[j] = x;
        }
    }
    /** See {@link FastTanh#tanhInPlace}: every lane performs {@link FastTanh#tanh}'s operations (the tail calls it). */
    static void tanhInPlace(double[] a, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, a, i);
            DoubleVector ax = x.abs();
            DoubleVector y = x.mul(x);
            DoubleVector num = y.mul(y.fma(y.add(FastTanh.P3), BP2).fma(y, BP1));
            DoubleVector den = y.fma(y.fma(y.fma(y.add(FastTanh.Q4), BQ3), BQ2), BQ1);
            DoubleVector w = ax.blend(FastTanh.SATURATION, ax.compare(VectorOperators.GT, FastTanh.SATURATION));
            DoubleVector t = w.add(w);
            DoubleVector n = t.fma(BLOG2E, BSHIFTER);
            DoubleVector kdNeg = n.sub(FastTanh.SHIFTER).neg();
            DoubleVector r = kdNeg.fma(BLN2_HI, t);
            r = kdNeg.fma(BLN2_LO, r);
            DoubleVector e = DoubleVector.broadcast(SPECIES, FastTanh.EXP_COEFFICIENTS[0]);
            for (int c = 1; c < FastTanh.EXP_COEFFICIENTS.length; c++) {
                e = r.fma(e, DoubleVector.broadcast(SPECIES, FastTanh.EXP_COEFFICIENTS[c]));
            }
            e = r.fma(e, BONE);
            e = r.fma(e, BONE);
            DoubleVector scale = ((LongVector) n.reinterpretAsLongs()).sub(FastTanh.SHIFTER_BITS - 1023)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector big = e.mul(scale);
            VectorMask<Double> small = ax.compare(VectorOperators.LT, FastTanh.SERIES_LIMIT);
            DoubleVector f = BTWO.blend(num, small).div(big.add(1).blend(den, small));
            DoubleVector inner = x.neg().fma(f, x);
            DoubleVector sign = ((LongVector) x.reinterpretAsLongs()).and(Long.MIN_VALUE).reinterpretAsDoubles();
            DoubleVector outer = ((LongVector) BONE.sub(f).reinterpretAsLongs())
                    .or((LongVector) sign.reinterpretAsLongs()).reinterpretAsDoubles();
            DoubleVector out = outer.blend(inner, small);
            VectorMask<Double> keep = ax.compare(VectorOperators.LT, FastTanh.IDENTITY_LIMIT).or(x.test(VectorOperators.IS_NAN));
            out.blend(x, keep).intoArray(a, i);
        }
        for (; i < to; i++) {
            a[i] = FastTanh.tanh(a[i]);
        }
    }

    private static final DoubleVector BP2 = DoubleVector.broadcast(SPECIES, FastTanh.P2);
    private static final DoubleVector BP1 = DoubleVector.broadcast(SPECIES, FastTanh.P1);
    private static final DoubleVector BQ3 = DoubleVector.broadcast(SPECIES, FastTanh.Q3);
    private static final DoubleVector BQ2 = DoubleVector.broadcast(SPECIES, FastTanh.Q2);
    private static final DoubleVector BQ1 = DoubleVector.broadcast(SPECIES, FastTanh.Q1);
    private static final DoubleVector BLOG2E = DoubleVector.broadcast(SPECIES, FastTanh.LOG2E);
    private static final DoubleVector BSHIFTER = DoubleVector.broadcast(SPECIES, FastTanh.SHIFTER);
    private static final DoubleVector BLN2_HI = DoubleVector.broadcast(SPECIES, FastTanh.LN2_HI);
    private static final DoubleVector BLN2_LO = DoubleVector.broadcast(SPECIES, FastTanh.LN2_LO);
    private static final DoubleVector BONE = DoubleVector.broadcast(SPECIES, 1.0);
    private static final DoubleVector BTWO = DoubleVector.broadcast(SPECIES, 2.0);
}
