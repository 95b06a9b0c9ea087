package io.metastream.bench;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.ContinuousHypergradient;
import io.metastream.core.continuous.ContinuousLowerLevel;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.continuous.HypergradientConfig;
import io.metastream.core.continuous.LowerLevelConfig;
import io.metastream.core.continuous.PolicyGradient;
import io.metastream.core.estimate.MonteCarloAdvantages;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.linalg.Dense;
import io.metastream.core.random.Seeds;
import io.metastream.mujoco.task.LocomotionEnv;
import io.metastream.mujoco.task.VelocityTask;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How good is the continuous hypergradient on real MuJoCo data? On the reference PRE batch of
 * {@link AdaptationBenchmark} (HalfCheetah-Vel, 128-128, 20 × 200 rows) and its POST gradient g, the
 * true derivative of the data-frozen adaptation map φ ↦ θ*(φ) (the lower level's 50 Adam steps, data and
 * ratio denominators fixed, as the authors' estimator assumes) is measured by central differences along
 * directions v: d_v = g · (θ*(φ + εv) − θ*(φ − εv)) / 2ε. Each estimator m of the meta-gradient predicts
 * m · v. Reported per estimator: the cosine between predicted and measured d over all directions and the
 * least-squares scale. Estimators: the implicit one (CG on H + cI for several damping values c and CG
 * iteration counts) and the identity approximation m = g (∂θ*∕∂φ ≈ I).
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.metastream.bench.HypergradientAccuracy [ALG1|ALG2|ALG3]
 * [directions] [out-file]}; needs MuJoCo. Writes a plain-text table (default bench/results/hypergradient-accuracy.txt).
 */
public final class HypergradientAccuracy {

    private HypergradientAccuracy() {
    }

