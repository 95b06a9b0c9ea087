package io.metastream.core.exact;

import java.util.Arrays;

/**
 * A finite MDP given explicitly, for exact dynamic programming.
 *
 * <p>Arrays are row-major: {@code transition[(s * nA + a) * nS + s2] = P(s2 | s, a)} and
 * {@code reward[s * nA + a] = E[r | s, a]}; {@code initial[s] = ρ(s)}. {@code horizon} is the
 * episode length used for the "accumulated reward" Σ_{t<H} γ^t r_t; the value functions of
 * {@link PolicyEvaluation} are the infinite-horizon discounted ones of the theory.
 */
public record TabularMdp(int nS, int nA, double[] transition, double[] reward, double[] initial,
                         double gamma, int horizon) {

    public TabularMdp {
        if (nS <= 0 || nA <= 0) {
            throw new IllegalArgumentException("nS and nA must be positive, got " + nS + ", " + nA);
        }
        if (transition.length != nS * nA * nS || reward.length != nS * nA || initial.length != nS) {
            throw new IllegalArgumentException("array shapes do not match nS=" + nS + ", nA=" + nA);
        }
        if (!(gamma >= 0 && gamma < 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1), got " + gamma);
        }
        for (int sa = 0; sa < nS * nA; sa++) {
            double total = 0;
            for (int s2 = 0; s2 < nS; s2++) {
                total += transition[sa * nS + s2];
            }
            if (Math.abs(total - 1) > 1e-12) {
                throw new IllegalArgumentException("P(.|s,a) does not sum to 1 at (s,a) index " + sa + ": " + total);
            }
        }
        transition = transition.clone();
        reward = reward.clone();
        initial = initial.clone();
    }

    /** P(s2 | s, a). */
    public double p(int s, int a, int s2) {
        return transition[(s * nA + a) * nS + s2];
    }

    /** E[r | s, a]. */
    public double r(int s, int a) {
        return reward[s * nA + a];
    }

    @Override
    public double[] transition() {
        return transition.clone();
    }

    @Override
    public double[] reward() {
        return reward.clone();
    }

    @Override
    public double[] initial() {
        return initial.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TabularMdp m && nS == m.nS && nA == m.nA && gamma == m.gamma
                && horizon == m.horizon && Arrays.equals(transition, m.transition)
                && Arrays.equals(reward, m.reward) && Arrays.equals(initial, m.initial);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(reward) * 31 + Arrays.hashCode(transition);
    }

    @Override
    public String toString() {
        return "TabularMdp[nS=" + nS + ", nA=" + nA + ", gamma=" + gamma + ", horizon=" + horizon + "]";
    }
}
