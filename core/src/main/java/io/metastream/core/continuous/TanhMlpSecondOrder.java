package io.metastream.core.continuous;

/**
 * Forward-over-reverse differentiation of a {@link TanhMlp}'s backward pass, for exact
 * Hessian-vector products. With the network's last {@link TanhMlp#forward} at θ and its last
 * {@link TanhMlp#jvp} along v (activations a_l, tangents ȧ_l), the reverse pass
 *
 * <pre>
 *   δ_L = dOut;  ∇W_l = δ_{l+1} a_lᵀ,  ∇b_l = δ_{l+1};  g_l = W_lᵀ δ_{l+1},  δ_l = g_l ⊙ (1 − a_l²)
 * </pre>
 *
 * is differentiated along (v, dOutDot) (V_l, c_l the blocks of v):
 *
 * <pre>
 *   δ̇_L = dOutDot;  ∇̇W_l = δ̇_{l+1} a_lᵀ + δ_{l+1} ȧ_lᵀ,  ∇̇b_l = δ̇_{l+1};
 *   ġ_l = V_lᵀ δ_{l+1} + W_lᵀ δ̇_{l+1},  δ̇_l = ġ_l ⊙ (1 − a_l²) − g_l ⊙ 2 a_l ȧ_l
 * </pre>
 *
 * Owns workspaces for δ, δ̇: not thread-safe.
 */
final class TanhMlpSecondOrder {

    private final TanhMlp mlp;
    private final double[][] delta;
    private final double[][] deltaDot;

    TanhMlpSecondOrder(TanhMlp mlp) {
        this.mlp = mlp;
        int layers = mlp.layers();
        delta = new double[layers + 1][];
        deltaDot = new double[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            delta[l] = new double[mlp.size(l)];
            deltaDot[l] = new double[mlp.size(l)];
        }
    }

    /** Adds d/dε [J(θ + εv)ᵀ dOut(ε)] at ε = 0 to {@code gradDot}, given dOut and dOutDot = d dOut/dε. */
    void backwardTangent(double[] theta, double[] v, double[] dOut, double[] dOutDot, double[] gradDot) {
        int layers = mlp.layers();
        System.arraycopy(dOut, 0, delta[layers], 0, delta[layers].length);
        System.arraycopy(dOutDot, 0, deltaDot[layers], 0, deltaDot[layers].length);
        for (int l = layers - 1; l >= 0; l--) {
            double[] d = delta[l + 1];
            double[] dd = deltaDot[l + 1];
            double[] in = mlp.activation(l);
            double[] inDot = mlp.tangentActivation(l);
            int nIn = mlp.size(l);
            int w = mlp.weightOffset(l);
            int b = mlp.biasOffset(l);
            for (int o = 0; o < d.length; o++) {
                double dOo = d[o];
                double ddOo = dd[o];
                gradDot[b + o] += ddOo;
                int row = w + o * nIn;
                for (int i = 0; i < nIn; i++) {
                    gradDot[row + i] += ddOo * in[i] + dOo * inDot[i];
                }
            }
            if (l > 0) {
                double[] g = delta[l];
                double[] gDot = deltaDot[l];
                java.util.Arrays.fill(g, 0);
                java.util.Arrays.fill(gDot, 0);
                for (int o = 0; o < d.length; o++) {
                    double dOo = d[o];
                    double ddOo = dd[o];
                    int row = w + o * nIn;
                    for (int i = 0; i < nIn; i++) {
                        g[i] += theta[row + i] * dOo;
                        gDot[i] += v[row + i] * dOo + theta[row + i] * ddOo;
                    }
                }
                for (int i = 0; i < nIn; i++) {
                    double a = in[i];
                    gDot[i] = gDot[i] * (1 - a * a) - g[i] * 2 * a * inDot[i];
                    g[i] *= 1 - a * a;
                }
            }
        }
    }
}
