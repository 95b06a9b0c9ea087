package io.metastream.core.continuous;

import java.util.Arrays;

/**
 * {@link TanhMlp}'s passes over a block of up to {@link #blockRows()} batch rows at once, as matrix
 * products (the same math as the per-row methods; results differ only by rounding):
 *
 * <pre>
 *   forward   Z_{l+1} = W_l A_l + b_l,  A_{l+1} = tanh(Z_{l+1}) (hidden) or Z_{l+1} (output)
 *   backward  ∇W_l += Δ_{l+1} A_lᵀ,  ∇b_l += Δ_{l+1} 1,  Δ_l = (W_lᵀ Δ_{l+1}) ⊙ (1 − A_l²)
 *   jvp       Ż_{l+1} = V_l A_l + W_l Ȧ_l + c_l,  Ȧ_{l+1} = (1 − A_{l+1}²) ⊙ Ż_{l+1} (hidden),  Ȧ_0 = 0
 * </pre>
 *
 * Blocks are stored feature-major, {@code block[unit][row]} (one array per unit, rows contiguous), so
 * that every product is a {@link BlockKernels} axpy over the block's rows; the weight gradient is
 * accumulated over whole calls in {@link #flushGradient} order-independent per-layer buffers
 * (row-major W_l, or W_lᵀ when the layer has more outputs than inputs, so its axpy runs over the
 * longer side). The weights are read in place from θ (no copies).
 *
 * <p>Users: {@link LowerLevelKernel} (the lower level), {@link GaussianMlpPolicy}'s batch methods,
 * {@link DiagonalGaussianKl} (which keeps a TRPO step's blocks at θ_old with {@link #saveActivations} /
 * {@link #loadActivations}) and {@link ScoreFunctionCalculus}.
 *
 * <p>Workspaces are preallocated: not thread-safe. {@link #backward} and {@link #jvp} refer to the last
 * {@link #forward} (or {@link #loadActivations}) block.
 */
final class TanhMlpBatch {

    /** Rows per block: large enough for long vector loops, small enough that a layer's block stays in L2. */
    static final int DEFAULT_BLOCK_ROWS = 64;

    private final TanhMlp mlp;
    private final int layers;
    private final int blockRows;
    private final double[][][] act;
    private final double[][][] tangent;
    private final double[][][] delta;
    private final double[][] rowScratch;
    private final double[][][] weightGrad;
    private final boolean[] weightGradTransposed;
    private final double[][] biasGrad;
    private int rows;

    TanhMlpBatch(TanhMlp mlp, int blockRows) {
        if (blockRows <= 0) {
            throw new IllegalArgumentException("blockRows must be positive, got " + blockRows);
        }
        this.mlp = mlp;
        this.layers = mlp.layers();
        this.blockRows = blockRows;
        act = new double[layers + 1][][];
        tangent = new double[layers + 1][][];
        delta = new double[layers + 1][][];
        int widest = 0;
        for (int l = 0; l <= layers; l++) {
            act[l] = new double[mlp.size(l)][blockRows];
            tangent[l] = new double[mlp.size(l)][blockRows];
            delta[l] = new double[mlp.size(l)][blockRows];
            widest = Math.max(widest, mlp.size(l));
        }
        rowScratch = new double[blockRows][widest];
        weightGrad = new double[layers][][];
        weightGradTransposed = new boolean[layers];
        biasGrad = new double[layers][];
        for (int l = 0; l < layers; l++) {
            int in = mlp.size(l);
            int out = mlp.size(l + 1);
            weightGradTransposed[l] = out > in;
            weightGrad[l] = weightGradTransposed[l] ? new double[in][out] : new double[out][in];
            biasGrad[l] = new double[out];
        }
    }

    TanhMlp network() {
        return mlp;
    }

    int blockRows() {
        return blockRows;
    }

    /** Rows of the last {@link #forward} block. */
    int rows() {
        return rows;
    }

    /** A_l of the last forward block, {@code [unit][row]} (the workspace itself: read-only). */
    double[][] activation(int layer) {
        return act[layer];
    }

    /** Ȧ_l of the last {@link #jvp}, {@code [unit][row]} (read-only). */
    double[][] tangentActivation(int layer) {
        return tangent[layer];
    }

