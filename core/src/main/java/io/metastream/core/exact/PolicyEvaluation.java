package io.metastream.core.exact;

import io.metastream.core.linalg.Dense;

/**
 * Exact evaluation of a stationary policy on a known MDP (infinite-horizon discounted):
 *
 * <pre>
 *   M = (I − γ P_π)^{-1},  V = M r_π,  Q(s,a) = r(s,a) + γ Σ_s' P(s'|s,a) V(s'),  A = Q − V,
 *   ν(s) = (1 − γ) (ρᵀ M)(s)   (discounted state visitation),  J = ρᵀ V.
 * </pre>
 *
 * Also the finite-horizon "accumulated reward" Σ_{t<H} γ^t r_t of EXPERIMENTS.md. The exact policy
 * gradient is {@code TabularEstimates.exact(eval).softmaxGradient(pi, gamma)}.
 */
public final class PolicyEvaluation {

    private final TabularMdp mdp;
    private final double[] pi;
    private final double[] resolvent;
    private final double[] v;
    private final double[] q;
    private final double[] nu;

    private PolicyEvaluation(TabularMdp mdp, double[] pi) {
        int nS = mdp.nS();
        int nA = mdp.nA();
        this.mdp = mdp;
        this.pi = pi.clone();
        double[] pPi = stateTransition(mdp, pi);
        double[] rPi = new double[nS];
        for (int s = 0; s < nS; s++) {
            for (int a = 0; a < nA; a++) {
                rPi[s] += pi[s * nA + a] * mdp.r(s, a);
            }
        }
        double[] iMinus = new double[nS * nS];
        for (int i = 0; i < nS; i++) {
            for (int j = 0; j < nS; j++) {
                iMinus[i * nS + j] = (i == j ? 1.0 : 0.0) - mdp.gamma() * pPi[i * nS + j];
            }
        }
        this.resolvent = Dense.inverse(iMinus, nS);
        this.v = new double[nS];
        for (int i = 0; i < nS; i++) {
            for (int j = 0; j < nS; j++) {
                v[i] += resolvent[i * nS + j] * rPi[j];
            }
        }
        this.q = new double[nS * nA];
        for (int s = 0; s < nS; s++) {
            for (int a = 0; a < nA; a++) {
                double next = 0;
                for (int s2 = 0; s2 < nS; s2++) {
                    next += mdp.p(s, a, s2) * v[s2];
                }
                q[s * nA + a] = mdp.r(s, a) + mdp.gamma() * next;
            }
        }
        double[] rho = mdp.initial();
        this.nu = new double[nS];
        for (int j = 0; j < nS; j++) {
            double acc = 0;
            for (int i = 0; i < nS; i++) {
                acc += rho[i] * resolvent[i * nS + j];
            }
            nu[j] = (1 - mdp.gamma()) * acc;
        }
    }

    /** Evaluates the policy with action probabilities {@code pi[s * nA + a]}. */
    public static PolicyEvaluation of(TabularMdp mdp, double[] pi) {
        if (pi.length != mdp.nS() * mdp.nA()) {
            throw new IllegalArgumentException("policy has " + pi.length + " entries, MDP needs " + mdp.nS() * mdp.nA());
        }
        return new PolicyEvaluation(mdp, pi);
    }

    /** P_π(s'|s) = Σ_a π(a|s) P(s'|s,a), row-major nS × nS. */
    public static double[] stateTransition(TabularMdp mdp, double[] pi) {
        int nS = mdp.nS();
        int nA = mdp.nA();
        double[] pPi = new double[nS * nS];
        for (int s = 0; s < nS; s++) {
            for (int a = 0; a < nA; a++) {
                double w = pi[s * nA + a];
                for (int s2 = 0; s2 < nS; s2++) {
                    pPi[s * nS + s2] += w * mdp.p(s, a, s2);
                }
            }
        }
        return pPi;
    }

    /** J = ρᵀV, infinite-horizon discounted. */
    public double j() {
        double[] rho = mdp.initial();
        return Dense.dot(rho, v);
    }

    /** Σ_{t<H} γ^t E[r_t] with H = the MDP's horizon: the "accumulated reward" of the paper. */
    public double finiteHorizonReturn() {
        return finiteHorizonReturn(mdp, pi, mdp.horizon());
    }

    /** Σ_{t<horizon} γ^t E[r_t] by backward recursion V_k = r_π + γ P_π V_{k−1}, V_0 = 0. */
    public static double finiteHorizonReturn(TabularMdp mdp, double[] pi, int horizon) {
        int nS = mdp.nS();
        int nA = mdp.nA();
        double[] vk = new double[nS];
        double[] next = new double[nS];
        for (int k = 0; k < horizon; k++) {
            for (int s = 0; s < nS; s++) {
                double acc = 0;
                for (int a = 0; a < nA; a++) {
                    double exp = 0;
                    for (int s2 = 0; s2 < nS; s2++) {
                        exp += mdp.p(s, a, s2) * vk[s2];
                    }
                    acc += pi[s * nA + a] * (mdp.r(s, a) + mdp.gamma() * exp);
                }
                next[s] = acc;
            }
            double[] tmp = vk;
            vk = next;
            next = tmp;
        }
        return Dense.dot(mdp.initial(), vk);
    }

    public double[] v() {
        return v.clone();
    }

    public double[] q() {
        return q.clone();
    }

    /** A(s,a) = Q(s,a) − V(s). */
    public double[] advantage() {
        int nA = mdp.nA();
        double[] adv = q.clone();
        for (int i = 0; i < adv.length; i++) {
            adv[i] -= v[i / nA];
        }
        return adv;
    }

    /** Discounted state visitation ν(s) = (1 − γ) Σ_t γ^t Pr(s_t = s), sums to 1. */
    public double[] nu() {
        return nu.clone();
    }

    /** M = (I − γ P_π)^{-1}, row-major nS × nS. */
    public double[] resolvent() {
        return resolvent.clone();
    }

    public double[] pi() {
        return pi.clone();
    }

    public TabularMdp mdp() {
        return mdp;
    }
}
