package io.metastream.core.estimate;

import io.metastream.core.exact.PolicyEvaluation;

import java.util.List;

/**
 * What the lower level needs from one collection with the behaviour policy π: the discounted
 * visitation ν(s), Q(s,a) and A(s,a) = Q(s,a) − Σ_b π(b|s) Q(s,b), row-major.
 *
 * <p>Two sources: {@link #fromSamples} (expected-SARSA Q̂ with step 0.3 and normalised
 * discounted visit counts ν̂, BOMRL.md "Estimators") and {@link #exact} (dynamic programming on
 * the known MDP: the oracle mode that makes F(φ) computable exactly).
 */
public record TabularEstimates(int nS, int nA, double[] nu, double[] q, double[] advantage) {

    /** The expected-SARSA step size of the paper. */
    public static final double SARSA_STEP = 0.3;

    public TabularEstimates {
        if (nu.length != nS || q.length != nS * nA || advantage.length != nS * nA) {
            throw new IllegalArgumentException("estimate shapes do not match nS=" + nS + ", nA=" + nA);
        }
    }

    /** Oracle estimates: exact ν^π, Q^π, A^π. */
    public static TabularEstimates exact(PolicyEvaluation eval) {
        int nS = eval.mdp().nS();
        return new TabularEstimates(nS, eval.mdp().nA(), eval.nu(), eval.q(), eval.advantage());
    }

    /**
     * Sample estimates from trajectories of the behaviour policy with probabilities {@code pi},
     * processed in list order (callers sort by episode index).
     *
     * <p>Q̂ starts at 0 and, for every transition, Q̂[s,a] += α (r + γ Σ_a' π(a'|s') Q̂[s',a'] − Q̂[s,a]);
     * ν̂(s) ∝ Σ_episodes Σ_t γ^t 1[s_t = s] over the states where an action was taken.
     */
    public static TabularEstimates fromSamples(List<TabularTrajectory> trajectories, double[] pi, int nS, int nA,
                                               double gamma, double sarsaStep) {
        return fromSamples(trajectories, pi, nS, nA, gamma, sarsaStep, 1);
    }

    /**
     * As {@link #fromSamples(List, double[], int, int, double, double)} but sweeping the batch
     * {@code sweeps} times in the same order (TD(0) towards its fixed point on the one batch; 1 is
     * the authors' single pass during sampling). ν̂ is counted once. Untried pairs keep Q̂ = 0.
     */
    public static TabularEstimates fromSamples(List<TabularTrajectory> trajectories, double[] pi, int nS, int nA,
                                               double gamma, double sarsaStep, int sweeps) {
        return fromSamples(trajectories, pi, nS, nA, gamma, sarsaStep, sweeps, UntriedActions.ZERO);
    }

    /**
     * As {@link #fromSamples(List, double[], int, int, double, double, int)} with the given convention
     * for the pairs the batch never tried. With {@link UntriedActions#STATE_VALUE} they are set to
     * V̂(s) over the tried actions before every sweep (so the backups' Σ_a' π(a'|s') Q̂[s',a'] uses it)
     * and once more after the last.
     */
    public static TabularEstimates fromSamples(List<TabularTrajectory> trajectories, double[] pi, int nS, int nA,
                                               double gamma, double sarsaStep, int sweeps, UntriedActions untried) {
        if (sweeps < 1) {
            throw new IllegalArgumentException("sarsa sweeps must be >= 1, got " + sweeps);
        }
        double[] q = new double[nS * nA];
        boolean[] tried = untried == UntriedActions.STATE_VALUE ? tried(trajectories, nS, nA) : null;
        Transitions batch = Transitions.of(trajectories, nS, nA);
        double[] visits = batch.discountedVisits(nS, gamma);
        for (int sweep = 0; sweep < sweeps; sweep++) {
            if (tried != null) {
                fillUntried(tried, pi, nS, nA, q);
            }
            batch.sweep(pi, nA, gamma, sarsaStep, q);
        }
        if (tried != null) {
            fillUntried(tried, pi, nS, nA, q);
        }
        double total = 0;
        for (double v : visits) {
            total += v;
        }
        if (total > 0) {
            for (int s = 0; s < nS; s++) {
                visits[s] /= total;
            }
        }
        return new TabularEstimates(nS, nA, visits, q, advantage(q, pi, nS, nA));
    }

    /** tried[s·nA + a]: the batch took action a in state s at least once. */
    private static boolean[] tried(List<TabularTrajectory> trajectories, int nS, int nA) {
        boolean[] tried = new boolean[nS * nA];
        for (TabularTrajectory tr : trajectories) {
            int[] st = tr.states();
            int[] ac = tr.actions();
            for (int t = 0; t < ac.length; t++) {
                if (st[t] >= 0 && st[t] < nS && ac[t] >= 0 && ac[t] < nA) {
                    tried[st[t] * nA + ac[t]] = true;   // out-of-range entries are rejected by the sweep
                }
            }
        }
        return tried;
    }

