/**
 * Continuous-control math for BO-MRL (BOMRL.md §Setup, §Hypergradient, §Meta-update): pure
 * float64 functions over flat row-major {@code double[]} parameters, no I/O.
 *
 * <p>What exists:
 * <ul>
 *   <li>{@link io.metastream.core.continuous.GaussianMlpPolicy}: N(μ_θ(s), diag σ²), μ a tanh MLP,
 *       state-independent log σ; flat θ layout; seeded init; mean, logProb, sample, exact
 *       ∇ log π and the batched surrogate gradient ∇ Σ_i w_i log π_θ(a_i|s_i).</li>
 *   <li>{@link io.metastream.core.continuous.DiagonalGaussianKl}: batch-mean KL(π_p‖π_q), gradients
 *       in either argument (so both D₁ = KL(π_φ‖π_θ) and D₂ = KL(π_θ‖π_φ)), and the exact
 *       Fisher-vector product of KL(π_old‖π_θ) at θ_old (Gauss–Newton, forward + reverse mode).</li>
 *   <li>{@link io.metastream.core.continuous.CentralDifferenceHvp}: Hessian-vector products from a
 *       gradient function by central differences. Exact forward-over-reverse HVPs are NOT done.</li>
 *   <li>{@link io.metastream.core.continuous.ConjugateGradient}: CG for SPD operators.</li>
 *   <li>{@link io.metastream.core.continuous.TrpoStep}: natural direction by CG on the Fisher,
 *       step to maxKl, backtracking line search.</li>
 * </ul>
 *
 * <p>Not done yet: the continuous lower level Alg(1..3) (bounded-ratio surrogate 2σ(2(r−1)),
 * 50 Adam steps, KL early stop), Monte-Carlo advantages with bootstrapped tail, observation
 * normalisation, the hypergradient (CG on ∇²_θθ[D + L_pre/λ] and the mixed derivative
 * ∇_φ[−x·∇_θ D(φ, θ*)]), exact (dual-number) HVPs, and the baselines (MAML-VPG/TRPO, ProMP, E-MAML).
 */
package io.metastream.core.continuous;
