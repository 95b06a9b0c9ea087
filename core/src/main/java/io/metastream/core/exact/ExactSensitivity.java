package io.metastream.core.exact;

/**
 * How the data of the lower level move with the meta-parameter, exactly, on a known MDP: the
 * Jacobians of Q^{π_φ} and ν^{π_φ} with respect to the softmax logits φ. They turn the default
 * hypergradient (which, like the authors', treats Q̂ and ν̂ as constants) into the full
 * derivative of F(φ) = E_τ J_τ(Alg(π_φ, λ, τ)).
 *
 * <pre>
 *   ∂V(x)/∂φ[s',a'] = M[x,s'] π(a'|s') A(s',a')
 *   ∂Q(s,a)/∂φ[s',a'] = γ Σ_x P(x|s,a) ∂V(x)/∂φ[s',a']
 *   ∂ν(y)/∂φ[s',a'] = γ ν(s') π(a'|s') Σ_z (P(z|s',a') − P_π(z|s')) M[z,y]
 * </pre>
 * (our derivation from ν = (1−γ) ρᵀ(I − γP_π)^{-1} and dM = γ M dP_π M).
 *
 * @param dQ  row-major (nS·nA) × (nS·nA): {@code dQ[(s*nA+a) * n + (s'*nA+a')]}
 * @param dNu row-major nS × (nS·nA)
 */
public record ExactSensitivity(double[] dQ, double[] dNu) {

    /** The Jacobians at the policy evaluated by {@code eval}. */
    public static ExactSensitivity of(PolicyEvaluation eval) {
        TabularMdp mdp = eval.mdp();
        int nS = mdp.nS();
        int nA = mdp.nA();
        int n = nS * nA;
        double gamma = mdp.gamma();
        double[] m = eval.resolvent();
        double[] pi = eval.pi();
        double[] adv = eval.advantage();
        double[] nu = eval.nu();
        double[] pPi = PolicyEvaluation.stateTransition(mdp, pi);

        double[] dV = new double[nS * n];
        for (int x = 0; x < nS; x++) {
            for (int j = 0; j < n; j++) {
                dV[x * n + j] = m[x * nS + j / nA] * pi[j] * adv[j];
            }
        }
        double[] dQ = new double[n * n];
        for (int i = 0; i < n; i++) {
            int s = i / nA;
            int a = i % nA;
            for (int x = 0; x < nS; x++) {
                double p = mdp.p(s, a, x);
                if (p == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    dQ[i * n + j] += gamma * p * dV[x * n + j];
                }
            }
        }
        double[] dNu = new double[nS * n];
        for (int j = 0; j < n; j++) {
            int s1 = j / nA;
            int a1 = j % nA;
            double scale = gamma * nu[s1] * pi[j];
            if (scale == 0) {
                continue;
            }
            for (int y = 0; y < nS; y++) {
                double acc = 0;
                for (int z = 0; z < nS; z++) {
                    acc += (mdp.p(s1, a1, z) - pPi[s1 * nS + z]) * m[z * nS + y];
                }
                dNu[y * n + j] = scale * acc;
            }
        }
        return new ExactSensitivity(dQ, dNu);
    }
}
