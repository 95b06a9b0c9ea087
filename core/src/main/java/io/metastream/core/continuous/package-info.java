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
 *       gradient function by central differences.</li>
 *   <li>{@link io.metastream.core.continuous.ConjugateGradient}: CG for SPD operators (optionally
 *       truncated at the first direction of non-positive curvature).</li>
 *   <li>{@link io.metastream.core.continuous.TrpoStep}: natural direction by CG on the Fisher,
 *       step to maxKl, backtracking line search.</li>
 *   <li>The lower level Alg(1..3): {@link io.metastream.core.continuous.ContinuousLowerLevel} (bounded
 *       ratio 2σ(2(r−1)) surrogate / λ + D, Adam with the KL early stop, exact gradients, exact
 *       forward-over-reverse Hessian-vector products and mixed derivatives of D) on a
 *       {@link io.metastream.core.continuous.ContinuousBatch}, configured by
 *       {@link io.metastream.core.continuous.LowerLevelConfig}.</li>
 *   <li>The hypergradient: {@link io.metastream.core.continuous.PolicyGradient} (the POST loss
 *       gradient), {@link io.metastream.core.continuous.ContinuousHypergradient} (CG on ∇²_θθ L_low, then
 *       the mixed derivative ∇_φ[−x·∇_θ D(θ*, φ)]) and
 *       {@link io.metastream.core.continuous.MetaLossSurrogate} (the meta-loss for TRPO's line search).</li>
 * </ul>
 *
 * <p>Not done here: Monte-Carlo advantages, observation normalisation and rollouts (see
 * {@code io.metastream.core.estimate}), and the baselines (MAML-VPG/TRPO, ProMP, E-MAML).
 */
package io.metastream.core.continuous;