    /** Δ_l {@code [unit][row]}: the caller writes dOut into Δ_L before {@link #backward}. */
    double[][] delta(int layer) {
        return delta[layer];
    }

    /**
     * Evaluates rows {@code row0 .. row0 + rows) of the row-major input {@code x} (sizes[0] per row);
     * returns the output block A_L {@code [unit][row]} (workspace).
     */
    double[][] forward(double[] theta, double[] x, int row0, int rows) {
        if (rows <= 0 || rows > blockRows) {
            throw new IllegalArgumentException("a block has 1.." + blockRows + " rows, got " + rows);
        }
        this.rows = rows;
        int nIn = mlp.size(0);
        double[][] in = act[0];
        for (int r = 0; r < rows; r++) {
            int at = (row0 + r) * nIn;
            for (int i = 0; i < nIn; i++) {
                in[i][r] = x[at + i];
            }
        }
        for (int l = 0; l < layers; l++) {
            double[][] z = act[l + 1];
            int nOut = mlp.size(l + 1);
            int b = mlp.biasOffset(l);
            for (int o = 0; o < nOut; o++) {
                Arrays.fill(z[o], 0, rows, theta[b + o]);
            }
            BlockKernels.multiplyAdd(theta, mlp.weightOffset(l), mlp.size(l), 1, nOut, mlp.size(l), act[l], rows, z);
            if (l + 1 < layers) {
                for (int o = 0; o < nOut; o++) {
                    FastTanh.tanhInPlace(z[o], 0, rows);
                }
            }
        }
        return act[layers];
    }

    /**
     * Copies A_0 … A_L of the last forward block (its rows) into {@code dst[layer][unit][row]}, so that
     * {@link #loadActivations} can later restore the block without recomputing it.
     */
    void saveActivations(double[][][] dst) {
        for (int l = 0; l <= layers; l++) {
            for (int u = 0; u < act[l].length; u++) {
                System.arraycopy(act[l][u], 0, dst[l][u], 0, rows);
            }
        }
    }

    /**
     * Makes a block saved by {@link #saveActivations} ({@code rows} rows) the current one: afterwards
     * {@link #backward}, {@link #jvp} and {@link #activation} behave as after the forward pass that produced it.
     */
    void loadActivations(double[][][] src, int rows) {
        if (rows <= 0 || rows > blockRows) {
            throw new IllegalArgumentException("a block has 1.." + blockRows + " rows, got " + rows);
        }
        this.rows = rows;
        for (int l = 0; l <= layers; l++) {
            for (int u = 0; u < act[l].length; u++) {
                System.arraycopy(src[l][u], 0, act[l][u], 0, rows);
            }
        }
    }

    /**
     * Reverse mode on the last forward block: accumulates Σ_rows Jᵀ Δ_L (Δ_L = {@link #delta}(L), set by
     * the caller) into the gradient buffers; Δ_l of the hidden layers are overwritten.
     */
    void backward(double[] theta) {
        for (int l = layers - 1; l >= 0; l--) {
            accumulateLayerGradient(l, delta[l + 1], act[l]);
            if (l > 0) {
                backpropagate(theta, l, delta[l + 1], delta[l], true);
                scaleByTanhDerivative(l, delta[l]);
            }
        }
    }

    /**
     * Forward mode on the last forward block along the parameter tangent {@code v}: returns Ż_L, the
     * output tangent {@code [unit][row]} (workspace); the input is held fixed.
     */
    double[][] jvp(double[] theta, double[] v) {
        for (int l = 0; l < layers; l++) {
            double[][] zDot = tangent[l + 1];
            int nOut = mlp.size(l + 1);
            int nIn = mlp.size(l);
            int b = mlp.biasOffset(l);
            for (int o = 0; o < nOut; o++) {
                Arrays.fill(zDot[o], 0, rows, v[b + o]);
            }
            BlockKernels.multiplyAdd(v, mlp.weightOffset(l), nIn, 1, nOut, nIn, act[l], rows, zDot);
            if (l > 0) {
                BlockKernels.multiplyAdd(theta, mlp.weightOffset(l), nIn, 1, nOut, nIn, tangent[l], rows, zDot);
            }
            if (l + 1 < layers) {
                double[][] a = act[l + 1];
                for (int o = 0; o < nOut; o++) {
                    double[] t = zDot[o];
                    double[] ao = a[o];
                    for (int r = 0; r < rows; r++) {
                        t[r] *= 1 - ao[r] * ao[r];
                    }
                }
            }
        }
        return tangent[layers];
    }

