package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.DiagonalGaussianKl;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.continuous.LinearOperator;
import io.metastream.core.continuous.ScalarObjective;
import io.metastream.core.continuous.ScoreFunctionCalculus;

import java.util.Arrays;
import java.util.List;

/**
 * ProMP's outer objective (Rothfuss et al., ICLR 2019; BOMRL.md §Baselines) on one meta-batch's frozen
 * data, as a loss of φ to minimise. Task τ's PRE batch was collected with π_φold and its POST batch with
 * π_θ'τ(φold); with the LVC inner step
 *
 * <pre>
 *   θ'_τ(φ) = φ − α ∇L^LVC_τ(φ),   L^LVC_τ(φ) = −mean_i Â_i π_φ(a_i|s_i) / π_φold(a_i|s_i)     (PRE_τ)
 *   O(φ) = mean_τ [ −mean_j min(ρ_j Â_j, clip(ρ_j, 1−ε, 1+ε) Â_j) ]  +  η mean_τ mean_s KL(π_φold(·|s) ‖ π_φ(·|s))
 *          ρ_j = π_θ'τ(φ)(a_j|s_j) / π_θ'τ(φold)(a_j|s_j)   (POST_τ rows j; KL over PRE_τ states s)
 *   ∇O(φ) = mean_τ (I − α ∇²L^LVC_τ(φ)) ∇_θ C_τ(θ'_τ(φ))  +  η ∇_φ KL,
 *   ∇_θ C_τ(θ) = −mean_j [unclipped_j] Â_j ρ_j ∇ log π_θ(a_j|s_j)
 * </pre>
 *
 * (row j unclipped when Â_j ≥ 0 and ρ_j ≤ 1+ε, or Â_j &lt; 0 and ρ_j ≥ 1−ε; the Hessian of L^LVC is the
 * exact {@link ScoreFunctionCalculus#likelihoodRatioHessian} with weights π_φ/π_φold). At φ = φold every
 * ρ = 1, the KL term's gradient is 0 and ∇O equals the mean of the MAML-TRPO task meta-gradients.
 *
 * <p>Needs every task's POST batch at the outer step, so it runs only in-process
 * ({@link ContinuousMetaTrainer}); the streaming pipeline does not carry POST batches to the trainer.
 * Not thread-safe (workspaces).
 */
public final class ProMpObjective implements ScalarObjective {

    /** One task's frozen data: PRE with π_φold, POST with π_θ'(φold). */
    public record Task(ContinuousBatch pre, ContinuousBatch post) {
    }

    private final GaussianMlpPolicy policy;
    private final ScoreFunctionCalculus calculus;
    private final DiagonalGaussianKl kl;
    private final double[] phiOld;
    private final List<Task> tasks;
    private final double alpha;
    private final double clip;
    private final double klWeight;
    private final double[][] preLogOld;
    private final double[][] postLogOld;
    private final double[] work;
    private final double[] thetaPrime;
    private final double[] clipGrad;

    public ProMpObjective(GaussianMlpPolicy policy, double[] phiOld, List<Task> tasks, double alpha, double clip,
                          double klWeight) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("ProMP's outer objective needs at least one task");
        }
        this.policy = policy.copy();
        this.calculus = new ScoreFunctionCalculus(policy);
        this.kl = new DiagonalGaussianKl(policy);
        this.phiOld = phiOld.clone();
        this.tasks = List.copyOf(tasks);
        this.alpha = alpha;
        this.clip = clip;
        this.klWeight = klWeight;
        int d = policy.parameterCount();
        this.work = new double[d];
        this.thetaPrime = new double[d];
        this.clipGrad = new double[d];
        this.preLogOld = new double[tasks.size()][];
        this.postLogOld = new double[tasks.size()][];
        for (int t = 0; t < tasks.size(); t++) {
            Task task = tasks.get(t);
            preLogOld[t] = new double[task.pre().n()];
            calculus.logProbs(phiOld, task.pre(), preLogOld[t]);
            innerStep(phiOld, t, thetaPrime);
            postLogOld[t] = new double[task.post().n()];
            calculus.logProbs(thetaPrime, task.post(), postLogOld[t]);
        }
    }

    @Override
    public double value(double[] phi) {
        double sum = 0;
        for (int t = 0; t < tasks.size(); t++) {
            innerStep(phi, t, thetaPrime);
            sum += clippedLoss(thetaPrime, t, null);
            sum += klWeight * kl.value(phiOld, phi, tasks.get(t).pre().obs(), tasks.get(t).pre().n());
        }
        return sum / tasks.size();
    }

    @Override
    public void gradient(double[] phi, double[] out) {
        Arrays.fill(out, 0);
        double[] hv = new double[out.length];
        for (int t = 0; t < tasks.size(); t++) {
            double[] ratios = innerStep(phi, t, thetaPrime);
            clippedLoss(thetaPrime, t, clipGrad);
            LinearOperator h = calculus.likelihoodRatioHessian(phi, tasks.get(t).pre(), ratios);
            h.apply(clipGrad, hv);
            kl.gradientSecond(phiOld, phi, tasks.get(t).pre().obs(), tasks.get(t).pre().n(), work);
            for (int k = 0; k < out.length; k++) {
                out[k] += clipGrad[k] - alpha * hv[k] + klWeight * work[k];
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] /= tasks.size();
        }
    }

    /** θ' = φ − α∇L^LVC_t(φ) into {@code out}; returns the PRE ratios π_φ/π_φold. */
    private double[] innerStep(double[] phi, int t, double[] out) {
        ContinuousBatch pre = tasks.get(t).pre();
        int n = pre.n();
        double[] ratios = new double[n];
        double[] weights = new double[n];
        calculus.logProbs(phi, pre, ratios);
        for (int i = 0; i < n; i++) {
            ratios[i] = Math.exp(ratios[i] - preLogOld[t][i]);
        }
        for (int i = 0; i < n; i++) {
            weights[i] = -pre.advantages()[i] * ratios[i] / n;
        }
        policy.surrogateGradient(phi, pre.obs(), pre.actions(), weights, n, work);
        for (int k = 0; k < out.length; k++) {
            out[k] = phi[k] - alpha * work[k];
        }
        return ratios;
    }

    /** C_t(θ); if {@code grad} is not null it is overwritten with ∇_θ C_t(θ). */
    private double clippedLoss(double[] theta, int t, double[] grad) {
        ContinuousBatch post = tasks.get(t).post();
        int m = post.n();
        double[] lp = new double[m];
        calculus.logProbs(theta, post, lp);
        double[] weights = new double[m];
        double sum = 0;
        for (int j = 0; j < m; j++) {
            double a = post.advantages()[j];
            double rho = Math.exp(lp[j] - postLogOld[t][j]);
            boolean unclipped = a >= 0 ? rho <= 1 + clip : rho >= 1 - clip;
            sum += unclipped ? rho * a : Math.max(1 - clip, Math.min(1 + clip, rho)) * a;
            weights[j] = unclipped ? -a * rho / m : 0;
        }
        if (grad != null) {
            policy.surrogateGradient(theta, post.obs(), post.actions(), weights, m, grad);
        }
        return -sum / m;
    }
}
