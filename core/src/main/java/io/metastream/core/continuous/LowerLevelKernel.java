package io.metastream.core.continuous;

import java.util.Arrays;

/**
 * The fused evaluation behind {@link ContinuousLowerLevel}: one forward and one backward pass of the
 * mean network per block of batch rows ({@link TanhMlpBatch}, matrix products) give L_low(θ),
 * ∇_θ L_low(θ) and the early-stop KL together ({@link #evaluate}); {@link #hessianVector} and
 * {@link #mixedProduct} add the exact second-order products the hypergradient needs. log π is the
 * closed form of {@link GaussianMlpPolicy} evaluated on the shared forward pass; the per-row scalar
 * terms are summed row by row in batch order, the network gradient per block.
 *
 * <p>The quantities that depend only on the anchors are cached by {@link #anchor}: the behaviour
 * log-probabilities log π_b(a_i|s_i) (the ratio's denominators; b = φ in the algorithm) and the
 * proximity anchor's means μ_φ(s_i). With Δ_ij = μ_θ(s_i)_j − μ_φ(s_i)_j and ℓ = log σ, per action
 * dimension j (the same closed forms as {@link DiagonalGaussianKl}, which the tests compare against):
 *
 * <pre>
 *   K(φ, θ) = Σ_j [ ℓ_θ − ℓ_φ + ½ e^{2(ℓ_φ − ℓ_θ)} − ½ ] + mean_i Σ_j ½ Δ_ij² e^{−2ℓ_θj}   (ALG1's D, and the early-stop KL)
 *   K(θ, φ) = Σ_j [ ℓ_φ − ℓ_θ + ½ e^{2(ℓ_θ − ℓ_φ)} − ½ ] + mean_i Σ_j ½ Δ_ij² e^{−2ℓ_φj}   (ALG2's D)
 *   surrogate term −(1/(λn)) Σ_i Â_i 2σ(u_i),  u_i = 2(r_i − 1):  ∂/∂ log π_θ(a_i|s_i) = −(Â_i/(λn)) 4σ(u_i)σ(−u_i) r_i
 * </pre>
 *
 * Not thread-safe: owns its own policy copy and workspaces.
 */
final class LowerLevelKernel {

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final GaussianMlpPolicy policy;
    private final TanhMlpBatch net;
    private final ContinuousAlgorithm algorithm;
    private final double lambda;
    private final int actDim;
    private final int ls;
    private final double[][] muTheta;
    private final double[][] tangent;
    private final double[] invStdTheta;
    private final double[] invVarTheta;
    private final double[] invVarPhi;
    private final double[] meanSqDiff;
    private final TanhMlpSecondOrder secondOrder;

    private ContinuousBatch batch;
    private double[] phi;
    private double[] muPhi = new double[0];
    private double[] logPiBehaviour = new double[0];
    private double lastKl = Double.NaN;
    private double lastProximity = Double.NaN;

    LowerLevelKernel(GaussianMlpPolicy policy, ContinuousAlgorithm algorithm, double lambda) {
        this(policy, algorithm, lambda, TanhMlpBatch.DEFAULT_BLOCK_ROWS);
    }

    /** As the main constructor, with {@code blockRows} batch rows per network pass (tests vary it). */
    LowerLevelKernel(GaussianMlpPolicy policy, ContinuousAlgorithm algorithm, double lambda, int blockRows) {
        this.policy = policy.copy();
        this.net = new TanhMlpBatch(this.policy.network(), blockRows);
        this.algorithm = algorithm;
        this.lambda = lambda;
        this.actDim = policy.actDim();
        this.ls = policy.logStdOffset();
        this.muTheta = new double[actDim][net.blockRows()];
        this.tangent = new double[actDim][net.blockRows()];
        this.invStdTheta = new double[actDim];
        this.invVarTheta = new double[actDim];
        this.invVarPhi = new double[actDim];
        this.meanSqDiff = new double[actDim];
        this.secondOrder = new TanhMlpSecondOrder(net);
    }

