package io.metastream.core.continuous;

import java.util.Arrays;

/**
 * Batch-averaged KL divergences between two parameter vectors p, q of the same
 * {@link GaussianMlpPolicy}: K(p, q) = (1/n) Σ_s KL(π_p(·|s) ‖ π_q(·|s)) with, per action
 * dimension (Δ = μ_p(s) − μ_q(s), ℓ = log σ),
 *
 * <pre>
 *   KL = ℓ_q − ℓ_p + (σ_p² + Δ²) / (2 σ_q²) − ½
 *   ∂/∂μ_p = Δ/σ_q²      ∂/∂ℓ_p = σ_p²/σ_q² − 1
 *   ∂/∂μ_q = −Δ/σ_q²     ∂/∂ℓ_q = 1 − (σ_p² + Δ²)/σ_q²
 * </pre>
 *
 * chained through the mean network by backpropagation. Both directions of BOMRL.md's table are
 * the same function with the arguments swapped: D₁(θ, φ) = KL(π_φ‖π_θ) = K(φ, θ) and
 * D₂(θ, φ) = KL(π_θ‖π_φ) = K(θ, φ). Observations are row-major n × obsDim.
 *
 * <p>The means come from {@link TanhMlpBatch} over blocks of {@link TanhMlpBatch#DEFAULT_BLOCK_ROWS} rows
 * (one backward or forward-mode pass per block); the per-row KL terms are summed row by row in batch
 * order, so {@link #value}, {@link #gradientFirst}, {@link #gradientSecond} and {@link #anchoredValue}
 * return the same number for the same arguments, and K(p, p) = 0 exactly. Results equal the per-row
 * evaluation up to rounding.
 *
 * <p>{@link #anchor} fixes θ_old and the states of a TRPO step: it keeps the forward activations at θ_old
 * of every block (when they fit in {@link #DEFAULT_CACHE_DOUBLES} doubles), so that each
 * {@link #anchoredFisherVectorProduct} skips the forward pass and each {@link #anchoredValue} runs only the
 * forward pass at the candidate.
 *
 * <p>Owns workspaces (and its own copy of the policy's network): not thread-safe.
 */
public final class DiagonalGaussianKl {

    /** Largest activation cache {@link #anchor} keeps: 2²³ doubles, 64 MiB (20,000 rows of 20-128-128-6: 45 MB). */
    static final long DEFAULT_CACHE_DOUBLES = 1L << 23;

    private final GaussianMlpPolicy policy;
    private final TanhMlpBatch net;
    private final int layers;
    private final int actDim;
    private final int obsDim;
    private final int ls;
    private final long cacheDoubles;
    /** A block's means saved before the next forward pass overwrites the workspace. */
    private final double[][] muSaved;
    private final double[] ratioVar;
    private final double[] invVarQ;
    private final double[] meanSqDiff;

    private double[] anchorTheta;
    private double[] anchorObs;
    private int anchorN;
    private boolean cached;
    /** cache[block][layer][unit][row]: A_l at θ_old of each block. */
    private double[][][][] cache = new double[0][][][];
    /** Blocks per shard of the Fisher product's summation: 32 × 64 = 2048 rows, about one task's kept states. */
    static final int SHARD_BLOCKS = 32;
    private TanhMlpBatch[] nets = new TanhMlpBatch[0];
    private int threads = Parallel.THREADS;
    private double[][] shardOut = new double[0][];

    public DiagonalGaussianKl(GaussianMlpPolicy policy) {
        this(policy, DEFAULT_CACHE_DOUBLES);
    }

    /** As the public constructor, with at most {@code cacheDoubles} doubles of cached activations (tests vary it). */
    DiagonalGaussianKl(GaussianMlpPolicy policy, long cacheDoubles) {
        GaussianMlpPolicy own = policy.copy();
        this.policy = own;
        this.net = own.blocks();
        this.layers = own.layers();
        this.actDim = policy.actDim();
        this.obsDim = policy.obsDim();
        this.ls = policy.logStdOffset();
        this.cacheDoubles = cacheDoubles;
        this.muSaved = new double[actDim][net.blockRows()];
        this.ratioVar = new double[actDim];
        this.invVarQ = new double[actDim];
        this.meanSqDiff = new double[actDim];
    }

