package io.metastream.core.meta;

import io.metastream.core.adapt.ConstrainedAdaptation;
import io.metastream.core.adapt.TabularAdaptation;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.adapt.TabularLowerLevel;
import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.exact.ExactSensitivity;
import io.metastream.core.exact.PolicyEvaluation;
import io.metastream.core.exact.TabularMdp;
import io.metastream.core.hypergrad.Hypergradient;
import io.metastream.core.hypergrad.TabularSolvedLevel;
import io.metastream.core.policy.TabularSoftmaxPolicy;

import java.util.List;

/**
 * The meta-objective F(φ) = mean_τ J_τ(Alg(π_φ, λ, τ)) computed exactly on known MDPs (oracle
 * mode: the lower level sees exact Q^{π_φ} and ν^{π_φ}; J is the infinite-horizon discounted
 * return), so that every hypergradient estimator can be checked against finite differences.
 * With a finite {@code delta} the lower level is the constrained one.
 */
public final class ExactMetaObjective {

    private final List<TabularMdp> tasks;
    private final TabularAlgorithm alg;
    private final double lambda;
    private final double delta;

    /**
     * @param delta the KL (or Euclidean) budget of the constrained form, or NaN for the penalised form
     */
    public ExactMetaObjective(List<TabularMdp> tasks, TabularAlgorithm alg, double lambda, double delta) {
        this.tasks = List.copyOf(tasks);
        this.alg = alg;
        this.lambda = lambda;
        this.delta = delta;
    }

    /** F(φ). */
    public double value(double[] phi) {
        double total = 0;
        for (TabularMdp mdp : tasks) {
            total += adaptedReturn(mdp, solve(mdp, phi, false));
        }
        return total / tasks.size();
    }

    /** The solved lower level of one task at φ, with exact sensitivities when {@code full}. */
    public TabularSolvedLevel solve(TabularMdp mdp, double[] phi, boolean full) {
        PolicyEvaluation prior = PolicyEvaluation.of(mdp, TabularSoftmaxPolicy.probabilities(phi, mdp.nS(), mdp.nA()));
        TabularLowerLevel problem = TabularLowerLevel.of(alg, phi, TabularEstimates.exact(prior), lambda);
        ExactSensitivity sens = full ? ExactSensitivity.of(prior) : null;
        if (Double.isNaN(delta)) {
            return TabularSolvedLevel.penalised(problem, TabularAdaptation.solve(problem), sens);
        }
        ConstrainedAdaptation.Result r = ConstrainedAdaptation.solve(problem, delta);
        return new TabularSolvedLevel(r.problem(), r.theta(), sens, r.active() ? delta : Double.NaN);
    }

    /** mean_τ of the estimator's ∇_φ J_τ, with the exact outer gradient ∇_θ J_τ(θ*). */
    public double[] gradient(double[] phi, Hypergradient<TabularSolvedLevel> estimator, boolean full) {
        double[] sum = new double[phi.length];
        for (TabularMdp mdp : tasks) {
            TabularSolvedLevel solved = solve(mdp, phi, full);
            double[] g = estimator.metaGradient(solved, outerGradient(mdp, solved.theta()));
            for (int i = 0; i < sum.length; i++) {
                sum[i] += g[i] / tasks.size();
            }
        }
        return sum;
    }

    /** Central finite differences of F with step {@code h} in every coordinate. */
    public double[] finiteDifference(double[] phi, double h) {
        double[] g = new double[phi.length];
        for (int i = 0; i < phi.length; i++) {
            double[] plus = phi.clone();
            double[] minus = phi.clone();
            plus[i] += h;
            minus[i] -= h;
            g[i] = (value(plus) - value(minus)) / (2 * h);
        }
        return g;
    }

    /** ∇_θ J(θ) exactly: ν(s) π(a|s) A(s,a) / (1 − γ). */
    public static double[] outerGradient(TabularMdp mdp, double[] theta) {
        double[] pi = TabularSoftmaxPolicy.probabilities(theta, mdp.nS(), mdp.nA());
        return TabularEstimates.exact(PolicyEvaluation.of(mdp, pi)).softmaxGradient(pi, mdp.gamma());
    }

    private static double adaptedReturn(TabularMdp mdp, TabularSolvedLevel solved) {
        return PolicyEvaluation.of(mdp, TabularSoftmaxPolicy.probabilities(solved.theta(), mdp.nS(), mdp.nA())).j();
    }
}
