package io.metastream.core.continuous;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The continuous-control policy of BOMRL.md §Setup: π_θ(a|s) = N(a; μ_θ(s), diag σ²) with
 * μ_θ a tanh MLP obsDim → hidden… → actDim and a state-independent learned ℓ = log σ ∈ R^{actDim}.
 *
 * <pre>
 *   log π_θ(a|s) = Σ_j [ −½ ((a_j − μ_j(s)) / σ_j)² − ℓ_j − ½ log 2π ]
 *   ∂/∂μ_j = (a_j − μ_j) / σ_j²,   ∂/∂ℓ_j = ((a_j − μ_j) / σ_j)² − 1
 * </pre>
 *
 * <p>Flat parameter layout θ (length {@link #parameterCount()}): for each layer l = 0..L−1
 * (L = hidden.length + 1), the weight matrix W_l row-major [out_l × in_l] at
 * {@link #weightOffset(int)}, then its bias b_l [out_l] at {@link #biasOffset(int)}; finally
 * log σ [actDim] at {@link #logStdOffset()}.
 *
 * <p>Observations and actions in batches are row-major {@code double[n * obsDim]} and
 * {@code double[n * actDim]}. The single-state methods ({@link #mean}, {@link #sample}, {@link #logProb},
 * {@link #gradLogProb}; the rollouts') run the per-row {@link TanhMlp}; the batch methods
 * ({@link #surrogate}, {@link #surrogateGradient}) run {@link TanhMlpBatch} over blocks of
 * {@link TanhMlpBatch#DEFAULT_BLOCK_ROWS} rows (matrix products, the closed form above per row on the block's
 * means, one backward pass per block): the same math, equal to the per-row sums up to rounding. The
 * architecture is immutable but the instance owns preallocated workspaces (the block workspace on first
 * batch use): not thread-safe, use one instance per thread.
 */
public final class GaussianMlpPolicy {

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int obsDim;
    private final int actDim;
    private final int[] hidden;
    private final TanhMlp mlp;
    private final int logStdOffset;
    private final int parameterCount;
    private final double[] dMean;
    private final double[] invStd;
    private TanhMlpBatch blocks;

    public GaussianMlpPolicy(int obsDim, int[] hidden, int actDim) {
        if (obsDim <= 0 || actDim <= 0) {
            throw new IllegalArgumentException("obsDim and actDim must be positive, got " + obsDim + ", " + actDim);
        }
        this.obsDim = obsDim;
        this.actDim = actDim;
        this.hidden = hidden.clone();
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = obsDim;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = actDim;
        this.mlp = new TanhMlp(sizes);
        this.logStdOffset = mlp.parameterCount();
        this.parameterCount = logStdOffset + actDim;
        this.dMean = new double[actDim];
        this.invStd = new double[actDim];
    }

    /** A fresh policy with the same architecture (and its own workspaces). */
    public GaussianMlpPolicy copy() {
        return new GaussianMlpPolicy(obsDim, hidden, actDim);
    }

    public int obsDim() {
        return obsDim;
    }

    public int actDim() {
        return actDim;
    }

    public int[] hiddenSizes() {
        return hidden.clone();
    }

    public int parameterCount() {
        return parameterCount;
    }

    /** Number of layers L = hidden.length + 1 (the last is the linear output layer). */
    public int layers() {
        return mlp.layers();
    }

    public int weightOffset(int layer) {
        return mlp.weightOffset(layer);
    }

    public int biasOffset(int layer) {
        return mlp.biasOffset(layer);
    }

    public int logStdOffset() {
        return logStdOffset;
    }

    /**
     * Initial θ: weights Glorot-uniform, W ~ U(−√(6/(in+out)), +√(6/(in+out))), the output layer's
     * weights further multiplied by {@code outputScale} (e.g. 0.01, so μ ≈ 0 at start); biases 0;
     * log σ = {@code initLogStd} (e.g. −0.7). Deterministic given the generator's state.
     */
    public double[] initialParameters(SplittableRandom rng, double initLogStd, double outputScale) {
        if (!Double.isFinite(initLogStd) || !Double.isFinite(outputScale)) {
            throw new IllegalArgumentException("initLogStd and outputScale must be finite, got " + initLogStd + ", " + outputScale);
        }
        double[] theta = new double[parameterCount];
        int layers = mlp.layers();
        for (int l = 0; l < layers; l++) {
            int in = mlp.size(l);
            int out = mlp.size(l + 1);
            double limit = Math.sqrt(6.0 / (in + out)) * (l == layers - 1 ? outputScale : 1);
            int w = mlp.weightOffset(l);
            for (int k = 0; k < in * out; k++) {
                theta[w + k] = limit * (2 * rng.nextDouble() - 1);
            }
        }
        Arrays.fill(theta, logStdOffset, parameterCount, initLogStd);
        return theta;
    }

    /** μ_θ(s) into {@code out[0 .. actDim)}. */
    public void mean(double[] theta, double[] obs, double[] out) {
        checkTheta(theta);
        System.arraycopy(mlp.forward(theta, obs, 0), 0, out, 0, actDim);
    }

    /** μ_θ(s) as a new array. */
    public double[] mean(double[] theta, double[] obs) {
        double[] out = new double[actDim];
        mean(theta, obs, out);
        return out;
    }

    /** log π_θ(a|s). */
    public double logProb(double[] theta, double[] obs, double[] action) {
        checkTheta(theta);
        return logProbAt(theta, obs, 0, action, 0);
    }

    private double logProbAt(double[] theta, double[] obs, int obsOff, double[] action, int actOff) {
        double[] mu = mlp.forward(theta, obs, obsOff);
        double lp = 0;
        for (int j = 0; j < actDim; j++) {
            double ls = theta[logStdOffset + j];
            double z = (action[actOff + j] - mu[j]) * Math.exp(-ls);
            lp += -0.5 * z * z - ls - HALF_LOG_2PI;
        }
        return lp;
    }

    /** a = μ_θ(s) + σ ⊙ ε, ε ~ N(0, I) from {@code rng}, into {@code out[0 .. actDim)}. */
    public void sample(double[] theta, double[] obs, RandomGenerator rng, double[] out) {
        checkTheta(theta);
        double[] mu = mlp.forward(theta, obs, 0);
        for (int j = 0; j < actDim; j++) {
            out[j] = mu[j] + Math.exp(theta[logStdOffset + j]) * rng.nextGaussian();
        }
    }

    public double[] sample(double[] theta, double[] obs, RandomGenerator rng) {
        double[] out = new double[actDim];
        sample(theta, obs, rng, out);
        return out;
    }

    /** out = ∇_θ log π_θ(a|s) (exact, by backpropagation); {@code out} is overwritten. */
    public void gradLogProb(double[] theta, double[] obs, double[] action, double[] out) {
        checkTheta(theta);
        checkOut(out);
        Arrays.fill(out, 0);
        accumulateGradLogProb(theta, obs, 0, action, 0, 1, out);
    }

    /**
     * The batched surrogate gradient out = ∇_θ Σ_i w_i log π_θ(a_i|s_i) over n rows
     * ({@code obs} n × obsDim, {@code actions} n × actDim, {@code weights} n); overwritten.
     */
    public void surrogateGradient(double[] theta, double[] obs, double[] actions, double[] weights, int n, double[] out) {
        checkTheta(theta);
        checkOut(out);
        checkBatch(obs, n);
        if (actions.length < n * actDim || weights.length < n) {
            throw new IllegalArgumentException("expected " + n + " actions of dim " + actDim + " and " + n + " weights, got "
                    + actions.length + " action entries and " + weights.length + " weights");
        }
        Arrays.fill(out, 0);
        TanhMlpBatch net = blocks();
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            net.forward(theta, obs, start, rows);
            backwardScores(theta, actions, start, weights, start, out);
        }
        net.flushGradient(out);
    }

    /** Σ_i w_i log π_θ(a_i|s_i), the value matching {@link #surrogateGradient}. */
    public double surrogate(double[] theta, double[] obs, double[] actions, double[] weights, int n) {
        checkTheta(theta);
        checkBatch(obs, n);
        TanhMlpBatch net = blocks();
        setInvStd(theta);
        double s = 0;
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            double[][] mu = net.forward(theta, obs, start, rows);
            for (int r = 0; r < rows; r++) {
                s += weights[start + r] * blockLogProb(theta, mu, r, actions, (start + r) * actDim);
            }
        }
        return s;
    }

    /** out[i] = log π_θ(a_i|s_i) for n rows, by blocks (the batch form of {@link #logProb}). */
    void logProbs(double[] theta, double[] obs, double[] actions, int n, double[] out) {
        checkTheta(theta);
        checkBatch(obs, n);
        TanhMlpBatch net = blocks();
        setInvStd(theta);
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            double[][] mu = net.forward(theta, obs, start, rows);
            for (int r = 0; r < rows; r++) {
                out[start + r] = blockLogProb(theta, mu, r, actions, (start + r) * actDim);
            }
        }
    }

    /**
     * The block step of {@link #surrogateGradient}: for the rows of the block last evaluated at θ by
     * {@link #blocks()}.forward (batch rows {@code row0 ..}), with per-row weights
     * {@code weights[weightOff + r]}, adds Σ_r w_r ∂log π/∂ℓ to {@code out} (row by row) and accumulates
     * Σ_r w_r ∂log π/∂θ_μ in the block workspace's gradient buffers (the caller flushes them into out).
     */
    void backwardScores(double[] theta, double[] actions, int row0, double[] weights, int weightOff, double[] out) {
        TanhMlpBatch net = blocks();
        setInvStd(theta);
        int rows = net.rows();
        double[][] mu = net.activation(mlp.layers());
        double[][] d = net.delta(mlp.layers());
        for (int r = 0; r < rows; r++) {
            double w = weights[weightOff + r];
            int off = (row0 + r) * actDim;
            for (int j = 0; j < actDim; j++) {
                double inv = invStd[j];
                double z = (actions[off + j] - mu[j][r]) * inv;
                d[j][r] = w * z * inv;
                out[logStdOffset + j] += w * (z * z - 1);
            }
        }
        net.backward(theta);
    }

    /** This instance's block workspace over its network (created on first use). */
    TanhMlpBatch blocks() {
        if (blocks == null) {
            blocks = new TanhMlpBatch(mlp, TanhMlpBatch.DEFAULT_BLOCK_ROWS);
        }
        return blocks;
    }

    /**
     * log π_θ(a|s) of block row {@code r} (means {@code mu[j][r]}) by the closed form of {@link #logProb};
     * needs {@code setInvStd(theta)} first.
     */
    private double blockLogProb(double[] theta, double[][] mu, int r, double[] actions, int off) {
        double lp = 0;
        for (int j = 0; j < actDim; j++) {
            double z = (actions[off + j] - mu[j][r]) * invStd[j];
            lp += -0.5 * z * z - theta[logStdOffset + j] - HALF_LOG_2PI;
        }
        return lp;
    }

    private void setInvStd(double[] theta) {
        for (int j = 0; j < actDim; j++) {
            invStd[j] = Math.exp(-theta[logStdOffset + j]);
        }
    }

    private void accumulateGradLogProb(double[] theta, double[] obs, int obsOff, double[] action, int actOff, double w,
                                       double[] out) {
        double[] mu = mlp.forward(theta, obs, obsOff);
        for (int j = 0; j < actDim; j++) {
            double inv = Math.exp(-theta[logStdOffset + j]);
            double z = (action[actOff + j] - mu[j]) * inv;
            dMean[j] = w * z * inv;
            out[logStdOffset + j] += w * (z * z - 1);
        }
        mlp.backward(theta, dMean, out);
    }

    /**
     * A snapshot of π_θ for acting (rollouts): θ is copied, once as it is for the block pass ({@link Actor#meanBlock}:
     * {@link BlockKernels#multiplyAdd}, vector kernels over the rows) and once with each weight matrix transposed
     * for the single-row pass (z = b + Σ_i x_i W[:, i], axpy loops over the outputs). Both give each output its bias
     * and then one fused multiply-add per input i = 0, 1, …, with {@link FastTanh}; the per-row {@link #mean} and
     * {@link #sample} perform the same operations, so all of them are bit-identical at θ (tested), only faster.
     */
    public Actor actor(double[] theta) {
        checkTheta(theta);
        return new Actor(theta);
    }

    /** See {@link #actor}. Later changes to the θ it was made from do not affect it. Not thread-safe (workspaces). */
    public final class Actor {

        private final double[] theta;
        private final double[][] weightsT;
        private final double[][] bias;
        private final double[][] act;
        private final double[] sigma;
        private final double[] logStd;
        private final double[] invSigma;
        private double[][][] block;

        private Actor(double[] theta) {
            this.theta = theta.clone();
            int layers = mlp.layers();
            weightsT = new double[layers][];
            bias = new double[layers][];
            act = new double[layers + 1][];
            for (int l = 0; l < layers; l++) {
                int nIn = mlp.size(l);
                int nOut = mlp.size(l + 1);
                int w = mlp.weightOffset(l);
                double[] t = new double[nIn * nOut];
                for (int o = 0; o < nOut; o++) {
                    for (int i = 0; i < nIn; i++) {
                        t[i * nOut + o] = theta[w + o * nIn + i];
                    }
                }
                weightsT[l] = t;
                bias[l] = Arrays.copyOfRange(theta, mlp.biasOffset(l), mlp.biasOffset(l) + nOut);
                act[l + 1] = new double[nOut];
            }
            sigma = new double[actDim];
            logStd = new double[actDim];
            invSigma = new double[actDim];
            for (int j = 0; j < actDim; j++) {
                sigma[j] = Math.exp(theta[logStdOffset + j]);
                logStd[j] = theta[logStdOffset + j];
                invSigma[j] = Math.exp(-logStd[j]);
            }
        }

        /**
         * {@link #sample} that also returns log π_θ(a|s) of the drawn action, from the same forward pass:
         * bit-identical to {@link GaussianMlpPolicy#logProb} of (s, a), which would repeat the forward pass.
         */
        public double sampleWithLogProb(double[] obs, RandomGenerator rng, double[] out) {
            double[] mu = forward(obs);
            for (int j = 0; j < actDim; j++) {
                out[j] = mu[j] + sigma[j] * rng.nextGaussian();
            }
            return logProbOf(mu, out);
        }

        /** {@link #mean} that also returns log π_θ(μ|s), bit-identical to {@link GaussianMlpPolicy#logProb} of (s, μ). */
        public double meanWithLogProb(double[] obs, double[] out) {
            double[] mu = forward(obs);
            System.arraycopy(mu, 0, out, 0, actDim);
            return logProbOf(mu, out);
        }

        /**
         * μ_θ of a block of observations at once: {@code obs[r]} (row r, normalised) → {@code out[j][r]}, r &lt; rows.
         * Every row gets exactly the operations of {@link #mean} (bias first, then the inputs in order, one fused
         * multiply-add each, {@link FastTanh}), so each row's μ is bit-identical to the single-row pass; the block
         * runs them as vector kernels over the rows. {@code out} is [actDim][≥ rows].
         */
        public void meanBlock(double[][] obs, int rows, double[][] out) {
            for (int r = 0; r < rows; r++) {
                if (obs[r].length < obsDim) {
                    throw new IllegalArgumentException("expected an observation of dim " + obsDim + ", got " + obs[r].length);
                }
            }
            double[][] in = workspace(rows)[0];
            for (int r = 0; r < rows; r++) {
                double[] o = obs[r];
                for (int i = 0; i < obsDim; i++) {
                    in[i][r] = o[i];
                }
            }
            pass(rows, out);
        }

        /** Layer by layer from block[0] (rows columns) into {@code out} [actDim][≥ rows]. */
        private void pass(int rows, double[][] out) {
            int layers = mlp.layers();
            for (int l = 0; l < layers; l++) {
                int nIn = mlp.size(l);
                int nOut = mlp.size(l + 1);
                double[][] z = l + 1 == layers ? out : block[l + 1];
                int b = mlp.biasOffset(l);
                for (int o = 0; o < nOut; o++) {
                    Arrays.fill(z[o], 0, rows, theta[b + o]);
                }
                BlockKernels.multiplyAdd(theta, mlp.weightOffset(l), nIn, 1, nOut, nIn, block[l], rows, z);
                if (l + 1 < layers) {
                    for (int o = 0; o < nOut; o++) {
                        FastTanh.tanhInPlace(z[o], 0, rows);
                    }
                }
            }
        }

        private double[][][] workspace(int rows) {
            if (block == null || block[0][0].length < rows) {
                int layers = mlp.layers();
                block = new double[layers + 1][][];
                for (int l = 0; l <= layers; l++) {
                    block[l] = new double[mlp.size(l)][Math.max(rows, 1)];
                }
            }
            return block;
        }

        /**
         * Given the row's mean {@code mu[j][row]} from {@link #meanBlock}: a = μ + σ ⊙ ε with ε drawn from {@code rng} in
         * action order (or a = μ when {@code rng} is null) into {@code out}; returns log π_θ(a|s). Bit-identical to
         * {@link #sampleWithLogProb} / {@link #meanWithLogProb} of the row's observation.
         */
        public double actFromBlock(double[][] mu, int row, RandomGenerator rng, double[] out) {
            for (int j = 0; j < actDim; j++) {
                out[j] = rng == null ? mu[j][row] : mu[j][row] + sigma[j] * rng.nextGaussian();
            }
            double lp = 0;
            for (int j = 0; j < actDim; j++) {
                double z = (out[j] - mu[j][row]) * invSigma[j];
                lp += -0.5 * z * z - logStd[j] - HALF_LOG_2PI;
            }
            return lp;
        }

        /** The closed form of {@code logProbAt}, with the same operations in the same order. */
        private double logProbOf(double[] mu, double[] action) {
            double lp = 0;
            for (int j = 0; j < actDim; j++) {
                double z = (action[j] - mu[j]) * invSigma[j];
                lp += -0.5 * z * z - logStd[j] - HALF_LOG_2PI;
            }
            return lp;
        }

        /** μ_θ(s) into {@code out[0 .. actDim)}. */
        public void mean(double[] obs, double[] out) {
            System.arraycopy(forward(obs), 0, out, 0, actDim);
        }

        /** a = μ_θ(s) + σ ⊙ ε, ε ~ N(0, I) from {@code rng} (drawn in action order), into {@code out[0 .. actDim)}. */
        public void sample(double[] obs, RandomGenerator rng, double[] out) {
            double[] mu = forward(obs);
            for (int j = 0; j < actDim; j++) {
                out[j] = mu[j] + sigma[j] * rng.nextGaussian();
            }
        }

        /**
         * One row: each output starts from its bias and takes one fused multiply-add per input in order (the
         * block kernel's operations), computed as axpy loops over the outputs with the weights transposed.
         */
        private double[] forward(double[] obs) {
            if (obs.length < obsDim) {
                throw new IllegalArgumentException("expected an observation of dim " + obsDim + ", got " + obs.length);
            }
            int layers = weightsT.length;
            double[] in = obs;
            for (int l = 0; l < layers; l++) {
                double[] out = act[l + 1];
                int nIn = mlp.size(l);
                int nOut = out.length;
                double[] t = weightsT[l];
                System.arraycopy(bias[l], 0, out, 0, nOut);
                for (int i = 0; i < nIn; i++) {
                    double x = in[i];
                    int row = i * nOut;
                    for (int o = 0; o < nOut; o++) {
                        out[o] = Math.fma(t[row + o], x, out[o]);
                    }
                }
                if (l + 1 < layers) {
                    FastTanh.tanhInPlace(out, 0, nOut);
                }
                in = out;
            }
            return act[layers];
        }
    }

    /** The underlying mean network, for the KL and Fisher computations of this package. */
    TanhMlp network() {
        return mlp;
    }

    void checkTheta(double[] theta) {
        if (theta.length != parameterCount) {
            throw new IllegalArgumentException("expected θ of length " + parameterCount + ", got " + theta.length);
        }
    }

    void checkOut(double[] out) {
        if (out.length != parameterCount) {
            throw new IllegalArgumentException("expected an output buffer of length " + parameterCount + ", got " + out.length);
        }
    }

    void checkBatch(double[] obs, int n) {
        if (n <= 0 || obs.length < n * obsDim) {
            throw new IllegalArgumentException("expected n > 0 observations of dim " + obsDim + ", got n = " + n
                    + " and " + obs.length + " entries");
        }
    }
}