    /** K(p, q) = mean_s KL(π_p(·|s) ‖ π_q(·|s)). */
    public double value(double[] p, double[] q, double[] obs, int n) {
        check(p, q, obs, n);
        prepare(p, q);
        double sum = 0;
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            copyRows(net.forward(p, obs, start, rows), muSaved, rows);
            sum = addBlockKl(sum, p, q, muSaved, net.forward(q, obs, start, rows), rows);
        }
        return sum / n;
    }

    /** out = ∇_p K(p, q) (overwritten); returns K(p, q). */
    public double gradientFirst(double[] p, double[] q, double[] obs, int n, double[] out) {
        check(p, q, obs, n);
        policy.checkOut(out);
        Arrays.fill(out, 0);
        prepare(p, q);
        double[][] dMu = net.delta(layers);
        double sum = 0;
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            double[][] muQ = muSaved;
            copyRows(net.forward(q, obs, start, rows), muQ, rows);
            double[][] muP = net.forward(p, obs, start, rows); // network state left at p for backward
            sum = addBlockKl(sum, p, q, muP, muQ, rows);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < actDim; j++) {
                    dMu[j][r] = (muP[j][r] - muQ[j][r]) * invVarQ[j] / n;
                }
            }
            net.backward(p);
        }
        net.flushGradient(out);
        for (int j = 0; j < actDim; j++) {
            out[ls + j] = Math.exp(2 * (p[ls + j] - q[ls + j])) - 1;
        }
        return sum / n;
    }

    /** out = ∇_q K(p, q) (overwritten); returns K(p, q). */
    public double gradientSecond(double[] p, double[] q, double[] obs, int n, double[] out) {
        check(p, q, obs, n);
        policy.checkOut(out);
        Arrays.fill(out, 0);
        prepare(p, q);
        Arrays.fill(meanSqDiff, 0);
        double[][] dMu = net.delta(layers);
        double sum = 0;
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            double[][] muP = muSaved;
            copyRows(net.forward(p, obs, start, rows), muP, rows);
            double[][] muQ = net.forward(q, obs, start, rows); // network state left at q for backward
            sum = addBlockKl(sum, p, q, muP, muQ, rows);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < actDim; j++) {
                    double delta = muP[j][r] - muQ[j][r];
                    dMu[j][r] = -delta * invVarQ[j] / n;
                    meanSqDiff[j] += delta * delta / n;
                }
            }
            net.backward(q);
        }
        net.flushGradient(out);
        for (int j = 0; j < actDim; j++) {
            double varP = Math.exp(2 * p[ls + j]);
            out[ls + j] = 1 - (varP + meanSqDiff[j]) * invVarQ[j];
        }
        return sum / n;
    }

    /**
     * The Fisher-vector product out = F v, F = ∇²_θ K(θ_old, θ) at θ = θ_old, in Gauss–Newton form
     * F = (1/n) Σ_s J_sᵀ diag(1/σ², 2) J_s with J_s = ∂(μ_θ(s), ℓ)/∂θ. Exact: at θ = θ_old the
     * terms with second derivatives of μ are multiplied by Δ = 0 (forward mode for J v, reverse
     * mode for Jᵀ). {@code out} is overwritten.
     */
    public void fisherVectorProduct(double[] thetaOld, double[] obs, int n, double[] v, double[] out) {
        check(thetaOld, thetaOld, obs, n);
        policy.checkOut(v);
        policy.checkOut(out);
        fisher(thetaOld, obs, n, false, v, out);
    }

    /**
     * Fixes θ_old (copied) and the n states {@code obs} (not copied: they must not change while anchored)
     * for {@link #anchoredFisherVectorProduct} and {@link #anchoredValue}, and caches the forward
     * activations at θ_old of every block if they fit. Valid until the next anchor.
     */
    void anchor(double[] thetaOld, double[] obs, int n) {
        check(thetaOld, thetaOld, obs, n);
        anchorTheta = thetaOld.clone();
        anchorObs = obs;
        anchorN = n;
        int blocks = (n + net.blockRows() - 1) / net.blockRows();
        long units = 0;
        for (int l = 0; l <= layers; l++) {
            units += policy.network().size(l);
        }
        cached = (long) blocks * net.blockRows() * units <= cacheDoubles;
        if (!cached) {
            return;
        }
        if (cache.length < blocks) {
            double[][][][] grown = Arrays.copyOf(cache, blocks);
            for (int b = cache.length; b < blocks; b++) {
                grown[b] = new double[layers + 1][][];
                for (int l = 0; l <= layers; l++) {
                    grown[b][l] = new double[policy.network().size(l)][net.blockRows()];
                }
            }
            cache = grown;
        }
        int workers = Math.min(threads, (blocks + SHARD_BLOCKS - 1) / SHARD_BLOCKS);
        ensureWorkspaces(workers, 0, 0);
        Parallel.run(blocks, workers, (worker, b) -> {   // each block's activations whichever worker computes them
            int start = b * net.blockRows();
            nets[worker].forward(anchorTheta, obs, start, Math.min(net.blockRows(), n - start));
            nets[worker].saveActivations(cache[b]);
        });
    }

    /** Threads for the Fisher product and the anchor's forward pass (default {@link Parallel#THREADS}; results do not depend on it). */
    void threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + count);
        }
        threads = count;
    }

    /** Whether the last {@link #anchor} cached its activations. */
    boolean anchorCached() {
        return cached;
    }

    /** {@link #fisherVectorProduct} at the anchored θ_old and states. */
    void anchoredFisherVectorProduct(double[] v, double[] out) {
        requireAnchor();
        policy.checkOut(v);
        policy.checkOut(out);
        fisher(anchorTheta, anchorObs, anchorN, cached, v, out);
    }

    /** K(θ_old, q) on the anchored states: equal to {@link #value}(θ_old, q, states, n). */
    double anchoredValue(double[] q) {
        requireAnchor();
        if (!cached) {
            return value(anchorTheta, q, anchorObs, anchorN);
        }
        policy.checkTheta(q);
        prepare(anchorTheta, q);
        int n = anchorN;
        double sum = 0;
        for (int start = 0, b = 0; start < n; start += net.blockRows(), b++) {
            int rows = Math.min(net.blockRows(), n - start);
            sum = addBlockKl(sum, anchorTheta, q, cache[b][layers], net.forward(q, anchorObs, start, rows), rows);
        }
        return sum / n;
    }

    /**
     * The Gauss–Newton product summed per shard of {@link #SHARD_BLOCKS} blocks (each shard's sum over its rows
     * in row order into its own vector), then over the shards in order: the shards run on {@link Parallel#THREADS}
     * threads and the result has the same bits for any number of them (numerics 2; numerics 1 summed all rows
     * into one accumulator).
     */
    private void fisher(double[] thetaOld, double[] obs, int n, boolean fromCache, double[] v, double[] out) {
        for (int j = 0; j < actDim; j++) {
            invVarQ[j] = Math.exp(-2 * thetaOld[ls + j]);
        }
        int blockRows = net.blockRows();
        int blocks = (n + blockRows - 1) / blockRows;
        int shards = (blocks + SHARD_BLOCKS - 1) / SHARD_BLOCKS;
        int workers = Math.min(threads, shards);
        ensureWorkspaces(workers, shards, out.length);
        Parallel.run(shards, workers, (worker, shard) -> {
            TanhMlpBatch nt = nets[worker];
            double[] so = shardOut[shard];
            Arrays.fill(so, 0);
            double[][] dMu = nt.delta(layers);
            for (int b = shard * SHARD_BLOCKS; b < Math.min(blocks, (shard + 1) * SHARD_BLOCKS); b++) {
                int start = b * blockRows;
                int rows = Math.min(blockRows, n - start);
                if (fromCache) {
                    nt.loadActivations(cache[b], rows);
                } else {
                    nt.forward(thetaOld, obs, start, rows);
                }
                double[][] jv = nt.jvp(thetaOld, v);
                for (int j = 0; j < actDim; j++) {
                    double[] jvj = jv[j];
                    double[] dj = dMu[j];
                    for (int r = 0; r < rows; r++) {
                        dj[r] = jvj[r] * invVarQ[j] / n;
                    }
                }
                nt.backward(thetaOld);
            }
            nt.flushGradient(so);
        });
        Arrays.fill(out, 0);
        for (int shard = 0; shard < shards; shard++) {
            double[] so = shardOut[shard];
            for (int i = 0; i < out.length; i++) {
                out[i] += so[i];
            }
        }
        for (int j = 0; j < actDim; j++) {
            out[ls + j] = 2 * v[ls + j];
        }
    }

    /** Per-worker networks (worker 0 uses {@link #net}) and per-shard output vectors, grown on demand. */
    private void ensureWorkspaces(int workers, int shards, int d) {
        if (nets.length < workers) {
            TanhMlpBatch[] grown = Arrays.copyOf(nets, workers);
            for (int w = nets.length; w < workers; w++) {
                grown[w] = w == 0 ? net : new TanhMlpBatch(policy.network(), net.blockRows());
            }
            nets = grown;
        }
        if (shardOut.length < shards) {
            double[][] grown = Arrays.copyOf(shardOut, shards);
            for (int k = shardOut.length; k < shards; k++) {
                grown[k] = new double[d];
            }
            shardOut = grown;
        }
    }

    /** σ_p²/σ_q² and 1/σ_q² per action dimension for {@link #addBlockKl} and the gradients. */
    private void prepare(double[] p, double[] q) {
        for (int j = 0; j < actDim; j++) {
            // σ_p²/σ_q² as exp(2(ℓ_p − ℓ_q)) so that K(p, p) is exactly 0
            ratioVar[j] = Math.exp(2 * (p[ls + j] - q[ls + j]));
            invVarQ[j] = Math.exp(-2 * q[ls + j]);
        }
    }

    /** sum + Σ_r KL(π_p(·|s_r) ‖ π_q(·|s_r)) over the block's rows, added row by row in order. */
    private double addBlockKl(double sum, double[] p, double[] q, double[][] muPBlock, double[][] muQBlock, int rows) {
        for (int r = 0; r < rows; r++) {
            double kl = 0;
            for (int j = 0; j < actDim; j++) {
                double delta = muPBlock[j][r] - muQBlock[j][r];
                kl += q[ls + j] - p[ls + j] + 0.5 * (ratioVar[j] + delta * delta * invVarQ[j]) - 0.5;
            }
            sum += kl;
        }
        return sum;
    }

    private static void copyRows(double[][] src, double[][] dst, int rows) {
        for (int j = 0; j < dst.length; j++) {
            System.arraycopy(src[j], 0, dst[j], 0, rows);
        }
    }

    private void requireAnchor() {
        if (anchorTheta == null) {
            throw new IllegalStateException("no anchored θ_old: call anchor(thetaOld, obs, n) first");
        }
    }

    private void check(double[] p, double[] q, double[] obs, int n) {
        policy.checkTheta(p);
        policy.checkTheta(q);
        policy.checkBatch(obs, n);
    }
}