    public static void main(String[] args) throws IOException {
        ContinuousAlgorithm alg = args.length > 0 ? ContinuousAlgorithm.valueOf(args[0]) : ContinuousAlgorithm.ALG1;
        int randomDirections = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        Path outFile = Path.of(args.length > 2 ? args[2] : "bench/results/hypergradient-accuracy-" + alg.name().toLowerCase(Locale.ROOT) + ".txt");
        long t0 = System.nanoTime();
        GaussianMlpPolicy policy;
        double[] phi;
        ContinuousBatch pre;
        double[] g;
        ContinuousLowerLevel lower;
        try (LocomotionEnv<VelocityTask> env = BenchRollouts.velocityEnv(AdaptationBenchmark.FAMILY,
                AdaptationBenchmark.GOAL_VELOCITY)) {
            policy = BenchRollouts.policy(env);
            phi = policy.initialParameters(Seeds.rng(AdaptationBenchmark.SEED, 1), BenchRollouts.INIT_LOG_STD,
                    BenchRollouts.OUTPUT_SCALE);
            ObservationNormalizer normalizer = BenchRollouts.fitNormalizer(env, policy, phi,
                    Seeds.derive(AdaptationBenchmark.SEED, 2), AdaptationBenchmark.PRE_EPISODES);
            pre = MonteCarloAdvantages.batch(BenchRollouts.rollouts(env, policy, phi, normalizer,
                    Seeds.derive(AdaptationBenchmark.SEED, 3), AdaptationBenchmark.PRE_EPISODES), normalizer, BenchRollouts.GAMMA);
            lower = new ContinuousLowerLevel(policy, LowerLevelConfig.paper(alg));
            double[] theta = lower.solve(phi, pre).theta();
            ContinuousBatch post = MonteCarloAdvantages.batch(BenchRollouts.rollouts(env, policy, theta, normalizer,
                    Seeds.derive(AdaptationBenchmark.SEED, 4), AdaptationBenchmark.POST_EPISODES), normalizer, BenchRollouts.GAMMA);
            g = new double[phi.length];
            PolicyGradient.lossGradient(policy, theta, post, g);
        }
        double[] theta = lower.solve(phi, pre).theta();

        // the estimators
        List<String> names = new ArrayList<>();
        List<double[]> estimates = new ArrayList<>();
        List<Double> residuals = new ArrayList<>();
        names.add("identity (m = g)");
        estimates.add(g.clone());
        residuals.add(Double.NaN);
        for (double damping : new double[]{1e-5, 1e-2, 1, 10, 100}) {
            for (int iterations : new int[]{10, 50}) {
                ContinuousHypergradient h = new ContinuousHypergradient(lower, new HypergradientConfig(iterations, damping));
                ContinuousHypergradient.Result r = h.compute(phi, theta, pre, g);
                names.add(String.format(Locale.ROOT, "implicit, CG %d, damping %g", iterations, damping));
                estimates.add(r.metaGradient());
                residuals.add(r.cgResidual());
            }
        }

        // directions: each estimate's own (normalised) direction, then random unit directions
        SplittableRandom rng = Seeds.rng(AdaptationBenchmark.SEED, 99);
        List<double[]> directions = new ArrayList<>();
        List<String> directionNames = new ArrayList<>();
        directions.add(unit(g));
        directionNames.add("g");
        directions.add(unit(estimates.get(1)));
        directionNames.add("implicit (paper: CG 10, damping 1e-5)");
        for (int k = 0; k < randomDirections; k++) {
            double[] v = new double[phi.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextDouble() * 2 - 1;
            }
            directions.add(unit(v));
            directionNames.add("random " + (k + 1));
        }
        double eps = 1e-4;
        double[] measured = new double[directions.size()];
        for (int k = 0; k < directions.size(); k++) {
            double[] v = directions.get(k);
            double[] plus = shifted(phi, v, eps);
            double[] minus = shifted(phi, v, -eps);
            double[] tp = lower.solve(plus, phi, pre).theta();
            double[] tm = lower.solve(minus, phi, pre).theta();
            double d = 0;
            for (int i = 0; i < g.length; i++) {
                d += g[i] * (tp[i] - tm[i]) / (2 * eps);
            }
            measured[k] = d;
            System.out.printf(Locale.ROOT, "direction %-40s measured g·Jv = %.6g  (%.0f s)%n", directionNames.get(k), d,
                    (System.nanoTime() - t0) / 1e9);
        }

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Hypergradient accuracy on real HalfCheetah-Vel data (%s, MLP 128-128, PRE n = %d, "
                + "POST %d episodes, |g| = %.4g), directional central differences of the data-frozen %d-step Adam map, eps = %g%n",
                alg, pre.n(), AdaptationBenchmark.POST_EPISODES, norm(g), LowerLevelConfig.paper(alg).steps(), eps));
        out.append("measured g·Jv per direction:");
        for (int k = 0; k < measured.length; k++) {
            out.append(String.format(Locale.ROOT, " %s=%.4g", directionNames.get(k), measured[k]));
        }
        out.append("\n\n");
        out.append("cos: over the random directions only (an unbiased sketch of cos(m, Jᵀg)); cos all: every direction,"
                + " including g and the paper estimator's own; LS scale: least-squares factor from m·v to g·Jv (all)\n");
        out.append(String.format(Locale.ROOT, "%-36s %12s %12s %10s %10s %12s%n", "estimator m", "|m|", "CG residual",
                "cos", "cos all", "LS scale"));
        for (int e = 0; e < estimates.size(); e++) {
            double[] m = estimates.get(e);
            double[] predicted = new double[directions.size()];
            for (int k = 0; k < directions.size(); k++) {
                predicted[k] = dot(m, directions.get(k));
            }
            double cos = dot(predicted, measured) / (norm(predicted) * norm(measured));
            double[] pr = java.util.Arrays.copyOfRange(predicted, 2, predicted.length);
            double[] mr = java.util.Arrays.copyOfRange(measured, 2, measured.length);
            double cosRandom = dot(pr, mr) / (norm(pr) * norm(mr));
            double scale = dot(predicted, measured) / dot(predicted, predicted);
            out.append(String.format(Locale.ROOT, "%-36s %12.4g %12.4g %10.4f %10.4f %12.4g%n", names.get(e), norm(m),
                    residuals.get(e), cosRandom, cos, scale));
        }
        out.append(String.format(Locale.ROOT, "%ntotal %.0f s%n", (System.nanoTime() - t0) / 1e9));
        System.out.print(out);
        Files.createDirectories(outFile.toAbsolutePath().getParent());
        Files.writeString(outFile, out.toString());
        System.out.println("Wrote " + outFile);
    }

    private static double[] shifted(double[] phi, double[] v, double eps) {
        double[] out = phi.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += eps * v[i];
        }
        return out;
    }

    private static double[] unit(double[] v) {
        double n = norm(v);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / n;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        return Dense.dot(a, b);
    }

    private static double norm(double[] v) {
        return Dense.norm(v);
    }
}
