package io.metastream.core.adapt;

import io.metastream.core.linalg.Dense;

/**
 * Solves the penalised lower level θ* = argmin_θ Σ_s G_s(θ_s) state by state (BOMRL.md,
 * "Within-task universal policy optimisation").
 *
 * <ul>
 *   <li>ALG1, exact: the optimality condition −(1/λ)π_b(q_b − q̄) + π_b − p_b = 0 gives
 *       π_b = λ p_b / (c − q_b) with c = λ + q̄, where c > max_b q_b is the unique root of the
 *       convex decreasing h(c) = Σ_b λ p_b/(c − q_b) − 1. Newton from c₀ = max q + λ·p(argmax)
 *       (where h ≥ 0) converges monotonically. θ_b = φ_b + log(λ / (c − q_b)).</li>
 *   <li>ALG2, closed form: θ_s = φ_s + Â(s,·)/λ, i.e. π_θ ∝ π_φ · exp(Â/λ).</li>
 *   <li>ALG3 (and every algorithm in {@link #solveIterative}): Newton on G_s with a
 *       Levenberg–Marquardt shift where the Hessian is not positive definite (so every step
 *       descends where G_s is not convex in θ) and an Armijo line search, step length capped at 2
 *       per logit, until the residual (see {@link #residual}) is ≤ 1e-12 or at the precision limit.</li>
 * </ul>
 * Logits keep φ's gauge: each row of θ − φ has the offset the formulas above give.
 */
public final class TabularAdaptation {

    private static final double GRADIENT_TOLERANCE = 1e-12;
    private static final double STALL_TOLERANCE = 1e-10;
    private static final double MAX_STEP = 2.0;
    private static final int MAX_NEWTON_STEPS = 500;

    private TabularAdaptation() {
    }

    /** θ* of the problem, by the fastest exact method of its algorithm. */
    public static double[] solve(TabularLowerLevel problem) {
        return switch (problem.alg()) {
            case ALG1 -> solveAlg1(problem);
            case ALG2 -> solveAlg2(problem);
            case ALG3 -> solveIterative(problem);
        };
    }

    private static double[] solveAlg1(TabularLowerLevel pr) {
        int nA = pr.nA();
        double lambda = pr.lambda();
        double[] theta = new double[pr.nS() * nA];
        for (int s = 0; s < pr.nS(); s++) {
            double[] phi = pr.row(pr.phi(), s);
            double[] q = pr.row(pr.q(), s);
            double[] p = StateObjective.probs(phi);
            double c = alg1Root(p, q, lambda);
            for (int a = 0; a < nA; a++) {
                theta[s * nA + a] = phi[a] + Math.log(lambda) - Math.log(c - q[a]);
            }
        }
        return theta;
    }

    /** The root c > max q of Σ_b λ p_b/(c − q_b) = 1. */
    static double alg1Root(double[] p, double[] q, double lambda) {
        double qMax = Double.NEGATIVE_INFINITY;
        for (double v : q) {
            qMax = Math.max(qMax, v);
        }
        double pAtMax = 0;
        for (int b = 0; b < q.length; b++) {
            if (q[b] == qMax) {
                pAtMax += p[b];
            }
        }
        double c = qMax + lambda * pAtMax;
        for (int it = 0; it < 200; it++) {
            double h = -1;
            double dh = 0;
            for (int b = 0; b < q.length; b++) {
                double inv = 1 / (c - q[b]);
                h += lambda * p[b] * inv;
                dh -= lambda * p[b] * inv * inv;
            }
            double next = c - h / dh;
            if (!(next > c) || h <= 0) {
                return c;
            }
            c = next;
        }
        return c;
    }

    private static double[] solveAlg2(TabularLowerLevel pr) {
        int nA = pr.nA();
        double[] theta = new double[pr.nS() * nA];
        for (int s = 0; s < pr.nS(); s++) {
            double[] phi = pr.row(pr.phi(), s);
            double[] q = pr.row(pr.q(), s);
            double[] p = StateObjective.probs(phi);
            double v = 0;
            for (int a = 0; a < nA; a++) {
                v += p[a] * q[a];
            }
            for (int a = 0; a < nA; a++) {
                theta[s * nA + a] = phi[a] + (q[a] - v) / pr.lambda();
            }
        }
        return theta;
    }

