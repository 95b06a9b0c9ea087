package io.metastream.core.continuous;

/**
 * Forward-over-reverse differentiation of a {@link TanhMlpBatch}'s backward pass, for exact
 * Hessian-vector products. With the block's last {@link TanhMlpBatch#forward} at θ and its last
 * {@link TanhMlpBatch#jvp} along v (activations A_l, tangents Ȧ_l), the reverse pass
 *
 * <pre>
 *   Δ_L = dOut;  ∇W_l = Δ_{l+1} A_lᵀ,  ∇b_l = Δ_{l+1} 1;  G_l = W_lᵀ Δ_{l+1},  Δ_l = G_l ⊙ (1 − A_l²)
 * </pre>
 *
 * is differentiated along (v, dOutDot) (V_l, c_l the blocks of v):
 *
 * <pre>
 *   Δ̇_L = dOutDot;  ∇̇W_l = Δ̇_{l+1} A_lᵀ + Δ_{l+1} Ȧ_lᵀ,  ∇̇b_l = Δ̇_{l+1} 1;
 *   Ġ_l = V_lᵀ Δ_{l+1} + W_lᵀ Δ̇_{l+1},  Δ̇_l = Ġ_l ⊙ (1 − A_l²) − G_l ⊙ 2 A_l Ȧ_l
 * </pre>
 *
 * summed over the block's rows. Owns the Δ̇ workspaces (and uses the batch's Δ and gradient buffers):
 * not thread-safe.
 */
final class TanhMlpSecondOrder {

    private final TanhMlpBatch net;
    private final double[][][] deltaDot;

    TanhMlpSecondOrder(TanhMlpBatch net) {
        this.net = net;
        TanhMlp mlp = net.network();
        deltaDot = new double[mlp.layers() + 1][][];
        for (int l = 0; l <= mlp.layers(); l++) {
            deltaDot[l] = new double[mlp.size(l)][net.blockRows()];
        }
    }

    /** Δ̇_l {@code [unit][row]}: the caller writes dOutDot into Δ̇_L (and dOut into the batch's Δ_L). */
    double[][] deltaDot(int layer) {
        return deltaDot[layer];
    }

    /**
     * Accumulates d/dε [Σ_rows J(θ + εv)ᵀ dOut(ε)] at ε = 0 into the batch's gradient buffers (read them
     * with {@link TanhMlpBatch#flushGradient}); the batch's Δ_l of the hidden layers are overwritten.
     */
    void backwardTangent(double[] theta, double[] v) {
        int layers = net.network().layers();
        int rows = net.rows();
        for (int l = layers - 1; l >= 0; l--) {
            double[][] d = net.delta(l + 1);
            double[][] dd = deltaDot[l + 1];
            net.accumulateLayerGradient(l, dd, net.activation(l));
            if (l > 0) {
                net.accumulateWeightGradient(l, d, net.tangentActivation(l));
                double[][] g = net.delta(l);
                double[][] gDot = deltaDot[l];
                net.backpropagate(theta, l, d, g, true);
                net.backpropagate(v, l, d, gDot, true);
                net.backpropagate(theta, l, dd, gDot, false);
                double[][] a = net.activation(l);
                double[][] aDot = net.tangentActivation(l);
                for (int i = 0; i < g.length; i++) {
                    double[] gi = g[i];
                    double[] gdi = gDot[i];
                    double[] ai = a[i];
                    double[] adi = aDot[i];
                    for (int r = 0; r < rows; r++) {
                        double s = 1 - ai[r] * ai[r];
                        gdi[r] = gdi[r] * s - gi[r] * 2 * ai[r] * adi[r];
                        gi[r] *= s;
                    }
                }
            }
        }
    }
}
