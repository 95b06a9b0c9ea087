package io.metastream.core.bound;

import io.metastream.core.adapt.TabularAdaptation;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.adapt.TabularLowerLevel;
import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.exact.OptimalControl;
import io.metastream.core.exact.PolicyEvaluation;
import io.metastream.core.exact.TabularMdp;
import io.metastream.core.policy.TabularSoftmaxPolicy;

/**
 * Upper bounds on the optimality gap J(π*) − J(π₁) of one-time adaptation π₁ = Alg(π_φ, λ, τ)
 * with exact Q (our own derivation; BOMRL.md says the paper's statement was not available).
 *
 * <p>By the performance-difference lemma, with d the discounted visitation and A = A^{π_φ},
 * gap = [E_{d*} E_{π*} A − E_{d₁} E_{π₁} A] / (1−γ). For any b(s) with 0 ≤ b(s) ≤ E_{π₁} A(s,·),
 * E_{d*} b − E_{d₁} E_{π₁}A ≤ (C − 1) E_{d₁} b with C = ‖d* / d₁‖∞, so
 * gap ≤ [E_{d*}(E_{π*}A − b) + (C − 1) E_{d₁} b] / (1−γ). Then:
 *
 * <ul>
 *   <li>Alg(2): π₁ ∝ π_φ e^{A/λ}; with b = λ log Z_s, Z_s = E_{π_φ} e^{A(s,·)/λ} (≥ 0 by Jensen,
 *       ≤ E_{π₁}A since KL(π₁‖π_φ) ≥ 0) and E_{π*}A − b ≤ λ KL(π*‖π_φ):
 *       <pre>gap ≤ λ/(1−γ) · [E_{d*} KL(π*(·|s) ‖ π_φ(·|s)) + (C − 1) E_{d₁} log Z_s]</pre></li>
 *   <li>Alg(1): the optimality condition gives A(a) − E_{π₁}A = λ(1 − π_φ(a)/π₁(a)) ≤ λ(1 − π_φ(a)),
 *       and E_{π₁}A ≥ λ KL(π_φ‖π₁) ≥ 0; with b = E_{π₁}A:
 *       <pre>gap ≤ λ/(1−γ) · E_{d*}[1 − π_φ(a*(s)|s)] + (C − 1)/(1−γ) · E_{d₁} E_{π₁} A(s,·)</pre></li>
 * </ul>
 * Because b ≥ 0, dropping −E_{d₁} b instead of bounding it gives a second valid form without the
 * concentrability factor C, gap ≤ [E_{d*}(E_{π*}A − b) + E_{d*} b] / (1−γ), which is much tighter
 * when π₁ rarely visits the states π* uses (C then explodes). The reported bound is the smaller
 * of the two. π* is the greedy optimal policy (deterministic, ties to the lowest action).
 */
public final class OptimalityGapBound {

    private OptimalityGapBound() {
    }

    /** One task's exact optimality gap of one-time adaptation and its bound (infinite-horizon J). */
    public record TaskGap(double optimum, double adapted, double gap, double bound) {
    }

    /** The gap and bound of Alg(π_φ, λ, τ) with exact Q on {@code mdp}. */
    public static TaskGap evaluate(TabularMdp mdp, TabularAlgorithm alg, double[] phi, double lambda) {
        int nS = mdp.nS();
        int nA = mdp.nA();
        double gamma = mdp.gamma();
        double[] piPhi = TabularSoftmaxPolicy.probabilities(phi, nS, nA);
        PolicyEvaluation prior = PolicyEvaluation.of(mdp, piPhi);
        TabularLowerLevel problem = TabularLowerLevel.of(alg, phi, TabularEstimates.exact(prior), lambda);
        double[] pi1 = TabularSoftmaxPolicy.probabilities(TabularAdaptation.solve(problem), nS, nA);
        PolicyEvaluation adapted = PolicyEvaluation.of(mdp, pi1);
        double[] piStar = OptimalControl.optimalPolicy(mdp);
        PolicyEvaluation optimal = PolicyEvaluation.of(mdp, piStar);
        double[] dStar = optimal.nu();
        double[] d1 = adapted.nu();
        double[] adv = prior.advantage();

        double c = 1;
        for (int s = 0; s < nS; s++) {
            if (dStar[s] > 0) {
                c = Math.max(c, dStar[s] / d1[s]);
            }
        }
        double first = 0;
        double second = 0;
        double secondUnderOptimal = 0;
        for (int s = 0; s < nS; s++) {
            int aStar = argmax(piStar, s, nA);
            double b;
            if (alg == TabularAlgorithm.ALG2) {
                first += dStar[s] * lambda * -Math.log(piPhi[s * nA + aStar]);
                b = lambda * logPartition(piPhi, adv, s, nA, lambda);
            } else if (alg == TabularAlgorithm.ALG1) {
                first += dStar[s] * lambda * (1 - piPhi[s * nA + aStar]);
                b = 0;
                for (int a = 0; a < nA; a++) {
                    b += pi1[s * nA + a] * adv[s * nA + a];
                }
            } else {
                throw new IllegalArgumentException("the optimality-gap bound is derived for ALG1 and ALG2 only, not " + alg);
            }
            second += d1[s] * b;
            secondUnderOptimal += dStar[s] * b;
        }
        double bound = Math.min(first + (c - 1) * second, first + secondUnderOptimal) / (1 - gamma);
        double optimum = optimal.j();
        return new TaskGap(optimum, adapted.j(), optimum - adapted.j(), bound);
    }

    /** log Z_s = log Σ_a π_φ(a|s) exp(A(s,a)/λ), computed stably. */
    static double logPartition(double[] piPhi, double[] adv, int s, int nA, double lambda) {
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < nA; a++) {
            max = Math.max(max, adv[s * nA + a] / lambda);
        }
        double z = 0;
        for (int a = 0; a < nA; a++) {
            z += piPhi[s * nA + a] * Math.exp(adv[s * nA + a] / lambda - max);
        }
        return max + Math.log(z);
    }

    private static int argmax(double[] pi, int s, int nA) {
        int best = 0;
        for (int a = 1; a < nA; a++) {
            if (pi[s * nA + a] > pi[s * nA + best]) {
                best = a;
            }
        }
        return best;
    }
}