    /** θ* by damped Newton on every state's G_s, starting from φ. */
    public static double[] solveIterative(TabularLowerLevel pr) {
        int nA = pr.nA();
        double[] theta = new double[pr.nS() * nA];
        for (int s = 0; s < pr.nS(); s++) {
            double[] ts = newton(pr.state(s));
            System.arraycopy(ts, 0, theta, s * nA, nA);
        }
        return theta;
    }

    private static double[] newton(StateObjective g) {
        int n = g.n();
        double[] theta = g.phi();
        boolean gauge = g.proximity().shiftInvariant();
        double best = Double.POSITIVE_INFINITY;
        int stalled = 0;
        for (int it = 0; it < MAX_NEWTON_STEPS; it++) {
            double[] grad = g.gradient(theta);
            double norm = residual(g, theta, grad);
            if (norm <= GRADIENT_TOLERANCE) {
                return theta;
            }
            // At the floating-point floor Newton stops making progress.
            stalled = norm < 0.5 * best ? 0 : stalled + 1;
            best = Math.min(best, norm);
            if (best <= STALL_TOLERANCE && stalled >= 3) {
                return theta;
            }
            double[] h = g.hessian(theta);
            if (gauge) {
                addGauge(h, n);
            }
            double[] dir = Dense.solveShiftedSpd(h, n, grad);
            double longest = maxAbs(dir);
            double cap = longest > MAX_STEP ? MAX_STEP / longest : 1.0;
            for (int i = 0; i < n; i++) {
                dir[i] = -dir[i] * cap;
            }
            double f0 = g.value(theta);
            double slope = Dense.dot(dir, grad);
            double[] trial = new double[n];
            for (int i = 0; i < n; i++) {
                trial[i] = theta[i] + dir[i];
            }
            // Near the optimum f's decrease (∝ ‖g‖²) drops below double precision, so a full step
            // is also accepted when it halves the residual; otherwise backtrack on Armijo.
            if (!(g.value(trial) <= f0 + 1e-4 * slope || residual(g, trial, g.gradient(trial)) <= 0.5 * norm)) {
                double t = 0.5;
                while (true) {
                    for (int i = 0; i < n; i++) {
                        trial[i] = theta[i] + t * dir[i];
                    }
                    if (g.value(trial) < f0 + 1e-4 * t * slope) {
                        break;
                    }
                    t *= 0.5;
                    if (t < 1e-14) {
                        return theta;
                    }
                }
            }
            theta = trial;
        }
        return theta;
    }

    /**
     * The stopping measure: ‖∇G_s‖∞, or for the softmax-invariant (KL) proximities the scale-free
     * max_b |∂G_s/∂θ_b| / π_b, which does not vanish on the plateau near a deterministic policy.
     */
    private static double residual(StateObjective g, double[] theta, double[] grad) {
        if (!g.proximity().shiftInvariant()) {
            return maxAbs(grad);
        }
        double[] p = StateObjective.probs(theta);
        double r = 0;
        for (int b = 0; b < grad.length; b++) {
            r = Math.max(r, Math.abs(grad[b]) / Math.max(p[b], Double.MIN_NORMAL));
        }
        return r;
    }

    /** Adds 11ᵀ: removes the softmax gauge null direction without changing the solution orthogonal to it. */
    static void addGauge(double[] h, int n) {
        for (int i = 0; i < n * n; i++) {
            h[i] += 1.0;
        }
    }

    /** max_s ‖∇_θ G_s(θ_s)‖∞: zero at the exact solution. */
    public static double stationarityResidual(TabularLowerLevel pr, double[] theta) {
        double r = 0;
        for (int s = 0; s < pr.nS(); s++) {
            r = Math.max(r, maxAbs(pr.state(s).gradient(pr.row(theta, s))));
        }
        return r;
    }

    /** D(θ, φ) = Σ_s c_s D_s(θ_s, φ_s) with the weights of {@link TabularLowerLevel#divergenceWeight(int)}. */
    public static double divergence(TabularLowerLevel pr, double[] theta) {
        double d = 0;
        for (int s = 0; s < pr.nS(); s++) {
            double c = pr.divergenceWeight(s);
            if (c != 0) {
                d += c * pr.state(s).divergence(pr.row(theta, s));
            }
        }
        return d;
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
