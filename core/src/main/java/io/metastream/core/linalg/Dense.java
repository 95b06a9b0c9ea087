package io.metastream.core.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Dense row-major linear algebra for tabular sizes (n ≤ a few hundred), on EJML's LU.
 * Matrices are {@code double[n * n]} row-major.
 */
public final class Dense {

    private Dense() {
    }

    /** Solves {@code A x = b}; throws if A is singular to working precision. */
    public static double[] solve(double[] a, int n, double[] b) {
        DMatrixRMaj am = DMatrixRMaj.wrap(n, n, a.clone());
        DMatrixRMaj bm = DMatrixRMaj.wrap(n, 1, b.clone());
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(n);
        if (!lu.setA(am)) {
            throw new ArithmeticException("singular " + n + "x" + n + " system");
        }
        lu.solve(bm, x);
        for (double v : x.data) {
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("singular " + n + "x" + n + " system (non-finite solution)");
            }
        }
        return x.data;
    }

    /**
     * Solves (A + τI) x = b for a symmetric A with the smallest shift τ ∈ {0, ε, 10ε, …} that makes
     * A + τI positive definite (Cholesky succeeds), ε = 1e-12 · max(1, max|A_ij|): the
     * Levenberg–Marquardt modified-Newton step, a descent direction even where A is indefinite.
     */
    public static double[] solveShiftedSpd(double[] a, int n, double[] b) {
        double scale = 1;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tau = 0;
        for (int attempt = 0; attempt < 40; attempt++) {
            DMatrixRMaj am = DMatrixRMaj.wrap(n, n, a.clone());
            for (int i = 0; i < n; i++) {
                am.data[i * n + i] += tau;
            }
            LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(n);
            if (chol.setA(am)) {
                DMatrixRMaj x = new DMatrixRMaj(n, 1);
                chol.solve(DMatrixRMaj.wrap(n, 1, b.clone()), x);
                boolean finite = true;
                for (double v : x.data) {
                    finite &= Double.isFinite(v);
                }
                if (finite) {
                    return x.data;
                }
            }
            tau = tau == 0 ? 1e-12 * scale : tau * 10;
        }
        throw new ArithmeticException("no positive-definite shift found for a " + n + "x" + n + " matrix");
    }

    /** The inverse of A. */
    public static double[] inverse(double[] a, int n) {
        DMatrixRMaj am = DMatrixRMaj.wrap(n, n, a.clone());
        if (!CommonOps_DDRM.invert(am)) {
            throw new ArithmeticException("singular " + n + "x" + n + " matrix");
        }
        return am.data;
    }

    /** Transpose of a row-major {@code rows × cols} matrix. */
    public static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /** {@code out = Aᵀ x} for a row-major {@code rows × cols} matrix A. */
    public static double[] transposeTimes(double[] a, int rows, int cols, double[] x) {
        double[] out = new double[cols];
        for (int i = 0; i < rows; i++) {
            double xi = x[i];
            if (xi == 0) {
                continue;
            }
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                out[j] += a[base + j] * xi;
            }
        }
        return out;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
