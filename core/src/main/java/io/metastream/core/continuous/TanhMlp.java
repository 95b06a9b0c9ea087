package io.metastream.core.continuous;

import java.util.Arrays;

/**
 * A fully connected network sizes[0] → sizes[1] → … → sizes[L] with tanh on every hidden layer
 * and a linear output layer: a_0 = x, z_{l+1} = W_l a_l + b_l, a_{l+1} = tanh(z_{l+1}) for
 * l + 1 &lt; L and a_L = z_L.
 *
 * <p>Parameter layout inside a flat vector starting at offset 0: for l = 0..L−1, W_l row-major
 * (sizes[l+1] × sizes[l], {@code W_l[o][i]} at {@code weightOffset(l) + o * sizes[l] + i}) followed by
 * b_l (sizes[l+1]). The caller may append further parameters after {@link #parameterCount()}.
 *
 * <p>Holds the activations of the last {@link #forward} as preallocated workspaces: not
 * thread-safe, and {@link #backward} / {@link #jvp} refer to the last forward input. These are the
 * per-row passes (single states, small batches); {@link TanhMlpBatch} runs the same math over blocks
 * of rows as vectorised matrix products for the lower level's large batches.
 */
final class TanhMlp {

    private final int[] sizes;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int parameterCount;
    private final double[][] act;
    private final double[][] delta;
    private final double[][] tangent;

    TanhMlp(int[] sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least input and output sizes, got " + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive, got " + Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        int off = 0;
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = off;
            off += sizes[l + 1] * sizes[l];
            biasOffset[l] = off;
            off += sizes[l + 1];
        }
        parameterCount = off;
        act = new double[sizes.length][];
        delta = new double[sizes.length][];
        tangent = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            act[l] = new double[sizes[l]];
            delta[l] = new double[sizes[l]];
            tangent[l] = new double[sizes[l]];
        }
    }

    int layers() {
        return sizes.length - 1;
    }

    int size(int layer) {
        return sizes[layer];
    }

    int weightOffset(int layer) {
        return weightOffset[layer];
    }

    int biasOffset(int layer) {
        return biasOffset[layer];
    }

    int parameterCount() {
        return parameterCount;
    }

    /** a_l of the last {@link #forward} (the workspace itself: read-only). */
    double[] activation(int layer) {
        return act[layer];
    }

    /** ȧ_l of the last {@link #jvp} (the workspace itself: read-only). */
    double[] tangentActivation(int layer) {
        return tangent[layer];
    }

    /** Evaluates the network at {@code x[xOff .. xOff + sizes[0])}; returns the (workspace) output a_L. */
    double[] forward(double[] theta, double[] x, int xOff) {
        System.arraycopy(x, xOff, act[0], 0, sizes[0]);
        int layers = layers();
        for (int l = 0; l < layers; l++) {
            double[] in = act[l];
            double[] out = act[l + 1];
            int nIn = sizes[l];
            int w = weightOffset[l];
            int b = biasOffset[l];
            boolean hidden = l + 1 < layers;
            for (int o = 0; o < out.length; o++) {
                double z = theta[b + o];
                int row = w + o * nIn;
                for (int i = 0; i < nIn; i++) {
                    z = Math.fma(theta[row + i], in[i], z);
                }
                out[o] = hidden ? FastTanh.tanh(z) : z;
            }
        }
        return act[layers];
    }

    /**
     * Reverse mode at the last forward input: adds Jᵀ dOut to {@code grad[0 .. parameterCount)},
     * J = ∂a_L/∂θ; {@code dOut} has sizes[L] entries and is not modified.
     */
    void backward(double[] theta, double[] dOut, double[] grad) {
        int layers = layers();
        System.arraycopy(dOut, 0, delta[layers], 0, sizes[layers]);
        for (int l = layers - 1; l >= 0; l--) {
            double[] d = delta[l + 1];
            double[] in = act[l];
            int nIn = sizes[l];
            int w = weightOffset[l];
            int b = biasOffset[l];
            for (int o = 0; o < d.length; o++) {
                double dOo = d[o];
                grad[b + o] += dOo;
                int row = w + o * nIn;
                for (int i = 0; i < nIn; i++) {
                    grad[row + i] += dOo * in[i];
                }
            }
            if (l > 0) {
                double[] dPrev = delta[l];
                Arrays.fill(dPrev, 0);
                for (int o = 0; o < d.length; o++) {
                    double dOo = d[o];
                    int row = w + o * nIn;
                    for (int i = 0; i < nIn; i++) {
                        dPrev[i] += theta[row + i] * dOo;
                    }
                }
                for (int i = 0; i < nIn; i++) {
                    dPrev[i] *= 1 - in[i] * in[i];
                }
            }
        }
    }

    /**
     * Forward mode at the last forward input: returns the (workspace) output tangent J v for a
     * parameter tangent {@code v[0 .. parameterCount)}; the input itself is held fixed.
     */
    double[] jvp(double[] theta, double[] v) {
        int layers = layers();
        Arrays.fill(tangent[0], 0);
        for (int l = 0; l < layers; l++) {
            double[] in = act[l];
            double[] tIn = tangent[l];
            double[] tOut = tangent[l + 1];
            double[] out = act[l + 1];
            int nIn = sizes[l];
            int w = weightOffset[l];
            int b = biasOffset[l];
            boolean hidden = l + 1 < layers;
            for (int o = 0; o < tOut.length; o++) {
                double dz = v[b + o];
                int row = w + o * nIn;
                for (int i = 0; i < nIn; i++) {
                    dz += theta[row + i] * tIn[i] + v[row + i] * in[i];
                }
                tOut[o] = hidden ? (1 - out[o] * out[o]) * dz : dz;
            }
        }
        return tangent[layers];
    }
}