    /** ∇W_l += d · inᵀ and ∇b_l += d · 1 over the block's rows ({@code d} [out][row], {@code in} [in][row]). */
    void accumulateLayerGradient(int l, double[][] d, double[][] in) {
        int nOut = mlp.size(l + 1);
        double[] bg = biasGrad[l];
        for (int o = 0; o < nOut; o++) {
            bg[o] += BlockKernels.sum(d[o], rows);
        }
        accumulateWeightGradient(l, d, in);
    }

    /** ∇W_l += d · inᵀ over the block's rows (no bias term). */
    void accumulateWeightGradient(int l, double[][] d, double[][] in) {
        int nIn = mlp.size(l);
        int nOut = mlp.size(l + 1);
        if (weightGradTransposed[l]) {
            BlockKernels.transpose(d, nOut, rows, rowScratch);
            BlockKernels.multiplyAdd(in, nIn, rows, rowScratch, nOut, weightGrad[l]);
        } else {
            BlockKernels.transpose(in, nIn, rows, rowScratch);
            BlockKernels.multiplyAdd(d, nOut, rows, rowScratch, nIn, weightGrad[l]);
        }
    }

    /**
     * g (+)= M_lᵀ d over the block's rows, M_l the weight block of layer l inside {@code params}
     * ({@code d} [out][row], {@code g} [in][row]); overwrites g unless {@code overwrite} is false.
     */
    void backpropagate(double[] params, int l, double[][] d, double[][] g, boolean overwrite) {
        int nIn = mlp.size(l);
        if (overwrite) {
            for (int i = 0; i < nIn; i++) {
                Arrays.fill(g[i], 0, rows, 0);
            }
        }
        BlockKernels.multiplyAdd(params, mlp.weightOffset(l), 1, nIn, nIn, mlp.size(l + 1), d, rows, g);
    }

    /** g ⊙= 1 − A_l² over the block's rows. */
    void scaleByTanhDerivative(int l, double[][] g) {
        double[][] a = act[l];
        for (int i = 0; i < g.length; i++) {
            double[] gi = g[i];
            double[] ai = a[i];
            for (int r = 0; r < rows; r++) {
                gi[r] *= 1 - ai[r] * ai[r];
            }
        }
    }

    /** Adds the accumulated network gradient to {@code grad[0 .. parameterCount)} and clears the buffers. */
    void flushGradient(double[] grad) {
        for (int l = 0; l < layers; l++) {
            int nIn = mlp.size(l);
            int nOut = mlp.size(l + 1);
            int w = mlp.weightOffset(l);
            double[][] wg = weightGrad[l];
            if (weightGradTransposed[l]) {
                for (int i = 0; i < nIn; i++) {
                    double[] row = wg[i];
                    for (int o = 0; o < nOut; o++) {
                        grad[w + o * nIn + i] += row[o];
                    }
                    Arrays.fill(row, 0);
                }
            } else {
                for (int o = 0; o < nOut; o++) {
                    double[] row = wg[o];
                    int at = w + o * nIn;
                    for (int i = 0; i < nIn; i++) {
                        grad[at + i] += row[i];
                    }
                    Arrays.fill(row, 0);
                }
            }
            int b = mlp.biasOffset(l);
            double[] bg = biasGrad[l];
            for (int o = 0; o < nOut; o++) {
                grad[b + o] += bg[o];
            }
            Arrays.fill(bg, 0);
        }
    }

    /** Discards any accumulated gradient. */
    void clearGradient() {
        for (int l = 0; l < layers; l++) {
            for (double[] row : weightGrad[l]) {
                Arrays.fill(row, 0);
            }
            Arrays.fill(biasGrad[l], 0);
        }
    }
}