    /**
     * Fixes the problem: D is anchored at {@code phiProximity}, the ratio denominators are
     * π_{phiBehaviour}(a_i|s_i) (the algorithm uses one φ for both; they differ only in tests of the
     * implicit function with the denominators held fixed). {@code phiProximity} is copied.
     */
    void anchor(double[] phiProximity, double[] phiBehaviour, ContinuousBatch batch) {
        int n = batch.n();
        if (muPhi.length < n * actDim) {
            muPhi = new double[n * actDim];
            logPiBehaviour = new double[n];
        }
        this.batch = batch;
        this.phi = phiProximity.clone();
        double[] obs = batch.obs();
        double[] actions = batch.actions();
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            double[][] mu = net.forward(phiBehaviour, obs, start, rows);
            for (int r = 0; r < rows; r++) {
                logPiBehaviour[start + r] = logProb(phiBehaviour, mu, r, actions, (start + r) * actDim);
            }
            if (phiProximity != phiBehaviour) {
                mu = net.forward(phiProximity, obs, start, rows);
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < actDim; j++) {
                    muPhi[(start + r) * actDim + j] = mu[j][r];
                }
            }
        }
    }

    ContinuousBatch batch() {
        return batch;
    }

    /** mean_s KL(π_φ ‖ π_θ) at the last {@link #evaluate} (φ the proximity anchor). */
    double lastKl() {
        return lastKl;
    }

    /** D(θ, φ) at the last {@link #evaluate}. */
    double lastProximity() {
        return lastProximity;
    }

    /** Returns L_low(θ); if {@code grad} is not null it is overwritten with ∇_θ L_low(θ). */
    double evaluate(double[] theta, double[] grad) {
        int n = batch.n();
        double[] obs = batch.obs();
        double[] actions = batch.actions();
        double[] adv = batch.advantages();
        if (grad != null) {
            Arrays.fill(grad, 0);
        }
        for (int j = 0; j < actDim; j++) {
            invStdTheta[j] = Math.exp(-theta[ls + j]);
            invVarTheta[j] = Math.exp(-2 * theta[ls + j]);
            invVarPhi[j] = Math.exp(-2 * phi[ls + j]);
        }
        Arrays.fill(meanSqDiff, 0);
        double surrogate = 0;
        double sqFwd = 0;
        double sqRev = 0;
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            double[][] mu = net.forward(theta, obs, start, rows);
            double[][] dMu = net.delta(net.network().layers());
            for (int row = 0; row < rows; row++) {
                int i = start + row;
                double r = Math.exp(logProb(theta, mu, row, actions, i * actDim) - logPiBehaviour[i]);
                double u = 2 * (r - 1);
                double sig = logistic(u);
                surrogate += adv[i] * 2 * sig;
                double c = Double.isFinite(r) ? -adv[i] * 4 * sig * logistic(-u) * r / (lambda * n) : 0;
                for (int j = 0; j < actDim; j++) {
                    int a = i * actDim + j;
                    double m = mu[j][row];
                    double delta = m - muPhi[a];
                    double sq = delta * delta;
                    sqFwd += sq * invVarTheta[j];
                    sqRev += sq * invVarPhi[j];
                    meanSqDiff[j] += sq / n;
                    if (grad != null) {
                        double z = (actions[a] - m) * invStdTheta[j];
                        double dm = c * z * invStdTheta[j];
                        grad[ls + j] += c * (z * z - 1);
                        if (algorithm == ContinuousAlgorithm.ALG1) {
                            dm += delta * invVarTheta[j] / n;
                        } else if (algorithm == ContinuousAlgorithm.ALG2) {
                            dm += delta * invVarPhi[j] / n;
                        }
                        dMu[j][row] = dm;
                    }
                }
            }
            if (grad != null) {
                net.backward(theta);
            }
        }
        if (grad != null) {
            net.flushGradient(grad);
        }
        double klFwd = 0.5 * sqFwd / n;
        double klRev = 0.5 * sqRev / n;
        for (int j = 0; j < actDim; j++) {
            double lt = theta[ls + j];
            double lp = phi[ls + j];
            klFwd += lt - lp + 0.5 * Math.exp(2 * (lp - lt)) - 0.5;
            klRev += lp - lt + 0.5 * Math.exp(2 * (lt - lp)) - 0.5;
        }
        lastKl = klFwd;
        lastProximity = switch (algorithm) {
            case ALG1 -> klFwd;
            case ALG2 -> klRev;
            case ALG3 -> squaredDistance(theta, phi);
        };
        if (grad != null) {
            proximityLogStdAndEuclideanGradient(theta, grad);
        }
        return -surrogate / (lambda * n) + lastProximity;
    }

    private void proximityLogStdAndEuclideanGradient(double[] theta, double[] grad) {
        switch (algorithm) {
            case ALG1 -> {
                for (int j = 0; j < actDim; j++) {
                    double lp = phi[ls + j];
                    grad[ls + j] += 1 - (Math.exp(2 * lp) + meanSqDiff[j]) * invVarTheta[j];
                }
            }
            case ALG2 -> {
                for (int j = 0; j < actDim; j++) {
                    grad[ls + j] += Math.exp(2 * (theta[ls + j] - phi[ls + j])) - 1;
                }
            }
            case ALG3 -> {
                for (int k = 0; k < theta.length; k++) {
                    grad[k] += 2 * (theta[k] - phi[k]);
                }
            }
        }
    }

    /**
     * out = ∇²_θθ L_low(θ) v exactly, by forward-over-reverse ({@link TanhMlpSecondOrder}). Per row, with
     * lp = log π_θ(a|s), p_j = ∂lp/∂μ_j = z_j e^{−ℓ_j}, q_j = ∂lp/∂ℓ_j = z_j² − 1 and the surrogate's
     * first and second derivatives in lp, w₁ = −(Â/(λn)) ρ′, w₂ = −(Â/(λn)) ρ″ with ρ = 2σ(2(e^{lp−lb} − 1)),
     * ρ′ = 4σσ̄r and ρ″ = ρ′(1 + 2r(1 − 2σ)), the (μ, ℓ)-Hessian of the row's loss is
     * w₂ ∇lp ∇lpᵀ + w₁ ∇²lp plus the KL's; the network's own curvature enters through the tangent of
     * the backward pass. Cost ≈ two gradient passes, like one central difference.
     */
    void hessianVector(double[] theta, double[] v, double[] out) {
        hessianVector(theta, null, v, out);
    }

    /**
     * The forward activations at θ of every block of the anchored batch, kept for repeated
     * {@link #hessianVector(double[], HessianCache, double[], double[])} calls at that θ (the hypergradient's
     * CG makes 11): each call then restores them instead of recomputing the forward pass. Restored blocks
     * are exactly what the forward pass computes, so the products are bit-identical. Returns null (no
     * cache) when the activations would exceed {@code maxDoubles}.
     */
    HessianCache hessianCache(double[] theta, long maxDoubles) {
        TanhMlp mlp = net.network();
        long units = 0;
        for (int l = 0; l <= mlp.layers(); l++) {
            units += mlp.size(l);
        }
        int n = batch.n();
        int blocks = (n + net.blockRows() - 1) / net.blockRows();
        if (units * blocks * net.blockRows() > maxDoubles) {
            return null;
        }
        double[][][][] saved = new double[blocks][mlp.layers() + 1][][];
        for (int b = 0; b < blocks; b++) {
            int start = b * net.blockRows();
            int rows = Math.min(net.blockRows(), n - start);
            net.forward(theta, batch.obs(), start, rows);
            for (int l = 0; l <= mlp.layers(); l++) {
                saved[b][l] = new double[mlp.size(l)][net.blockRows()];
            }
            net.saveActivations(saved[b]);
        }
        return new HessianCache(theta.clone(), batch, saved);
    }

    /** Per-block forward activations at {@code theta} on {@code batch} (see {@link #hessianCache}). */
    record HessianCache(double[] theta, ContinuousBatch batch, double[][][][] blocks) {
    }

    /** {@link #hessianVector(double[], double[], double[])}, restoring the forward blocks from {@code cache} when not null. */
    void hessianVector(double[] theta, HessianCache cache, double[] v, double[] out) {
        if (cache != null && (cache.batch() != batch || !Arrays.equals(cache.theta(), theta))) {
            throw new IllegalStateException("the Hessian cache was made at another θ or batch than this product's");
        }
        int n = batch.n();
        double[] obs = batch.obs();
        double[] actions = batch.actions();
        double[] adv = batch.advantages();
        Arrays.fill(out, 0);
        for (int j = 0; j < actDim; j++) {
            invStdTheta[j] = Math.exp(-theta[ls + j]);
            invVarTheta[j] = Math.exp(-2 * theta[ls + j]);
            invVarPhi[j] = Math.exp(-2 * phi[ls + j]);
        }
        int layers = net.network().layers();
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            double[][] mu;
            if (cache == null) {
                mu = net.forward(theta, obs, start, rows);
            } else {
                net.loadActivations(cache.blocks()[start / net.blockRows()], rows);
                mu = net.activation(layers);
            }
            double[][] muDot = net.jvp(theta, v);
            double[][] dMu = net.delta(layers);
            double[][] dMuDot = secondOrder.deltaDot(layers);
            for (int row = 0; row < rows; row++) {
                int i = start + row;
                double r = Math.exp(logProb(theta, mu, row, actions, i * actDim) - logPiBehaviour[i]);
                double u = 2 * (r - 1);
                double sig = logistic(u);
                double rho1 = 4 * sig * logistic(-u) * r;
                double rho2 = rho1 * (1 + 2 * r * (1 - 2 * sig));
                double scale = Double.isFinite(r) ? -adv[i] / (lambda * n) : 0;
                double w1 = scale * rho1;
                double w2 = scale * rho2;
                double s1 = 0;
                for (int j = 0; j < actDim; j++) {
                    double z = (actions[i * actDim + j] - mu[j][row]) * invStdTheta[j];
                    s1 += z * invStdTheta[j] * muDot[j][row] + (z * z - 1) * v[ls + j];
                }
                for (int j = 0; j < actDim; j++) {
                    double z = (actions[i * actDim + j] - mu[j][row]) * invStdTheta[j];
                    double p = z * invStdTheta[j];
                    double q = z * z - 1;
                    double vl = v[ls + j];
                    double md = muDot[j][row];
                    double delta = mu[j][row] - muPhi[i * actDim + j];
                    double dm = w1 * p;
                    double dmDot = w2 * p * s1 + w1 * (-invVarTheta[j] * md - 2 * p * vl);
                    double dl = w2 * q * s1 + w1 * (-2 * p * md - 2 * z * z * vl);
                    if (algorithm == ContinuousAlgorithm.ALG1) {
                        dm += delta * invVarTheta[j] / n;
                        dmDot += (md - 2 * delta * vl) * invVarTheta[j] / n;
                        dl += (-2 * delta * md + 2 * delta * delta * vl) * invVarTheta[j] / n;
                    } else if (algorithm == ContinuousAlgorithm.ALG2) {
                        dm += delta * invVarPhi[j] / n;
                        dmDot += md * invVarPhi[j] / n;
                    }
                    dMu[j][row] = dm;
                    dMuDot[j][row] = dmDot;
                    out[ls + j] += dl;
                }
            }
            secondOrder.backwardTangent(theta, v);
        }
        net.flushGradient(out);
        switch (algorithm) {
            case ALG1 -> {
                for (int j = 0; j < actDim; j++) {
                    out[ls + j] += 2 * Math.exp(2 * (phi[ls + j] - theta[ls + j])) * v[ls + j];
                }
            }
            case ALG2 -> {
                for (int j = 0; j < actDim; j++) {
                    out[ls + j] += 2 * Math.exp(2 * (theta[ls + j] - phi[ls + j])) * v[ls + j];
                }
            }
            case ALG3 -> {
                for (int k = 0; k < out.length; k++) {
                    out[k] += 2 * v[k];
                }
            }
        }
    }

    /**
     * out = ∇²_φθ D(θ, φ) · x = d/dε ∇_φ D(θ + εx, φ) at ε = 0, exactly (forward mode through the
     * network at θ, reverse mode at φ; no second derivatives of the network are needed because ∇_φ D
     * touches θ only through μ_θ and ℓ_θ). With ALG3 it is −2x. The batch and φ are the proximity anchor.
     */
    void mixedProduct(double[] theta, double[] x, double[] out) {
        Arrays.fill(out, 0);
        if (algorithm == ContinuousAlgorithm.ALG3) {
            for (int k = 0; k < out.length; k++) {
                out[k] = -2 * x[k];
            }
            return;
        }
        int n = batch.n();
        double[] obs = batch.obs();
        Arrays.fill(meanSqDiff, 0); // here: mean_i Δ_ij (J_θ x)_ij
        double[][] dMu = net.delta(net.network().layers());
        for (int start = 0; start < n; start += net.blockRows()) {
            int rows = Math.min(net.blockRows(), n - start);
            copyRows(net.forward(theta, obs, start, rows), muTheta, rows);
            copyRows(net.jvp(theta, x), tangent, rows);
            net.forward(phi, obs, start, rows); // network state at φ for the backward pass
            for (int row = 0; row < rows; row++) {
                int i = start + row;
                for (int j = 0; j < actDim; j++) {
                    double delta = muTheta[j][row] - muPhi[i * actDim + j];
                    double t = tangent[j][row];
                    if (algorithm == ContinuousAlgorithm.ALG1) {
                        // ∇_μφ D = −Δ e^{−2ℓθ}/n  ⇒  δ = [−Jθx + 2 xℓ Δ] e^{−2ℓθ}/n
                        dMu[j][row] = (-t + 2 * x[ls + j] * delta) * Math.exp(-2 * theta[ls + j]) / n;
                    } else {
                        // ∇_μφ D = −Δ e^{−2ℓφ}/n  ⇒  δ = −Jθx e^{−2ℓφ}/n
                        dMu[j][row] = -t * Math.exp(-2 * phi[ls + j]) / n;
                        meanSqDiff[j] += delta * t / n;
                    }
                }
            }
            net.backward(phi);
        }
        net.flushGradient(out);
        for (int j = 0; j < actDim; j++) {
            double lt = theta[ls + j];
            double lp = phi[ls + j];
            double xl = x[ls + j];
            out[ls + j] = algorithm == ContinuousAlgorithm.ALG1
                    // ∇_ℓφ D = e^{2(ℓφ−ℓθ)} − 1
                    ? -2 * xl * Math.exp(2 * (lp - lt))
                    // ∇_ℓφ D = 1 − (e^{2ℓθ} + mean Δ²) e^{−2ℓφ}
                    : -(2 * xl * Math.exp(2 * lt) + 2 * meanSqDiff[j]) * Math.exp(-2 * lp);
        }
    }

    /** log π_θ(a|s) of block row {@code row} (means {@code mu[j][row]}), actions at {@code actions[off ..]}. */
    private double logProb(double[] theta, double[][] mu, int row, double[] actions, int off) {
        double lp = 0;
        for (int j = 0; j < actDim; j++) {
            double l = theta[ls + j];
            double z = (actions[off + j] - mu[j][row]) * Math.exp(-l);
            lp += -0.5 * z * z - l - HALF_LOG_2PI;
        }
        return lp;
    }

    private static void copyRows(double[][] src, double[][] dst, int rows) {
        for (int j = 0; j < src.length; j++) {
            System.arraycopy(src[j], 0, dst[j], 0, rows);
        }
    }

    static double logistic(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            s += d * d;
        }
        return s;
    }
}
