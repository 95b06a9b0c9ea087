package io.metastream.core.exact;

/**
 * Optimal control of a known MDP: Q* by value iteration to a fixed point, the greedy
 * deterministic π* (ties to the lowest action index), and the finite-horizon optimum of the
 * accumulated reward by backward induction.
 */
public final class OptimalControl {

    private OptimalControl() {
    }

    /** Q*(s,a) of the infinite-horizon discounted problem, iterated until the update is below 1e-14. */
    public static double[] optimalQ(TabularMdp mdp) {
        int nS = mdp.nS();
        int nA = mdp.nA();
        double[] v = new double[nS];
        double[] q = new double[nS * nA];
        for (int it = 0; it < 100_000; it++) {
            double delta = 0;
            for (int s = 0; s < nS; s++) {
                for (int a = 0; a < nA; a++) {
                    double exp = 0;
                    for (int s2 = 0; s2 < nS; s2++) {
                        exp += mdp.p(s, a, s2) * v[s2];
                    }
                    q[s * nA + a] = mdp.r(s, a) + mdp.gamma() * exp;
                }
            }
            for (int s = 0; s < nS; s++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < nA; a++) {
                    best = Math.max(best, q[s * nA + a]);
                }
                delta = Math.max(delta, Math.abs(best - v[s]));
                v[s] = best;
            }
            if (delta < 1e-14) {
                return q;
            }
        }
        throw new ArithmeticException("value iteration did not converge");
    }

    /** The greedy deterministic optimal policy as probabilities (one 1 per state). */
    public static double[] optimalPolicy(TabularMdp mdp) {
        double[] q = optimalQ(mdp);
        int nA = mdp.nA();
        double[] pi = new double[q.length];
        for (int s = 0; s < mdp.nS(); s++) {
            int best = 0;
            for (int a = 1; a < nA; a++) {
                if (q[s * nA + a] > q[s * nA + best] + 1e-12) {
                    best = a;
                }
            }
            pi[s * nA + best] = 1.0;
        }
        return pi;
    }

    /** J* = max_π ρᵀV^π (infinite horizon). */
    public static double optimalValue(TabularMdp mdp) {
        return PolicyEvaluation.of(mdp, optimalPolicy(mdp)).j();
    }

    /** max over (non-stationary) policies of Σ_{t<H} γ^t r_t, by backward induction. */
    public static double optimalFiniteHorizonReturn(TabularMdp mdp) {
        int nS = mdp.nS();
        int nA = mdp.nA();
        double[] vk = new double[nS];
        double[] next = new double[nS];
        for (int k = 0; k < mdp.horizon(); k++) {
            for (int s = 0; s < nS; s++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < nA; a++) {
                    double exp = 0;
                    for (int s2 = 0; s2 < nS; s2++) {
                        exp += mdp.p(s, a, s2) * vk[s2];
                    }
                    best = Math.max(best, mdp.r(s, a) + mdp.gamma() * exp);
                }
                next[s] = best;
            }
            double[] tmp = vk;
            vk = next;
            next = tmp;
        }
        double j = 0;
        double[] rho = mdp.initial();
        for (int s = 0; s < nS; s++) {
            j += rho[s] * vk[s];
        }
        return j;
    }
}