    /** Q̂(s,a) := Σ_{b tried} π(b|s) Q̂(s,b) / Σ_{b tried} π(b|s) for the untried a of every state with a tried action. */
    private static void fillUntried(boolean[] tried, double[] pi, int nS, int nA, double[] q) {
        for (int s = 0; s < nS; s++) {
            double weighted = 0;
            double mass = 0;
            for (int a = 0; a < nA; a++) {
                if (tried[s * nA + a]) {
                    weighted += pi[s * nA + a] * q[s * nA + a];
                    mass += pi[s * nA + a];
                }
            }
            if (mass == 0) {
                continue;
            }
            for (int a = 0; a < nA; a++) {
                if (!tried[s * nA + a]) {
                    q[s * nA + a] = weighted / mass;
                }
            }
        }
    }

    /**
     * The batch's transitions in processing order, flattened once so that each of the sweeps is one loop over three
     * arrays (the same additions in the same order as walking the trajectories: the same bits).
     *
     * @param sa   s·nA + a of each transition
     * @param next s'·nA of each transition
     */
    private record Transitions(List<TabularTrajectory> trajectories, int[] sa, int[] next, double[] reward) {

        static Transitions of(List<TabularTrajectory> trajectories, int nS, int nA) {
            int n = 0;
            for (TabularTrajectory tr : trajectories) {
                n += tr.actions().length;
            }
            int[] sa = new int[n];
            int[] next = new int[n];
            double[] reward = new double[n];
            int k = 0;
            for (TabularTrajectory tr : trajectories) {
                int[] st = tr.states();
                int[] ac = tr.actions();
                double[] rw = tr.rewards();
                for (int t = 0; t < ac.length; t++, k++) {
                    int s = st[t];
                    int a = ac[t];
                    int s2 = st[t + 1];
                    if (s < 0 || s >= nS || a < 0 || a >= nA || s2 < 0 || s2 >= nS) {
                        throw new IllegalArgumentException("trajectory " + tr.episode()
                                + " has state/action out of range at t=" + t);
                    }
                    sa[k] = s * nA + a;
                    next[k] = s2 * nA;
                    reward[k] = rw[t];
                }
            }
            return new Transitions(trajectories, sa, next, reward);
        }

        /** Σ_episodes Σ_t γ^t 1[s_t = s], unnormalised, over the states where an action was taken. */
        double[] discountedVisits(int nS, double gamma) {
            double[] visits = new double[nS];
            for (TabularTrajectory tr : trajectories) {
                int[] st = tr.states();
                double w = 1;
                for (int t = 0; t < tr.actions().length; t++) {
                    visits[st[t]] += w;
                    w *= gamma;
                }
            }
            return visits;
        }

        /** One expected-SARSA pass: Q̂[s,a] += α (r + γ Σ_b π(b|s') Q̂[s',b] − Q̂[s,a]) for every transition in order. */
        void sweep(double[] pi, int nA, double gamma, double sarsaStep, double[] q) {
            for (int k = 0; k < sa.length; k++) {
                int n = next[k];
                double expNext = 0;
                for (int b = 0; b < nA; b++) {
                    expNext += pi[n + b] * q[n + b];
                }
                int i = sa[k];
                q[i] += sarsaStep * (reward[k] + gamma * expNext - q[i]);
            }
        }
    }

    /** A(s,a) = Q(s,a) − Σ_b π(b|s) Q(s,b). */
    public static double[] advantage(double[] q, double[] pi, int nS, int nA) {
        double[] adv = new double[nS * nA];
        for (int s = 0; s < nS; s++) {
            double v = 0;
            for (int a = 0; a < nA; a++) {
                v += pi[s * nA + a] * q[s * nA + a];
            }
            for (int a = 0; a < nA; a++) {
                adv[s * nA + a] = q[s * nA + a] - v;
            }
        }
        return adv;
    }

    /**
     * The policy-gradient estimate ∂J/∂θ[s,a] ≈ ν(s) π(a|s) A(s,a) / (1 − γ) at the behaviour
     * policy (exact when the estimates are).
     */
    public double[] softmaxGradient(double[] pi, double gamma) {
        double[] g = new double[nS * nA];
        for (int i = 0; i < g.length; i++) {
            g[i] = nu[i / nA] * pi[i] * advantage[i] / (1 - gamma);
        }
        return g;
    }

    @Override
    public double[] nu() {
        return nu.clone();
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    @Override
    public double[] advantage() {
        return advantage.clone();
    }
}
