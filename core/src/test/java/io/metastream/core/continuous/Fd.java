package io.metastream.core.continuous;

import java.util.function.ToDoubleFunction;

/** Central finite differences used as references in the continuous tests (also the meta package's). */
public final class Fd {

    private Fd() {
    }

    /** ∂f/∂x_i ≈ [f(x + h e_i) − f(x − h e_i)] / 2h for every i. */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double h) {
        double[] g = new double[x.length];
        double[] y = x.clone();
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + h;
            double plus = f.applyAsDouble(y);
            y[i] = x[i] - h;
            double minus = f.applyAsDouble(y);
            y[i] = x[i];
            g[i] = (plus - minus) / (2 * h);
        }
        return g;
    }

    /** d/dt grad(x + t v) at t = 0 by [grad(x + h v) − grad(x − h v)] / 2h. */
    static double[] directionalDerivative(GradientFunction grad, double[] x, double[] v, double h) {
        double[] plus = new double[x.length];
        double[] minus = new double[x.length];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + h * v[i];
        }
        grad.gradient(y, plus);
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] - h * v[i];
        }
        grad.gradient(y, minus);
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = (plus[i] - minus[i]) / (2 * h);
        }
        return d;
    }

    /** A small test network: obs 3, hidden 8-8, act 2, with an unscaled output layer so every layer matters. */
    static GaussianMlpPolicy smallPolicy() {
        return new GaussianMlpPolicy(3, new int[] {8, 8}, 2);
    }

    /** θ with random weights, non-zero biases and distinct log σ, deterministic in the seed. */
    static double[] randomTheta(GaussianMlpPolicy policy, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        double[] theta = policy.initialParameters(rng, -0.7, 1.0);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.1 * (2 * rng.nextDouble() - 1);
        }
        return theta;
    }

    static double[] uniform(int n, double scale, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * (2 * rng.nextDouble() - 1);
        }
        return x;
    }
}
